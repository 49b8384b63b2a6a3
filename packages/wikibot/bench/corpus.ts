/**
 * Realistic benchmark pages (SPEC §11): ~2 KB of Markdown with headings, lists, code, a table and
 * 3–5 wikilinks, generated deterministically so runs are comparable.
 */
const COMMON = (
  'system service storage network cluster backup restore deploy config release monitor alert index ' +
  'search query cache latency throughput replica volume commit branch review design test benchmark ' +
  'kernel driver schema migration token session account policy route handler worker queue event ' +
  'metric trace span budget region domain certificate proxy gateway database table column record'
).split(' ');

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'zen',
  'dar',
  'pel',
  'qui',
  'bro',
  'fen',
  'gal',
  'hor',
];

/** A made-up word, distinct for every n (base-16 digits spelled as syllables). */
function term(n: number): string {
  let word = '';
  let rest = n;
  do {
    word += SYLLABLES[rest % SYLLABLES.length];
    rest = Math.floor(rest / SYLLABLES.length);
  } while (rest > 0);
  return word;
}

/**
 * The vocabulary by falling frequency: common technical words, then 5,000 rarer terms. Words are drawn
 * with Zipf's law, as in real text, so a query word matches anything from most pages to a handful.
 */
const VOCABULARY = [...COMMON, ...Array.from({ length: 5000 }, (_, i) => term(i + 256))];
const CUMULATIVE = (() => {
  let sum = 0;
  return VOCABULARY.map((_, rank) => {
    sum += 1 / (rank + 1) ** 1.07;
    return sum;
  });
})();

/** Queries of every selectivity: common and rare words, two words, a phrase, a prefix. */
export const SEARCH_QUERIES = [
  'storage',
  'kernel driver',
  VOCABULARY[120] as string,
  `${VOCABULARY[400]} latency`,
  VOCABULARY[1500] as string,
  '"commit branch"',
  `${(VOCABULARY[300] as string).slice(0, 4)}*`,
];

export class Random {
  constructor(private state: number) {}
  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  word(): string {
    const target = this.next() * (CUMULATIVE.at(-1) as number);
    let low = 0;
    let high = CUMULATIVE.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((CUMULATIVE[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return VOCABULARY[low] as string;
  }
  words(n: number): string {
    return Array.from({ length: n }, () => this.word()).join(' ');
  }
}

export function pagePath(i: number): string {
  return `Section ${i % 20}/Topic ${Math.floor(i / 20) % 50}/Page ${i}`;
}

export function pageContent(i: number, total: number, random: Random): string {
  const links = Array.from({ length: 3 + random.int(3) }, () => `[[${pagePath(random.int(total))}]]`);
  const sentence = () => `${capitalise(random.words(8 + random.int(8)))}.`;
  return `---
title: Page ${i} ${capitalise(random.word())}
category: ${random.word()}
tags: [${random.word()}, ${random.word()}]
---
# Page ${i}

${sentence()} ${sentence()} ${sentence()} See ${links[0]} and ${links[1]}.

## Overview

${sentence()} ${sentence()} ${sentence()} ${sentence()}

- ${sentence()}
- ${sentence()} ${links[2]}
- ${sentence()}

## Configuration

\`\`\`toml
[${random.word()}]
${random.word()} = "${random.word()}"
timeout = ${random.int(100)}
\`\`\`

| key | value | note |
| --- | --- | --- |
| ${random.word()} | ${random.int(1000)} | ${random.words(3)} |
| ${random.word()} | ${random.int(1000)} | ${random.words(3)} |

## Notes

${sentence()} ${sentence()} ${links.slice(3).join(' ')}
${sentence()} ${sentence()} ${sentence()}
`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

import { stemmer } from 'stemmer';
import { markdownToPlainText } from './plainText.js';
import type { SearchTerm } from './searchQuery.js';
import type { WikiLinkStyle } from './wikilinks.js';

/** A run of snippet text; `hit` marks the words the query matched. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface Snippet {
  parts: SnippetPart[];
  /** Words highlighted. */
  hits: number;
}

const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
const NON_ASCII = /[\u0080-\uffff]/; // any UTF-16 unit outside ASCII, surrogates included
/** Words shown, and how many of them come before the first hit. */
const SNIPPET_WORDS = 24;
const LEAD_WORDS = 4;
/** Markdown around the first hit that is turned into text; the snippet is cut from that text. */
const EXCERPT_BEFORE = 100;
const EXCERPT_AFTER = 360;

/**
 * Makes plain-text snippets for one query: for a page's Markdown, the text around the first word
 * the terms match, with the matches marked. Each costs what the text scanned costs: callers pass a
 * bounded head of the page, and only the excerpt around the first hit (or the start, when there is
 * none) is turned into text.
 */
export function snippetMaker(
  terms: readonly SearchTerm[],
  linkStyle: WikiLinkStyle,
): (markdown: string) => Snippet {
  const matcher = new TermMatcher(terms);
  return (markdown) => snippetOf(markdown, matcher, linkStyle);
}

function snippetOf(markdown: string, matcher: TermMatcher, linkStyle: WikiLinkStyle): Snippet {
  const first = matcher.firstHit(markdown);
  const from = first === -1 ? 0 : wordStart(markdown, Math.max(0, first - EXCERPT_BEFORE));
  const to = wordEnd(markdown, Math.min(markdown.length, (first === -1 ? 0 : first) + EXCERPT_AFTER));
  const text = markdownToPlainText(markdown.slice(from, to), linkStyle);

  const words = wordsOf(text);
  const hit = matcher.mark(words.map((w) => w.word));
  const firstHit = hit.indexOf(true);
  let start = Math.max(0, firstHit - LEAD_WORDS);
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  start = Math.max(0, Math.min(start, end - SNIPPET_WORDS));

  const parts: SnippetPart[] = [];
  const push = (value: string, isHit: boolean) => {
    if (!value) return;
    const previous = parts.at(-1);
    if (previous && previous.hit === isHit) previous.text += value;
    else parts.push({ text: value, hit: isHit });
  };
  if (start > 0 || from > 0) push('…', false);
  let cursor = start === 0 ? 0 : (words[start]?.start ?? 0);
  let hits = 0;
  for (let i = start; i < end; i++) {
    const w = words[i] as (typeof words)[number];
    const between = text.slice(cursor, w.start);
    // Adjacent hits separated by spaces alone read as one highlight ("command line").
    const joins = hit[i] && parts.at(-1)?.hit && between === ' ';
    push(between, Boolean(joins));
    push(w.word, hit[i] as boolean);
    if (hit[i]) hits++;
    cursor = w.end;
  }
  push(end === words.length ? text.slice(cursor) : '', false);
  if (end < words.length || to < markdown.length) push('…', false);
  return { parts, hits };
}

/** The snippet as one line of text with the hits between `**`, for JSON and MCP answers. */
export function snippetText(parts: readonly SnippetPart[]): string {
  return parts.map((part) => (part.hit ? `**${part.text}**` : part.text)).join('');
}

/**
 * Words compared as the index compares them: case and diacritics folded (unicode61), then the
 * Porter stems (the `stemmer` package agrees with SQLite's porter tokenizer), a prefix term's last
 * stem as a prefix.
 */
class TermMatcher {
  private readonly stems = new Map<string, string>();
  private readonly terms: { stems: string[]; prefix: boolean }[];
  /** First letters of the terms' stems: a word starting otherwise matches nothing. */
  private readonly initials = new Set<string>();
  /** In ASCII text, the words that start with one of the initials (when all are ASCII letters or digits). */
  private readonly asciiCandidates: RegExp | undefined;

  constructor(terms: readonly SearchTerm[]) {
    this.terms = terms.map((term) => ({ stems: term.words.map((w) => this.stem(w)), prefix: term.prefix }));
    for (const term of this.terms) for (const stem of term.stems) this.initials.add(stem.charAt(0));
    const initials = [...this.initials].join('');
    if (/^[a-z0-9]+$/.test(initials)) {
      this.asciiCandidates = new RegExp(`(?<![A-Za-z0-9])[${initials}][A-Za-z0-9]*`, 'gi');
    }
  }

  /** Offset of the first word that starts a match (a phrase's first word is enough), or -1. */
  firstHit(text: string): number {
    // In ASCII text the words are runs of letters and digits, and the regex skips the words that
    // cannot match without a call per word: most of a page, which may be thousands of words.
    const word =
      this.asciiCandidates && !NON_ASCII.test(text) ? new RegExp(this.asciiCandidates) : new RegExp(WORD);
    for (let match = word.exec(text); match !== null; match = word.exec(text)) {
      if (!this.couldMatch(match[0])) continue;
      const stem = this.stem(match[0]);
      if (this.terms.some((term) => this.wordMatches(term, 0, stem))) return match.index;
    }
    return -1;
  }

  /** For each word, whether it is part of a match of some term (a phrase only where all its words follow). */
  mark(words: string[]): boolean[] {
    const hit = words.map(() => false);
    const stems = words.map((w) => (this.couldMatch(w) ? this.stem(w) : ''));
    for (let i = 0; i < words.length; i++) {
      for (const term of this.terms) {
        const n = term.stems.length;
        let k = 0;
        while (k < n && i + k < words.length && this.wordMatches(term, k, stems[i + k] as string)) k++;
        if (k === n) for (let j = i; j < i + n; j++) hit[j] = true;
      }
    }
    return hit;
  }

  /** Whether a word's first letter is one a term's stem starts with: cheap, and most words fail it. */
  private couldMatch(word: string): boolean {
    const code = word.charCodeAt(0);
    const initial = code < 0x80 ? String.fromCharCode(code | 0x20) : fold(word.charAt(0));
    return this.initials.has(initial);
  }

  private wordMatches(term: { stems: string[]; prefix: boolean }, k: number, stem: string): boolean {
    const want = term.stems[k] as string;
    return term.prefix && k === term.stems.length - 1 ? stem.startsWith(want) : stem === want;
  }

  private stem(word: string): string {
    let stem = this.stems.get(word);
    if (stem === undefined) {
      stem = stemmer(fold(word));
      this.stems.set(word, stem);
    }
    return stem;
  }
}

/** The words of a text with their offsets. */
function wordsOf(text: string): { start: number; end: number; word: string }[] {
  const word = new RegExp(WORD);
  const words: { start: number; end: number; word: string }[] = [];
  for (let match = word.exec(text); match !== null; match = word.exec(text)) {
    words.push({ start: match.index, end: word.lastIndex, word: match[0] });
  }
  return words;
}

/** Lower case without diacritics, as unicode61 folds a token. */
function fold(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/** The start of the word at or after `offset` (a cut never splits a word). */
function wordStart(text: string, offset: number): number {
  if (offset === 0) return 0;
  const space = text.slice(offset).search(/\s/);
  return space === -1 ? text.length : offset + space;
}

/** The end of the word at or before `offset`. */
function wordEnd(text: string, offset: number): number {
  if (offset >= text.length) return text.length;
  const head = text.slice(0, offset);
  const space = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
  return space <= 0 ? offset : space;
}

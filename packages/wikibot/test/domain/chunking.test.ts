import { describe, expect, it } from 'vitest';
import {
  type Chunk,
  chunkPage,
  MIN_CHUNK_WORDS,
  OVERLAP_WORDS,
  STUB_WORDS,
} from '../../src/domain/chunking.js';

/** "p0 p1 … p(n-1)" — n distinct words. */
const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
/** The last n words, joined by single spaces (how upstream builds the overlap). */
const lastWords = (text: string, n: number) => text.split(/\s+/).slice(-n).join(' ');
const page = (title: string, body: string) => `---\ntitle: ${title}\n---\n${body}`;
const summary = (chunks: Chunk[]) => chunks.map((c) => [c.sectionPath.join(' > '), c.section]);

describe('chunkPage: empty pages', () => {
  it.each([
    ['empty content', '', null],
    ['whitespace only', '   \n\n  \n', null],
    ['frontmatter only', '---\ntitle: Empty\n---\n', { title: 'Empty' }],
    ['headings only', '# Title\n\n## Sub\n', null],
  ])('%s has no chunks', (_case, content, metadata) => {
    const result = chunkPage('test', content);
    expect(result.chunks).toEqual([]);
    expect(result.metadata).toEqual(metadata);
  });
});

describe('chunkPage: one chunk per short section', () => {
  it('prefixes a short page with the page name when there is no title', () => {
    expect(chunkPage('test/page', 'This is a short page with just a few words.')).toEqual({
      chunks: [
        {
          text: '[test/page] This is a short page with just a few words.',
          section: '',
          sectionPath: ['test/page'],
          chunkIndex: 0,
          totalChunks: 1,
        },
      ],
      metadata: null,
      wordCount: 10,
    });
  });

  it('strips the frontmatter into metadata and uses its title in the prefix', () => {
    const result = chunkPage(
      'test',
      '---\ntitle: My Page\ncategory: notes\ntags:\n  - foo\n  - bar\n---\nBody text here.',
    );
    expect(result.metadata).toEqual({ title: 'My Page', category: 'notes', tags: ['foo', 'bar'] });
    expect(result.chunks.map((c) => c.text)).toEqual(['[My Page] Body text here.']);
    expect(result.wordCount).toBe(3);
  });

  it('falls back to the page name when the title is not text', () => {
    expect(chunkPage('Some/Page', '---\ntitle: [a, b]\n---\nBody').chunks[0]?.text).toBe('[Some/Page] Body');
  });

  it('gives the preamble and each heading its own chunk with a heading path', () => {
    const result = chunkPage(
      'test',
      page('Guide', 'Preamble text.\n\n# Intro\n\nIntro words.\n\n## Details\n\nDetail words.'),
    );
    expect(result.chunks).toEqual([
      { text: '[Guide] Preamble text.', section: '', sectionPath: ['Guide'], chunkIndex: 0, totalChunks: 3 },
      {
        text: '[Guide > Intro] Intro words.',
        section: 'Intro',
        sectionPath: ['Guide', 'Intro'],
        chunkIndex: 1,
        totalChunks: 3,
      },
      {
        text: '[Guide > Intro > Details] Detail words.',
        section: 'Details',
        sectionPath: ['Guide', 'Intro', 'Details'],
        chunkIndex: 2,
        totalChunks: 3,
      },
    ]);
    expect(result.wordCount).toBe(10);
  });

  it('caps the prefix at three heading levels', () => {
    const body =
      '# L1\n\nOne.\n\n## L2\n\nTwo.\n\n### L3\n\nThree.\n\n#### L4\n\nContent at level four.\n\n##### L5\n\nFive.';
    const chunks = chunkPage('test', page('Deep Doc', body)).chunks;
    expect(summary(chunks).slice(-2)).toEqual([
      ['Deep Doc > L1 > L2 > L3', 'L4'],
      ['Deep Doc > L1 > L2 > L3', 'L5'],
    ]);
    expect(chunks[3]?.text).toBe('[Deep Doc > L1 > L2 > L3] Content at level four.');
  });

  it('does not split at a heading inside a code fence', () => {
    const body = '# Setup\n\n```bash\n# install the tools\nnpm install\n```\n\nThen run it.';
    const chunks = chunkPage('test', page('T', body)).chunks;
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text).toBe(
      '[T > Setup] ```bash\n# install the tools\nnpm install\n```\n\nThen run it.',
    );
  });

  it('drops headings that have no text of their own', () => {
    expect(summary(chunkPage('test', page('T', '# Empty\n\n# Full\n\ntext')).chunks)).toEqual([
      ['T > Full', 'Full'],
    ]);
  });
});

describe('chunkPage: stub sections (under 50 words) merge into a neighbour', () => {
  const long = words('w', 60);

  it('merges a stub forward into a substantial next section', () => {
    const chunks = chunkPage('test', page('T', `# Short\n\nJust a few words.\n\n# Long\n\n${long}`)).chunks;
    expect(chunks.map((c) => [c.section, c.text])).toEqual([
      ['Long', `[T > Long] Just a few words.\n\n${long}`],
    ]);
  });

  it('merges a trailing stub backward into a substantial previous section', () => {
    const chunks = chunkPage('test', page('T', `# Main\n\n${long}\n\n# Tail\n\nToo short.`)).chunks;
    expect(chunks.map((c) => [c.section, c.text])).toEqual([['Main', `[T > Main] ${long}\n\nToo short.`]]);
  });

  it('keeps a stub whose next section is also a stub', () => {
    const chunks = chunkPage('test', page('T', `# A\n\na text\n\n# B\n\nb text\n\n# C\n\n${long}`)).chunks;
    expect(chunks.map((c) => c.text)).toEqual(['[T > A] a text', `[T > C] b text\n\n${long}`]);
  });

  it('never merges the preamble, and never merges backward into it', () => {
    const forward = chunkPage('test', page('T', `Preamble.\n\n# Long\n\n${long}`)).chunks;
    expect(summary(forward)).toEqual([
      ['T', ''],
      ['T > Long', 'Long'],
    ]);
    const backward = chunkPage('test', page('T', `${long}\n\n# Tail\n\nshort`)).chunks;
    expect(summary(backward)).toEqual([
      ['T', ''],
      ['T > Tail', 'Tail'],
    ]);
  });

  it('counts exactly STUB_WORDS as substantial', () => {
    const chunks = chunkPage(
      'test',
      page('T', `# Short\n\nfew\n\n# Edge\n\n${words('e', STUB_WORDS)}`),
    ).chunks;
    expect(summary(chunks)).toEqual([['T > Edge', 'Edge']]);
    const below = chunkPage(
      'test',
      page('T', `# Short\n\nfew\n\n# Edge\n\n${words('e', STUB_WORDS - 1)}`),
    ).chunks;
    expect(summary(below)).toEqual([
      ['T > Short', 'Short'],
      ['T > Edge', 'Edge'],
    ]);
  });
});

describe('chunkPage: long sections are cut into ~150-word chunks with overlap', () => {
  const p1 = words('a', 100);
  const p2 = words('b', 100);
  const p3 = words('c', 100);

  it('keeps a section under MIN_CHUNK_WORDS whole', () => {
    const body = `# S\n\n${p1}\n\n${p2}\n\n${words('c', 99)}`;
    const chunks = chunkPage('test', page('T', body)).chunks;
    expect(chunks.map((c) => c.text)).toEqual([`[T > S] ${p1}\n\n${p2}\n\n${words('c', 99)}`]);
  });

  it(`cuts a section of MIN_CHUNK_WORDS (${MIN_CHUNK_WORDS}) by paragraph, repeating ${OVERLAP_WORDS} words`, () => {
    const chunks = chunkPage('test', page('T', `# S\n\n${p1}\n\n${p2}\n\n${p3}`)).chunks;
    expect(chunks.map((c) => c.text)).toEqual([
      `[T > S] ${p1}`,
      `[T > S] ${lastWords(p1, OVERLAP_WORDS)}\n\n${p2}`,
      `[T > S] ${lastWords(p2, OVERLAP_WORDS)}\n\n${p3}`,
    ]);
    expect(chunks.map((c) => [c.chunkIndex, c.totalChunks])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
  });

  it('gathers small paragraphs up to 150 words before cutting', () => {
    const small = Array.from({ length: 12 }, (_, i) => words(`p${i}x`, 25)); // 300 words
    const chunks = chunkPage('test', page('T', `# S\n\n${small.join('\n\n')}`)).chunks;
    const expectedRaw = [0, 6].map((start) => small.slice(start, start + 6).join('\n\n'));
    expect(chunks.map((c) => c.text)).toEqual([
      `[T > S] ${expectedRaw[0]}`,
      `[T > S] ${lastWords(expectedRaw[0]!, OVERLAP_WORDS)}\n\n${expectedRaw[1]}`,
    ]);
  });

  it('repeats a whole previous chunk when it is shorter than the overlap', () => {
    const short = words('s', 20);
    const first = words('a', 140);
    const last = words('z', 140);
    const chunks = chunkPage('test', page('T', `# S\n\n${first}\n\n${short}\n\n${last}`)).chunks;
    expect(chunks.map((c) => c.text)).toEqual([
      `[T > S] ${first}`,
      `[T > S] ${lastWords(first, OVERLAP_WORDS)}\n\n${short}`,
      `[T > S] ${short}\n\n${last}`,
    ]);
  });

  it('never carries overlap from one section into the next', () => {
    const body = `# A\n\n${p1}\n\n${p2}\n\n${p3}\n\n# B\n\n${words('x', 100)}\n\n${words('y', 100)}\n\n${words('z', 100)}`;
    const chunks = chunkPage('test', page('T', body)).chunks;
    expect(summary(chunks)).toEqual([
      ['T > A', 'A'],
      ['T > A', 'A'],
      ['T > A', 'A'],
      ['T > B', 'B'],
      ['T > B', 'B'],
      ['T > B', 'B'],
    ]);
    expect(chunks[3]?.text).toBe(`[T > B] ${words('x', 100)}`);
    expect(chunks[4]?.text).toBe(
      `[T > B] ${lastWords(words('x', 100), OVERLAP_WORDS)}\n\n${words('y', 100)}`,
    );
    expect(chunks.every((c) => c.totalChunks === 6)).toBe(true);
  });

  it('cuts a paragraph over 300 words on sentence boundaries, after flushing what was gathered', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence${i} ${words(`s${i}w`, 9)}.`); // 10 words each
    const intro = words('intro', 20);
    const chunks = chunkPage('test', page('T', `# S\n\n${intro}\n\n${sentences.join(' ')}`)).chunks;
    const raw = [
      intro,
      sentences.slice(0, 15).join(' '),
      sentences.slice(15, 30).join(' '),
      sentences.slice(30).join(' '),
    ];
    expect(chunks.map((c) => c.text)).toEqual(
      raw.map((text, i) => `[T > S] ${i === 0 ? '' : `${lastWords(raw[i - 1]!, OVERLAP_WORDS)}\n\n`}${text}`),
    );
  });

  it('ends sentences at ? and ! and at line breaks, but not before a lowercase word', () => {
    const questions = Array.from(
      { length: 31 },
      (_, i) => `Why${i} ${words(`q${i}w`, 9)}${i % 2 ? '?' : '!'}`,
    );
    const chunks = chunkPage('test', page('T', `# S\n\n${questions.join(' ')}`)).chunks;
    expect(chunks.map((c) => c.text.split('\n\n').pop())).toEqual([
      `[T > S] ${questions.slice(0, 15).join(' ')}`,
      questions.slice(15, 30).join(' '),
      questions[30],
    ]);

    const lowercase = Array.from({ length: 31 }, (_, i) => `then${i} ${words(`l${i}w`, 9)}.`).join(' ');
    expect(chunkPage('test', page('T', `# S\n\n${lowercase}`)).chunks).toHaveLength(1);

    const lines = Array.from({ length: 31 }, (_, i) => `line${i} ${words(`n${i}w`, 9)}`);
    const byLine = chunkPage('test', page('T', `# S\n\n${lines.join('\n')}`)).chunks;
    expect(byLine[0]?.text).toBe(`[T > S] ${lines.slice(0, 15).join(' ')}`);
  });

  it(`starts every later chunk of a section with at most ${OVERLAP_WORDS} words of overlap`, () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => words(`v${i}x`, 5 + ((i * 37) % 90)));
    const body = `# A\n\n${paragraphs.slice(0, 15).join('\n\n')}\n\n## B\n\n${paragraphs.slice(15).join('\n\n')}`;
    const chunks = chunkPage('test', page('T', body)).chunks;
    expect(chunks.length).toBeGreaterThan(4);
    chunks.forEach((chunk, i) => {
      const previous = chunks[i - 1];
      if (!previous || previous.section !== chunk.section) return;
      const overlap = chunk.text.slice(chunk.text.indexOf('] ') + 2).split('\n\n')[0]!;
      expect(overlap.split(' ').length).toBeLessThanOrEqual(OVERLAP_WORDS);
      expect(previous.text.split(/\s+/).slice(-overlap.split(' ').length).join(' ')).toBe(overlap);
    });
  });

  it('counts the words of the whole body, headings included', () => {
    const result = chunkPage('test', page('T', `# Heading Words\n\n${p1}`));
    expect(result.wordCount).toBe(103);
  });
});

/**
 * Page chunking for embeddings, as otterwiki-semantic-search's chunking.py does it (SPEC §6).
 * Constants and rules carry upstream's names. One deliberate difference: headings are found with
 * parseBodyHeadings, so a `#` line inside a fenced code block does not split a section (SPEC §6
 * asks for this; upstream matched `^#{1,6}\s+` on every line), and headings follow CommonMark
 * (up to 3 leading spaces, a closing `##` sequence removed).
 */
import { type Frontmatter, frontmatterTitle, parseFrontmatter } from './frontmatter.js';
import { parseBodyHeadings } from './sections.js';
import { PY_WHITESPACE, pyStrip, splitWords } from './text.js';

/** Target size of a chunk, in words. */
export const TARGET_WORDS = 150;
/** Words of the previous chunk repeated at the start of the next one, within a section. */
export const OVERLAP_WORDS = 35;
/** Sections (and pages) under this many words stay one chunk. */
export const MIN_CHUNK_WORDS = 300;
/** Sections under this many words are merged into a neighbour. */
export const STUB_WORDS = 50;
/** At most this many heading levels appear in a chunk's prefix. */
export const MAX_PREFIX_DEPTH = 3;

export interface Chunk {
  /** The chunk as embedded: `[Title > H1 > H2] ` followed by the text. */
  text: string;
  /** The title of the heading the chunk belongs to; "" before the first heading. */
  section: string;
  /** Page title, then up to MAX_PREFIX_DEPTH heading titles; joined with " > " it is upstream's section_path. */
  sectionPath: string[];
  chunkIndex: number;
  totalChunks: number;
}

export interface ChunkedPage {
  chunks: Chunk[];
  /** The page's frontmatter, stripped from the text before chunking. */
  metadata: Frontmatter | null;
  /** Words in the body (upstream's page_word_count). */
  wordCount: number;
}

interface Section {
  /** 0 for the preamble before the first heading. */
  level: number;
  heading: string;
  text: string;
  path: string[];
}

/**
 * Split a page into chunks for embedding. `pageName` is the prefix's title when the frontmatter
 * has none (upstream passes the page path). Returns no chunks for an empty body.
 */
export function chunkPage(pageName: string, content: string): ChunkedPage {
  const { frontmatter, body: rawBody } = parseFrontmatter(content);
  const body = pyStrip(rawBody);
  const wordCount = wordTotal(body);
  if (body === '') return { chunks: [], metadata: frontmatter, wordCount };

  const pageTitle = frontmatterTitle(frontmatter) ?? pageName;
  const sections = mergeStubSections(splitIntoSections(body, pageTitle)).filter(
    (section) => pyStrip(section.text) !== '',
  );

  const pieces: Array<{ text: string; section: Section }> = [];
  for (const section of sections) {
    const prefix = `[${section.path.join(' > ')}] `;
    const text = pyStrip(section.text);
    // Upstream: a page under MIN_CHUNK_WORDS, or a section under it, is one chunk per section.
    // (A section never has more words than its page, so the section test covers both.)
    const texts = wordTotal(text) < MIN_CHUNK_WORDS ? [text] : withOverlap(chunkText(text));
    for (const piece of texts) pieces.push({ text: prefix + piece, section });
  }

  const chunks = pieces.map(({ text, section }, chunkIndex) => ({
    text,
    section: section.heading,
    sectionPath: section.path,
    chunkIndex,
    totalChunks: pieces.length,
  }));
  return { chunks, metadata: frontmatter, wordCount };
}

function wordTotal(text: string): number {
  return splitWords(text).length;
}

/**
 * Upstream's _split_into_sections + _build_header_stack: a preamble (level 0, always present,
 * possibly empty) and one section per heading, each with the text up to the next heading.
 * The path is the page title plus the first MAX_PREFIX_DEPTH titles of the heading stack.
 */
function splitIntoSections(body: string, pageTitle: string): Section[] {
  const lines = body.split('\n');
  const headings = parseBodyHeadings(body);
  const sections: Section[] = [];
  const textBetween = (from: number, to: number) => pyStrip(lines.slice(from, to).join('\n'));
  sections.push({
    level: 0,
    heading: '',
    text: textBetween(0, headings[0]?.line ?? lines.length),
    path: [pageTitle],
  });
  headings.forEach((heading, index) => {
    const end = headings[index + 1]?.line ?? lines.length;
    const path = [pageTitle, ...heading.path.slice(0, MAX_PREFIX_DEPTH)];
    sections.push({
      level: heading.level,
      heading: heading.title,
      text: textBetween(heading.line + 1, end),
      path,
    });
  });
  return sections;
}

/**
 * Upstream's _merge_stub_sections. Forward pass: a heading section under STUB_WORDS whose next
 * section has at least STUB_WORDS is merged into that next section (its text goes first, the
 * next section's heading and path are kept). Backward pass: a trailing heading section under
 * STUB_WORDS is appended to the section before it, if that one is a heading section with at least
 * STUB_WORDS. The preamble is never merged; stubs between stubs stay as they are.
 */
function mergeStubSections(input: readonly Section[]): Section[] {
  const sections = input.map((section) => ({ ...section }));
  const isStub = (section: Section) => wordTotal(section.text) < STUB_WORDS;

  let i = 0;
  while (i < sections.length - 1) {
    const section = sections[i]!;
    const next = sections[i + 1]!;
    if (section.level > 0 && isStub(section) && !isStub(next)) {
      if (section.text) next.text = next.text ? `${section.text}\n\n${next.text}` : section.text;
      sections.splice(i, 1);
    } else {
      i += 1;
    }
  }

  const last = sections[sections.length - 1];
  const previous = sections[sections.length - 2];
  if (last && previous && last.level > 0 && isStub(last) && previous.level > 0 && !isStub(previous)) {
    if (last.text) previous.text = previous.text ? `${previous.text}\n\n${last.text}` : last.text;
    sections.pop();
  }
  return sections;
}

const PARAGRAPH_BREAK = /\n\n+/;
/** Upstream's _split_sentences: after `.`, `!` or `?` when a capital letter follows, and at newlines. */
const SENTENCE_BREAK = new RegExp(`(?<=[.!?])${PY_WHITESPACE}+(?=[A-Z])|\\n`);

/**
 * Upstream's _chunk_text: gather paragraphs up to TARGET_WORDS per chunk. A paragraph over twice
 * TARGET_WORDS first flushes what was gathered, then is cut on sentence boundaries into chunks of
 * at most TARGET_WORDS (a single longer sentence stays whole). No overlap yet.
 */
function chunkText(text: string): string[] {
  const paragraphs = text
    .split(PARAGRAPH_BREAK)
    .map(pyStrip)
    .filter((paragraph) => paragraph !== '');
  const chunks: string[] = [];
  let gathered: string[] = [];
  let gatheredWords = 0;
  const flush = () => {
    if (gathered.length > 0) chunks.push(gathered.join('\n\n'));
    gathered = [];
    gatheredWords = 0;
  };

  for (const paragraph of paragraphs) {
    const words = wordTotal(paragraph);
    if (words > TARGET_WORDS * 2) {
      flush();
      chunks.push(...sentenceChunks(paragraph));
      continue;
    }
    if (gatheredWords + words > TARGET_WORDS && gathered.length > 0) flush();
    gathered.push(paragraph);
    gatheredWords += words;
  }
  flush();
  return chunks;
}

function sentenceChunks(paragraph: string): string[] {
  const sentences = paragraph.split(SENTENCE_BREAK).filter((sentence) => pyStrip(sentence) !== '');
  const chunks: string[] = [];
  let gathered: string[] = [];
  let gatheredWords = 0;
  for (const sentence of sentences) {
    const words = wordTotal(sentence);
    if (gatheredWords + words > TARGET_WORDS && gathered.length > 0) {
      chunks.push(gathered.join(' '));
      gathered = [];
      gatheredWords = 0;
    }
    gathered.push(sentence);
    gatheredWords += words;
  }
  if (gathered.length > 0) chunks.push(gathered.join(' '));
  return chunks;
}

/**
 * Upstream's overlap, applied within one section only: every chunk after the first starts with
 * the last OVERLAP_WORDS words of the chunk before it (as split, without its own overlap),
 * joined by spaces and followed by a blank line.
 */
function withOverlap(chunks: readonly string[]): string[] {
  return chunks.map((chunk, index) => {
    const previous = chunks[index - 1];
    if (previous === undefined) return chunk;
    return `${splitWords(previous).slice(-OVERLAP_WORDS).join(' ')}\n\n${chunk}`;
  });
}

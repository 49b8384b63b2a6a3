/**
 * Otterwiki's `titleSs`: Python's `str.title()` except that `ß` is kept as it is and an apostrophe
 * does not start a new word ("they're" → "They're", not "They'Re").
 *
 * `str.title()` upper-cases (title-cases) a character that follows an uncased one and lower-cases a
 * character that follows a cased one, so digits and punctuation start words: "2nd" → "2Nd",
 * "ab-cd" → "Ab-Cd". `titleSs` swaps `ß` and `'` for marker words of cased letters, so both behave
 * as cased characters that never change.
 */
export function otterwikiTitleCase(text: string): string {
  let result = '';
  let previousCased = false;
  for (const char of text) {
    if (char === 'ß' || char === "'") {
      result += char;
      previousCased = true;
      continue;
    }
    result += previousCased ? char.toLowerCase() : titleCaseOf(char);
    previousCased = CASED.test(char);
  }
  return result;
}

/** Unicode's derived property Cased, which Python's title() consults. */
const CASED = /\p{Cased}/u;
const YPOGEGRAMMENI = '\u0345';

/** The four letters whose title case is neither their upper nor their lower case (Dž, Lj, Nj, Dz). */
const TITLE_CASE_DIGRAPHS: Readonly<Record<string, string>> = {
  Ǆ: 'ǅ',
  ǅ: 'ǅ',
  ǆ: 'ǅ',
  Ǉ: 'ǈ',
  ǈ: 'ǈ',
  ǉ: 'ǈ',
  Ǌ: 'ǋ',
  ǋ: 'ǋ',
  ǌ: 'ǋ',
  Ǳ: 'ǲ',
  ǲ: 'ǲ',
  ǳ: 'ǲ',
};

/**
 * Unicode's full title-case mapping of one character, which JavaScript does not expose: upper case,
 * except that in an expanding mapping only the first cased letter stays capital ("ﬁ" → "Fi",
 * "ŉ" → "ʼN") and Greek letters with ypogegrammeni keep it as a mark ("ᾳ" → "ᾼ").
 * (Python's final-sigma rule is left out: it concerns a capital Σ, and Otterwiki title-cases
 * all-lowercase names only.)
 */
function titleCaseOf(char: string): string {
  const digraph = TITLE_CASE_DIGRAPHS[char];
  if (digraph) return digraph;
  const decomposed = char.normalize('NFD');
  if (decomposed.includes(YPOGEGRAMMENI)) {
    return [...decomposed]
      .map((part) => (part === YPOGEGRAMMENI ? part : part.toUpperCase()))
      .join('')
      .normalize('NFC');
  }
  const upper = [...char.toUpperCase()];
  if (upper.length === 1) return upper[0]!;
  const firstCased = upper.findIndex((part) => CASED.test(part));
  return upper.map((part, index) => (index > firstCased ? part.toLowerCase() : part)).join('');
}

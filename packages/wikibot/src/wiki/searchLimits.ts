/** What one search may cost, checked before any work starts (docs/security.md, "Search limits"). */
export interface SearchLimits {
  /** Longest query, in characters. */
  maxQueryChars: number;
  /** Most distinct words in a query; a phrase counts word by word. */
  maxTerms: number;
  /** Most results in one answer (`limit`). */
  maxResults: number;
  /** Characters of a page's text read to find its snippet. */
  snippetScanChars: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = {
  maxQueryChars: 500,
  maxTerms: 10,
  maxResults: 100,
  snippetScanChars: 20_000,
};

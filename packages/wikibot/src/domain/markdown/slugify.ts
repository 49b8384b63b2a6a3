const NOT_SLUG_CHARS = /[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu;

/**
 * GitHub-style heading slug: lower case, punctuation dropped, spaces to hyphens.
 * Idempotent on slugs, so `[[Page#My Section]]` and `[[Page#my-section]]` reach the same heading.
 */
export function slugify(text: string): string {
  return text.trim().toLowerCase().replace(NOT_SLUG_CHARS, '').replace(/ /g, '-');
}

/** The slug of `text`, suffixed `-1`, `-2`, … until it is not in `used`; records the result. */
export function uniqueSlug(text: string, used: Set<string>): string {
  const base = slugify(text) || 'section';
  let id = base;
  for (let n = 1; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time as a Date; a date-time without an offset is taken as UTC.
 * Null when the text is not such a date or names an impossible one.
 */
export function parseInstant(text: string): Date | null {
  const t = text.trim();
  if (!ISO_8601.test(t)) return null;
  const zoned = t.length === 10 || /Z|[+-]\d{2}:?\d{2}$/.test(t.slice(10)) ? t : `${t}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

import type { Context } from 'hono';

/** The site icon: a small "w" on a rounded square, as SVG (which browsers take at /favicon.ico too). */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b57d0"/><path d="M6 9h4l2.5 11L15 9h2l2.5 11L22 9h4l-4.5 15h-3.5L16 14l-2 10h-3.5z" fill="#fff"/></svg>`;

export const FAVICON_PATHS = ['/favicon.ico', '/favicon.svg'] as const;

export function favicon(c: Context): Response {
  return c.body(ICON, 200, {
    'Content-Type': 'image/svg+xml',
    'Cache-Control': 'public, max-age=86400',
  });
}

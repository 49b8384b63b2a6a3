import type { FC } from 'hono/jsx';

/** The hidden CSRF token every form posts (absent for requests without a session, e.g. bearer tokens). */
export const CsrfField: FC<{ token: string | null }> = ({ token }) =>
  token ? <input type="hidden" name="_csrf" value={token} /> : null;

/** A one-button form that posts to `action` (delete, revert, revoke, …). */
export const PostButton: FC<{
  action: string;
  csrf: string | null;
  label: string;
  fields?: Record<string, string>;
  className?: string;
}> = ({ action, csrf, label, fields, className }) => (
  <form class="inline-form" method="post" action={action}>
    <CsrfField token={csrf} />
    {Object.entries(fields ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class={className}>
      {label}
    </button>
  </form>
);

import type { Child, FC } from 'hono/jsx';
import type { Chrome } from '../chrome.js';
import { Layout } from './layout.js';

/** A page that says one thing: an error, a refusal, a "not found". */
export const MessagePage: FC<{ chrome: Chrome; title: string; children?: Child }> = ({
  chrome,
  title,
  children,
}) => (
  <Layout chrome={chrome} title={title}>
    <div class="content-width">
      <h1 class="page-title">{title}</h1>
      {children}
    </div>
  </Layout>
);

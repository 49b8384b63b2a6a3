import { RenderLimitExceeded } from '../domain/markdown/limits.js';
import { type RenderedPage, type RenderOptions, renderMarkdown } from '../domain/markdown/render.js';
import type { ResolvedWikiLink } from '../domain/markdown/types.js';

/** A render as a worker gets it: functions cannot cross threads, so wikilinks come resolved. */
export interface RenderTaskInput {
  markdown: string;
  options: Omit<RenderOptions, 'resolveWikiLink'>;
  /** Every target `wikiLinkTargets` found, resolved. */
  wikiLinks: Map<string, ResolvedWikiLink>;
}

export type RenderTaskResult =
  | { page: RenderedPage }
  | { exceeded: { limit: RenderLimitExceeded['limit']; found: number; max: number; message: string } };

const UNRESOLVED: ResolvedWikiLink = { href: '', exists: false };

/** Renders in a worker; a page over a limit comes back as data (errors lose their fields in transit). */
export function renderTask(input: RenderTaskInput): RenderTaskResult {
  try {
    const page = renderMarkdown(input.markdown, {
      ...input.options,
      resolveWikiLink: (target) => input.wikiLinks.get(target) ?? UNRESOLVED,
    });
    return { page };
  } catch (error) {
    if (!(error instanceof RenderLimitExceeded)) throw error;
    const { limit, found, max, message } = error;
    return { exceeded: { limit, found, max, message } };
  }
}

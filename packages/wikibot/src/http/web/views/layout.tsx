import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import type { Chrome } from '../chrome.js';
import { PLATFORM, wikiHome, wikiPageUrl } from '../urls.js';
import { CsrfField } from './forms.js';

export interface LayoutProps {
  chrome: Chrome;
  title: string;
  /** Load the editor bundle (edit page). */
  editor?: boolean;
  /** Load KaTeX's stylesheet (the content has math). */
  katex?: boolean;
  children?: Child;
}

/** The frame of every HTML page: head, header with search and account links, sidebar, content. */
export const Layout: FC<LayoutProps> = ({ chrome, title, editor, katex, children }) => {
  const { assets, wiki, flash } = chrome;
  const fullTitle = wiki ? `${title} · ${wiki.title}` : `${title} · wikibot`;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en" data-theme={chrome.theme ?? undefined} data-mermaid-src={assets.mermaid ?? undefined}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
          <title>{fullTitle}</title>
          {assets.style && <link rel="stylesheet" href={assets.style} />}
          {katex && assets.katex && <link rel="stylesheet" href={assets.katex} />}
          {wiki && (
            <link
              rel="alternate"
              type="application/atom+xml"
              title={`${wiki.title} changelog`}
              href={wikiPageUrl(wiki.slug, 'changelog.atom')}
            />
          )}
          {assets.app && <script defer src={assets.app} />}
          {editor && assets.editor && <script defer src={assets.editor} />}
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <Header chrome={chrome} />
          <div class={chrome.sidebar ? 'layout' : 'layout no-sidebar'}>
            <main id="main" class="main-column" tabindex={-1}>
              {flash && <p class={`flash ${flash.kind}`}>{flash.text}</p>}
              {children}
            </main>
            {chrome.sidebar && wiki && raw(chrome.sidebar)}
          </div>
          <ShortcutsHelp />
        </body>
      </html>
    </>
  );
};

const Header: FC<{ chrome: Chrome }> = ({ chrome }) => {
  const { wiki, user } = chrome;
  const nextTheme = chrome.theme === 'dark' ? 'light' : 'dark';
  return (
    <header class="site-header">
      <a class="brand" href={wiki ? wikiHome(wiki.slug) : PLATFORM.home}>
        {wiki ? wiki.title : 'wikibot'}
      </a>
      {/* On narrow screens the rest folds into a menu; a checkbox opens it without JavaScript. */}
      <input type="checkbox" id="menu-toggle" class="menu-toggle" />
      <label for="menu-toggle" class="menu-button">
        Menu
      </label>
      <div class="header-menu">
        {wiki && (
          <nav aria-label="Wiki">
            <ul class="nav-links">
              {chrome.sidebar && (
                <li class="narrow-only">
                  <a href="#pages">Pages</a>
                </li>
              )}
              <li>
                <a href={wikiPageUrl(wiki.slug, 'index')} data-shortcut="i">
                  A–Z
                </a>
              </li>
              <li>
                <a href={wikiPageUrl(wiki.slug, 'changelog')} data-shortcut="c">
                  Changelog
                </a>
              </li>
              {wiki.can.write && (
                <li>
                  <a href={wikiPageUrl(wiki.slug, 'create')} data-shortcut="n">
                    New page
                  </a>
                </li>
              )}
              {wiki.can.admin && (
                <li>
                  <a href={wikiPageUrl(wiki.slug, 'settings')}>Settings</a>
                </li>
              )}
            </ul>
          </nav>
        )}
        {wiki && (
          <search class="search">
            <form class="search-form" method="get" action={wikiPageUrl(wiki.slug, 'search')}>
              <label class="visually-hidden" for="site-search">
                Search this wiki
              </label>
              <input type="search" id="site-search" name="q" placeholder="Search (press /)" />
              <button type="submit">Search</button>
            </form>
          </search>
        )}
        <div class="user">
          <a class="theme-toggle" href={PLATFORM.theme(nextTheme, chrome.here)}>
            {nextTheme === 'dark' ? 'Dark mode' : 'Light mode'}
          </a>
          {(user || wiki) && <a href={user ? PLATFORM.wikis : PLATFORM.home}>My wikis</a>}
          {user ? (
            <>
              <a href={PLATFORM.account}>{user.username}</a>
              <form class="inline-form" method="post" action={PLATFORM.logout}>
                <CsrfField token={chrome.csrf} />
                <button type="submit" class="link">
                  Log out
                </button>
              </form>
            </>
          ) : (
            <a href={PLATFORM.login(chrome.here)}>Log in</a>
          )}
        </div>
      </div>
    </header>
  );
};

const SHORTCUTS: [string, string][] = [
  ['/', 'Search'],
  ['e', 'Edit this page'],
  ['h', 'History of this page'],
  ['b', 'Blame'],
  ['a', 'Attachments'],
  ['n', 'New page'],
  ['i', 'A–Z index'],
  ['c', 'Changelog'],
  ['Ctrl S', 'Save (in the editor)'],
  ['?', 'This list'],
];

const ShortcutsHelp: FC = () => (
  <dialog class="shortcuts-help" aria-labelledby="shortcuts-title">
    <h2 id="shortcuts-title">Keyboard shortcuts</h2>
    <table class="list">
      <tbody>
        {SHORTCUTS.map(([key, what]) => (
          <tr>
            <td>
              <kbd>{key}</kbd>
            </td>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <p>
      <button type="button" class="close">
        Close
      </button>
    </p>
  </dialog>
);

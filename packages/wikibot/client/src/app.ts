import { initCopyButtons } from './copy.js';
import { initMermaid } from './mermaid.js';
import { initShortcuts } from './shortcuts.js';
import { initThemeToggle } from './theme.js';

/** Enhancements of every page. Everything here is optional: the pages work without it. */
initThemeToggle();
initShortcuts();
initCopyButtons();
initMermaid();

/**
 * Single-key shortcuts, as links and buttons declare them with `data-shortcut` (e: edit, h: history,
 * …); `/` focuses search and `?` opens the list. Keys typed into a field are never taken.
 */
export function initShortcuts(): void {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (event.key === '/') {
      const search = document.querySelector<HTMLInputElement>('input[type="search"]');
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    if (event.key === '?') {
      const help = document.querySelector<HTMLDialogElement>('dialog.shortcuts-help');
      if (help && !help.open) {
        event.preventDefault();
        help.showModal();
      }
      return;
    }
    const target = document.querySelector<HTMLElement>(`[data-shortcut="${CSS.escape(event.key)}"]`);
    if (target) {
      event.preventDefault();
      target.click();
    }
  });
  for (const close of document.querySelectorAll<HTMLButtonElement>('dialog.shortcuts-help button.close')) {
    close.addEventListener('click', () => close.closest('dialog')?.close());
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

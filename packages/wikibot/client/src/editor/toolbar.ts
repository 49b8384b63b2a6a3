import { EditorSelection } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

type Action = (view: EditorView) => void;

/** Surround each selection with `before`/`after`; an empty selection gets `placeholder`, selected. */
function wrap(before: string, after: string, placeholder: string): Action {
  return (view) => {
    view.dispatch(
      view.state.changeByRange((range) => {
        const text = view.state.sliceDoc(range.from, range.to) || placeholder;
        const start = range.from + before.length;
        return {
          changes: { from: range.from, to: range.to, insert: before + text + after },
          range: EditorSelection.range(start, start + text.length),
        };
      }),
    );
  };
}

/** Toggle a prefix on every line the selections touch (headings, quotes, lists). */
function prefixLines(prefix: string): Action {
  return (view) => {
    const { state } = view;
    const lines = new Set<number>();
    for (const range of state.selection.ranges) {
      for (let n = state.doc.lineAt(range.from).number; n <= state.doc.lineAt(range.to).number; n++)
        lines.add(n);
    }
    const changes = [...lines].map((n) => {
      const line = state.doc.line(n);
      return line.text.startsWith(prefix)
        ? { from: line.from, to: line.from + prefix.length, insert: '' }
        : { from: line.from, insert: prefix };
    });
    view.dispatch({ changes });
  };
}

function insertBlock(block: string): Action {
  return (view) => {
    const { state } = view;
    const line = state.doc.lineAt(state.selection.main.head);
    const lead = line.text.trim() === '' ? '' : '\n\n';
    view.dispatch({ changes: { from: line.to, insert: `${lead}${block}\n` } });
  };
}

const TABLE = '| Column | Column |\n| --- | --- |\n| Cell | Cell |';

/** What each toolbar button (`data-action`) does. */
export const TOOLBAR_ACTIONS: Record<string, Action> = {
  bold: wrap('**', '**', 'bold text'),
  italic: wrap('*', '*', 'italic text'),
  strike: wrap('~~', '~~', 'struck text'),
  mark: wrap('==', '==', 'highlighted text'),
  code: wrap('`', '`', 'code'),
  heading: prefixLines('## '),
  quote: prefixLines('> '),
  ul: prefixLines('- '),
  ol: prefixLines('1. '),
  task: prefixLines('- [ ] '),
  link: wrap('[', '](https://)', 'link text'),
  wikilink: wrap('[[', ']]', 'Page name'),
  table: insertBlock(TABLE),
};

export function initToolbar(toolbar: HTMLElement, view: EditorView): void {
  toolbar.hidden = false;
  toolbar.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const action = button && TOOLBAR_ACTIONS[button.dataset.action ?? ''];
    if (!action) return;
    action(view);
    view.focus();
  });
}

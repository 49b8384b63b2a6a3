/** An unsaved edit kept in the browser, so a closed tab or a crash loses nothing. */
export interface Draft {
  content: string;
  /** The page revision the edit started from. */
  revision: string;
  savedAt: string;
}

const PREFIX = 'wikibot:draft:';

export class DraftStore {
  private readonly key: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(name: string) {
    this.key = PREFIX + name;
  }

  load(): Draft | null {
    try {
      const raw = localStorage.getItem(this.key);
      const draft = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
      return draft && typeof draft.content === 'string' ? (draft as Draft) : null;
    } catch {
      return null;
    }
  }

  /** Save shortly after typing stops. */
  saveSoon(content: string, revision: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(content, revision), 600);
  }

  save(content: string, revision: string): void {
    clearTimeout(this.timer);
    try {
      localStorage.setItem(
        this.key,
        JSON.stringify({ content, revision, savedAt: new Date().toISOString() }),
      );
    } catch {
      // Storage full or disabled: drafts are a convenience, editing goes on.
    }
  }

  clear(): void {
    clearTimeout(this.timer);
    try {
      localStorage.removeItem(this.key);
    } catch {
      // Storage disabled: nothing was kept.
    }
  }
}

import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

/** One compound selector: tag, #id, .classes, [attr] and [attr=value]. */
interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attrs: [name: string, value: string | null][];
}

function parseCompound(text: string): Compound {
  const compound: Compound = { classes: [], attrs: [] };
  const pattern = /([a-z0-9-]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:="?([^"\]]*)"?)?\]/gi;
  for (const match of text.matchAll(pattern)) {
    if (match[1]) compound.tag = match[1].toLowerCase();
    else if (match[2]) compound.id = match[2];
    else if (match[3]) compound.classes.push(match[3]);
    else if (match[4]) compound.attrs.push([match[4], match[5] ?? null]);
  }
  return compound;
}

export function attrOf(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function matches(element: Element, c: Compound): boolean {
  if (c.tag && element.tagName !== c.tag) return false;
  if (c.id && attrOf(element, 'id') !== c.id) return false;
  const classes = (attrOf(element, 'class') ?? '').split(/\s+/);
  if (!c.classes.every((cls) => classes.includes(cls))) return false;
  return c.attrs.every(([name, value]) => {
    const actual = attrOf(element, name);
    return value === null ? actual !== undefined : actual === value;
  });
}

function* descendants(node: Node): Generator<Element> {
  const children = 'childNodes' in node ? node.childNodes : [];
  const all =
    'content' in node
      ? [...children, ...(node as DefaultTreeAdapterTypes.Template).content.childNodes]
      : children;
  for (const child of all) {
    if ('tagName' in child) {
      yield child;
      yield* descendants(child);
    }
  }
}

/** A parsed page with just enough of querySelector for tests (compound selectors and descendants). */
export class Page {
  private readonly root: DefaultTreeAdapterTypes.Document;

  constructor(readonly source: string) {
    this.root = parse(source);
  }

  all(selector: string, from: Node = this.root): Element[] {
    const [first, ...rest] = selector.trim().split(/\s+/).map(parseCompound);
    let found = [...descendants(from)].filter((el) => matches(el, first as Compound));
    for (const compound of rest) {
      const next = new Set<Element>();
      for (const el of found) for (const d of descendants(el)) if (matches(d, compound)) next.add(d);
      found = [...next];
    }
    return found;
  }

  one(selector: string): Element {
    const [found] = this.all(selector);
    if (!found) throw new Error(`no element matches ${selector}`);
    return found;
  }

  has(selector: string): boolean {
    return this.all(selector).length > 0;
  }

  text(selectorOrElement: string | Element | undefined): string {
    const element = typeof selectorOrElement === 'string' ? this.one(selectorOrElement) : selectorOrElement;
    if (!element) throw new Error('no element to read text from');
    return textOf(element).replace(/\s+/g, ' ').trim();
  }

  /** Text as written, line breaks kept (a textarea's content, without its leading newline). */
  rawText(selector: string): string {
    return textOf(this.one(selector)).replace(/^\n/, '');
  }

  attr(selector: string, name: string): string | undefined {
    return attrOf(this.one(selector), name);
  }

  /** Text of every element matching `selector`. */
  texts(selector: string): string[] {
    return this.all(selector).map((el) => this.text(el));
  }
}

function textOf(node: DefaultTreeAdapterTypes.ChildNode): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

import { type DefaultTreeAdapterTypes, parse, parseFragment, serialize } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/** Parses like a browser inserting the page into <body> (parse5 follows the WHATWG algorithm). */
export function parseBody(html: string): DefaultTreeAdapterTypes.DocumentFragment {
  const document = parse('<!DOCTYPE html><html><head></head><body></body></html>');
  const htmlElement = document.childNodes.find((node) => node.nodeName === 'html') as Element;
  const body = htmlElement.childNodes.find((node) => node.nodeName === 'body') as Element;
  return parseFragment(body, html, {});
}

function isElement(node: DefaultTreeAdapterTypes.ChildNode): node is Element {
  return 'tagName' in node;
}

/** Every element below `root`, template contents included. */
export function* elementsOf(root: ParentNode): Generator<Element> {
  const children = 'content' in root ? [...root.childNodes, ...root.content.childNodes] : root.childNodes;
  for (const child of children) {
    if (!isElement(child)) continue;
    yield child;
    yield* elementsOf(child);
  }
}

export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function hasClass(element: Element, cls: string): boolean {
  return (attr(element, 'class') ?? '').split(/\s+/).includes(cls);
}

/** KaTeX output (spliced in after its own sanitizer) is the only place styles, SVG and MathML may live. */
function insideKatex(element: Element): boolean {
  if (hasClass(element, 'katex-error')) return true;
  for (let node = element.parentNode; node !== null && 'tagName' in node; node = node.parentNode) {
    if (hasClass(node, 'katex')) return true;
  }
  return false;
}

const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'button',
  'select',
  'textarea',
  'base',
  'meta',
  'link',
  'noscript',
  'template',
  'video',
  'audio',
  'source',
]);
const KATEX_ONLY_ELEMENTS = new Set(['svg', 'math']);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'srcset',
  'srcdoc',
  'poster',
  'background',
  'cite',
  'data',
  'codebase',
  'lowsrc',
  'dynsrc',
  'ping',
]);
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data):/;
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/;

/** The URL as a browser's scheme check sees it: entities decoded (by the parser), no whitespace/controls. */
function normalizedUrl(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these characters in URLs, so the check must too
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
}

function violationsOf(root: ParentNode): string[] {
  const problems: string[] = [];
  for (const el of elementsOf(root)) {
    const tag = el.tagName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`<${tag}> element`);
    if (KATEX_ONLY_ELEMENTS.has(tag) && !insideKatex(el)) problems.push(`<${tag}> outside KaTeX output`);
    if (tag === 'input' && attr(el, 'type') !== 'checkbox') problems.push('non-checkbox <input>');
    for (const { name, prefix, value } of el.attrs) {
      const fullName = (prefix ? `${prefix}:${name}` : name).toLowerCase();
      if (fullName.startsWith('on')) problems.push(`event handler ${fullName} on <${tag}>`);
      if (fullName === 'style' && (!insideKatex(el) || /url\(|expression|import/i.test(value))) {
        problems.push(`style attribute on <${tag}>`);
      }
      if (URL_ATTRIBUTES.has(fullName)) {
        const url = normalizedUrl(value);
        const allowedImage = tag === 'img' && fullName === 'src' && SAFE_DATA_IMAGE.test(url);
        if (DANGEROUS_SCHEME.test(url) && !allowedImage) problems.push(`${fullName}="${value}" on <${tag}>`);
        if (fullName === 'srcdoc' || fullName === 'srcset') problems.push(`${fullName} on <${tag}>`);
      }
    }
  }
  return problems;
}

/**
 * Structural XSS check of rendered HTML: parsed as a browser would, and again after a
 * serialize/re-parse round trip (how mutation XSS surfaces, e.g. through innerHTML).
 */
export function findXssViolations(html: string): string[] {
  const first = parseBody(html);
  const reparsed = parseBody(serialize(first));
  return [...new Set([...violationsOf(first), ...violationsOf(reparsed)])];
}

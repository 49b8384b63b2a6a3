import sanitizeHtml from 'sanitize-html';

/** Raster image types a browser shows in <img> without running anything; SVG is left out. */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these characters in URLs, so the check must too
const CONTROL_AND_SPACE = /[\u0000-\u0020\u007f-\u009f]/g;

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Classes emitted by this renderer (and its plugins); user HTML may use them, and no others. */
const RENDERER_CLASSES: (string | RegExp)[] = [
  'wikilink',
  'missing',
  'markdown-alert',
  'markdown-alert-*',
  'task-list-*',
  'footnote-*',
  'footnotes',
  'footnotes-*',
  'mermaid',
  'math-display',
  'hljs',
  // Fenced code's language, as markdown-it and highlight.js name it (`language-c++`, `language-c#`).
  /^language-[\w#+.-]+$/,
];

const pageSanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS,
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'samp',
    'var',
    'em',
    'strong',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'mark',
    'sub',
    'sup',
    'small',
    'abbr',
    'cite',
    'q',
    'dfn',
    'time',
    'span',
    'div',
    'section',
    'a',
    'img',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'details',
    'summary',
    'figure',
    'figcaption',
    'ruby',
    'rt',
    'rp',
    'bdi',
    'bdo',
    'wbr',
    'input',
    'label',
  ],
  allowedAttributes: {
    '*': ['title', 'lang', 'dir'],
    ...Object.fromEntries(HEADINGS.map((tag) => [tag, ['id']])),
    a: ['href', 'id'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    ol: ['start', 'reversed', 'type'],
    li: ['id'],
    sup: ['id'],
    span: ['id'],
    div: ['id'],
    th: ['align', 'colspan', 'rowspan', 'scope'],
    td: ['align', 'colspan', 'rowspan'],
    col: ['span'],
    colgroup: ['span'],
    details: ['open'],
    q: ['cite'],
    blockquote: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
    time: ['datetime'],
    input: ['type', 'checked', 'disabled', 'id'],
    label: ['for'],
  },
  allowedClasses: {
    '*': RENDERER_CLASSES,
    // highlight.js scopes: `hljs-keyword`, and sub-scopes like `hljs-title function_`.
    span: ['hljs-*', '*_'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  // Dropped together with everything inside them, not just their tags.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'select',
    'noscript',
    'noembed',
    'noframes',
    'template',
    'title',
    'xmp',
    'iframe',
    'plaintext',
    'svg',
    'math',
  ],
  transformTags: {
    img: (tagName, attribs) => {
      const src = (attribs.src ?? '').replace(CONTROL_AND_SPACE, '').toLowerCase();
      if (src.startsWith('data:') && !SAFE_DATA_IMAGE.test(src)) delete attribs.src;
      return { tagName, attribs };
    },
    // Only read-only checkboxes (task lists) survive; other inputs are dropped by exclusiveFilter.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: 'disabled' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type?.toLowerCase() !== 'checkbox',
};

/** The allow-list sanitizer every rendered page (including raw HTML from Markdown) goes through. */
export function sanitizePageHtml(html: string): string {
  return sanitizeHtml(html, pageSanitizeOptions);
}

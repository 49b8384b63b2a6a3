import sanitizeHtml from 'sanitize-html';

const LENGTH = /^-?(?:\d+\.?\d*|\.\d+)(?:em|ex|px|pt|mu|%)?$/;
const LENGTHS = /^(?:-?(?:\d+\.?\d*|\.\d+)(?:em|ex|px|pt|mu|%)?\s*){1,4}$/;
const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]+)$/i;
const BORDER_STYLE = /^(?:solid|dashed|dotted)$/;
const BORDER = /^-?(?:\d+\.?\d*|\.\d+)(?:em|px)\s+(?:solid|dashed|dotted)\s+(?:#[0-9a-f]{3,8}|[a-z]+)$/i;

const lengthProps = [
  'height',
  'width',
  'min-width',
  'max-width',
  'top',
  'bottom',
  'left',
  'right',
  'vertical-align',
  'margin-left',
  'margin-right',
  'margin-top',
  'margin-bottom',
  'padding-left',
  'padding-right',
  'border-width',
  'border-top-width',
  'border-bottom-width',
  'border-left-width',
  'border-right-width',
];

const mathStyles: Record<string, RegExp[]> = {
  ...Object.fromEntries(lengthProps.map((prop) => [prop, [LENGTH]])),
  margin: [LENGTHS],
  padding: [LENGTHS],
  color: [COLOR],
  'background-color': [COLOR],
  'border-color': [COLOR],
  'border-style': [BORDER_STYLE],
  'border-top-style': [BORDER_STYLE],
  'border-bottom-style': [BORDER_STYLE],
  'border-left-style': [BORDER_STYLE],
  'border-right-style': [BORDER_STYLE],
  border: [BORDER],
  position: [/^(?:relative|absolute)$/],
};

const mathmlPresentation = ['mathvariant', 'mathcolor', 'mathbackground', 'mathsize', 'displaystyle'];

/**
 * Allow-list for KaTeX output only (never for user HTML): its spans with layout styles (lengths and
 * colours, no url()), its SVG paths for stretchy glyphs and its MathML for screen readers.
 */
const mathSanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'span',
    'svg',
    'path',
    'line',
    'math',
    'semantics',
    'annotation',
    'mrow',
    'mi',
    'mn',
    'mo',
    'ms',
    'mtext',
    'mspace',
    'msup',
    'msub',
    'msubsup',
    'mfrac',
    'msqrt',
    'mroot',
    'mover',
    'munder',
    'munderover',
    'mtable',
    'mtr',
    'mtd',
    'mstyle',
    'mpadded',
    'mphantom',
    'menclose',
  ],
  allowedAttributes: {
    '*': ['class', 'style', 'aria-hidden', 'title', ...mathmlPresentation],
    math: ['xmlns', 'display'],
    annotation: ['encoding'],
    mo: [
      'fence',
      'stretchy',
      'minsize',
      'maxsize',
      'lspace',
      'rspace',
      'separator',
      'accent',
      'largeop',
      'movablelimits',
    ],
    mfrac: ['linethickness'],
    mtable: ['rowspacing', 'columnspacing', 'columnalign', 'columnlines', 'rowlines', 'width', 'frame'],
    mtd: ['width', 'columnalign'],
    mstyle: ['scriptlevel'],
    mover: ['accent'],
    munder: ['accentunder'],
    mpadded: ['width', 'height', 'depth', 'lspace', 'voffset'],
    mspace: ['width', 'height', 'depth', 'linebreak'],
    menclose: ['notation'],
    svg: ['xmlns', 'width', 'height', 'viewBox', 'preserveAspectRatio'],
    path: ['d'],
    line: ['x1', 'y1', 'x2', 'y2', 'stroke-width'],
  },
  allowedStyles: { '*': mathStyles },
  allowedSchemes: [],
  parser: { lowerCaseAttributeNames: false },
};

export function sanitizeMathHtml(html: string): string {
  return sanitizeHtml(html, mathSanitizeOptions);
}

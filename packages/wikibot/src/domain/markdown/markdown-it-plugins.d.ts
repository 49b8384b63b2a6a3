// markdown-it-mark ships no typings and @types/markdown-it-footnote is CommonJS-only, which does not
// match markdown-it's ESM typings under NodeNext. Both plugins take the markdown-it instance and
// return nothing; `unknown` keeps them assignable to `md.use` without importing across module modes.
declare module 'markdown-it-mark' {
  const markPlugin: (md: unknown) => void;
  export default markPlugin;
}

declare module 'markdown-it-footnote' {
  const footnotePlugin: (md: unknown) => void;
  export default footnotePlugin;
}

declare module 'commonmark-spec' {
  /** The CommonMark spec's examples; tabs appear as '→' in `markdown`. */
  const spec: { tests: { markdown: string; html: string; section: string; number: number }[] };
  export default spec;
}

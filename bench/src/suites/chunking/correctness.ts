/** What a chunk list gets wrong against its source: checked the same way for every library. */
export interface Correctness {
  chunks: number;
  /** Chunks whose reported offsets do not slice to their text (null: the library reports none). */
  offsetErrors: number | null;
  overLimit: number;
  /** Chunks containing U+FFFD where the source has none at that place. */
  replacementChars: number;
  /** Chunk ends strictly inside a word (letter on both sides). */
  midWordEnds: number;
}

export function checkChunks(
  source: string,
  chunks: readonly { text: string; start?: number; end?: number }[],
  size: (text: string) => number,
  limit: number,
): Correctness {
  let offsetErrors = 0;
  let hasOffsets = false;
  let overLimit = 0;
  let replacementChars = 0;
  let midWordEnds = 0;
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.start !== undefined && chunk.end !== undefined) {
      hasOffsets = true;
      if (source.slice(chunk.start, chunk.end) !== chunk.text) offsetErrors++;
    }
    if (size(chunk.text) > limit) overLimit++;
    if (chunk.text.includes('\uFFFD') && !source.includes('\uFFFD')) replacementChars++;
    // Locate the chunk by search only to judge its end position; it is not how we report offsets.
    const at = chunk.end ?? source.indexOf(chunk.text, cursor) + chunk.text.length;
    if (at > 0 && /\p{L}/u.test(source[at - 1] ?? '') && /\p{L}/u.test(source[at] ?? '')) midWordEnds++;
    if (chunk.end === undefined) cursor = Math.max(cursor, at - chunk.text.length);
  }
  return { chunks: chunks.length, offsetErrors: hasOffsets ? offsetErrors : null, overLimit, replacementChars, midWordEnds };
}

export function correctnessTable(rows: { name: string; input: string; limit: string; result: Correctness }[]): string {
  const lines = [
    '| library | input | limit | chunks | offset errors | over limit | U+FFFD chunks | mid-word ends |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const { name, input, limit, result } of rows) {
    lines.push(
      `| ${name} | ${input} | ${limit} | ${String(result.chunks)} | ${result.offsetErrors === null ? 'no offsets' : String(result.offsetErrors)} | ${String(result.overLimit)} | ${String(result.replacementChars)} | ${String(result.midWordEnds)} |`,
    );
  }
  return lines.join('\n');
}

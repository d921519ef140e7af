import { describe, expect, it } from 'vitest';
import { mobyDickText, sotuSpeeches } from './__fixtures__/corpora.js';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { ENCODING_NAMES, getEncoding } from './get-encoding.js';

function firstDifference(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe.each(ENCODING_NAMES)('%s matches tiktoken token for token', (name) => {
  it('on the whole of Moby Dick', async () => {
    const encoding = await getEncoding(name);
    const text = mobyDickText();
    const ours = encoding.encodeOrdinary(text);
    const theirs = reference(name).encode_ordinary(text);
    expect(firstDifference(ours, theirs)).toBe(-1);
    expect(encoding.count(text)).toBe(theirs.length);
    expect(encoding.decode(ours)).toBe(text);
  });
});

// p50k_edit and o200k_harmony share p50k_base's and o200k_base's ranks and split. The default run
// covers the default encoding, o200k_base (10.8 M characters, ≈4 s of CPU, mostly tiktoken's);
// CHUNKWISE_FULL_PARITY=1 adds cl100k, r50k and p50k, which keeps the package's whole test run
// near a minute of CPU on a shared 2-core machine.
const SOTU_ENCODINGS = process.env.CHUNKWISE_FULL_PARITY
  ? (['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const)
  : (['o200k_base'] as const);

describe.each(SOTU_ENCODINGS)('%s matches tiktoken', (name) => {
  it('on every State of the Union address', async () => {
    const encoding = await getEncoding(name);
    const tiktoken = reference(name);
    let tokens = 0;
    for (const speech of sotuSpeeches()) {
      const ours = encoding.encodeOrdinary(speech);
      const theirs = tiktoken.encode_ordinary(speech);
      if (firstDifference(ours, theirs) !== -1) expect.fail(`speech starting ${JSON.stringify(speech.slice(0, 40))} differs`);
      tokens += ours.length;
    }
    expect(tokens).toBeGreaterThan(2_000_000);
  });
});

import { getEncoding } from '@chunkwise/tokenizers';
import type { DigestStage } from './types.js';

/** The encodings the digest reports: GPT-4o/4.1/5 and GPT-4/3.5. */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;

/**
 * Counts every section's tokens in each encoding and reports totals and the per-section table.
 * The totals add up the pieces, blank stretches included: pieces are cut where a line starts with
 * a non-space character, and both encodings' pre-tokenizers never join a newline with what follows
 * it, so the sum equals the count of the whole text (tested) without holding it.
 */
export const tokensStage: DigestStage = {
  name: 'tokens',
  async run({ document, report, onProgress }) {
    const encodings = await Promise.all(TOKEN_ENCODINGS.map((name) => getEncoding(name)));
    const total = document.sections.length;
    const totals: Record<string, number> = Object.fromEntries(TOKEN_ENCODINGS.map((name) => [name, 0]));
    const sections: ({ title: string } & Record<string, number | string>)[] = [];
    for await (const { piece, text } of document.read()) {
      const counts: Record<string, number> = {};
      for (const encoding of encodings) {
        counts[encoding.name] = encoding.count(text);
        totals[encoding.name]! += counts[encoding.name]!;
      }
      if (piece.section < 0) continue;
      sections.push({ title: document.sections[piece.section]!.title, ...counts });
      onProgress({ stage: 'tokens', done: piece.section + 1, total, unit: 'sections' });
    }
    report.tokens = { encodings: [...TOKEN_ENCODINGS], totals, sections };
    return TOKEN_ENCODINGS.map((name) => `${name} ${totals[name]!.toLocaleString('en-US')}`).join(' · ') + ' tokens';
  },
};

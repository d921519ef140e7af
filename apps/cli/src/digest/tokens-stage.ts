import { getEncoding } from '@chunkwise/tokenizers';
import type { DigestStage } from './types.js';

/** The encodings the digest reports: GPT-4o/4.1/5 and GPT-4/3.5. */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;

/** Counts every section's tokens in each encoding and reports totals and the per-section table. */
export const tokensStage: DigestStage = {
  name: 'tokens',
  async run({ document, report, onProgress }) {
    const encodings = await Promise.all(TOKEN_ENCODINGS.map((name) => getEncoding(name)));
    const total = document.sections.length;
    const sections = document.sections.map((section, i) => {
      const text = document.text.slice(section.start, section.end);
      const counts: Record<string, number> = {};
      for (const encoding of encodings) counts[encoding.name] = encoding.count(text);
      onProgress({ stage: 'tokens', done: i + 1, total, unit: 'sections' });
      return { title: section.title, ...counts };
    });
    const totals: Record<string, number> = {};
    for (const encoding of encodings) totals[encoding.name] = encoding.count(document.text);
    report.tokens = { encodings: [...TOKEN_ENCODINGS], totals, sections };
    return TOKEN_ENCODINGS.map((name) => `${name} ${totals[name]!.toLocaleString('en-US')}`).join(' · ') + ' tokens';
  },
};

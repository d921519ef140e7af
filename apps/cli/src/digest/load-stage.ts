import { countWords } from '@chunkwise/summarization';
import type { DigestStage } from './types.js';

/** Counts sections, characters and words (summarization's word rule), one section at a time. */
export const loadStage: DigestStage = {
  name: 'load',
  async run({ document, report, onProgress }) {
    let words = 0;
    const total = document.sections.length;
    for await (const { piece, text } of document.read()) {
      if (piece.section < 0) continue;
      words += countWords(text);
      onProgress({ stage: 'load', done: piece.section + 1, total, unit: 'sections' });
    }
    report.document.words = words;
    return `${total} sections, ${document.characters.toLocaleString('en-US')} characters, ${words.toLocaleString('en-US')} words`;
  },
};

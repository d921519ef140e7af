import { countWords } from '@chunkwise/summarization';
import type { DigestStage } from './types.js';

/** Counts sections, characters and words (summarization's word rule), section by section. */
export const loadStage: DigestStage = {
  name: 'load',
  run({ document, report, onProgress }) {
    let words = 0;
    const total = document.sections.length;
    document.sections.forEach((section, i) => {
      words += countWords(document.text.slice(section.start, section.end));
      onProgress({ stage: 'load', done: i + 1, total, unit: 'sections' });
    });
    report.document.words = words;
    return `${total} sections, ${document.text.length.toLocaleString('en-US')} characters, ${words.toLocaleString('en-US')} words`;
  },
};

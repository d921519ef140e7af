export { sotuPassages, type SotuPassage } from './sotu-passages.js';

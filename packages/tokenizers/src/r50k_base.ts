import { Encoding } from './encoding.js';
import { loadR50kRanks } from './ranks/r50k_base.js';
import { R50K_SPECIAL_TOKENS } from './special-token-tables.js';
import { r50kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** r50k_base (= tiktoken's gpt2): GPT-3 davinci/curie/babbage/ada. Ranks load on first use. */
export const r50k_base = new Encoding({
  name: 'r50k_base',
  loadRanks: loadR50kRanks,
  preTokenizer: new ScannerPreTokenizer(r50kPieceEnd),
  specialTokens: R50K_SPECIAL_TOKENS,
});

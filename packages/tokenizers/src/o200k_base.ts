import { Encoding } from './encoding.js';
import { loadO200kRanks } from './ranks/o200k_base.js';
import { O200K_SPECIAL_TOKENS } from './special-token-tables.js';
import { o200kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** o200k_base: GPT-4o, GPT-4.1, GPT-5, o1, o3, o4-mini. Ranks load on first use. */
export const o200k_base = new Encoding({
  name: 'o200k_base',
  loadRanks: loadO200kRanks,
  preTokenizer: new ScannerPreTokenizer(o200kPieceEnd),
  specialTokens: O200K_SPECIAL_TOKENS,
});

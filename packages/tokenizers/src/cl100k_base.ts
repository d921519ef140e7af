import { Encoding } from './encoding.js';
import { loadCl100kRanks } from './ranks/cl100k_base.js';
import { CL100K_SPECIAL_TOKENS } from './special-token-tables.js';
import { cl100kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** cl100k_base: GPT-4, GPT-3.5 Turbo, text-embedding-3-*, text-embedding-ada-002. Ranks load on first use. */
export const cl100k_base = new Encoding({
  name: 'cl100k_base',
  loadRanks: loadCl100kRanks,
  preTokenizer: new ScannerPreTokenizer(cl100kPieceEnd),
  specialTokens: CL100K_SPECIAL_TOKENS,
});

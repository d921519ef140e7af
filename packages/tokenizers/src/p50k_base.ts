import { Encoding } from './encoding.js';
import { loadP50kRanks } from './ranks/p50k_base.js';
import { R50K_SPECIAL_TOKENS } from './special-token-tables.js';
import { r50kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** p50k_base: Codex, text-davinci-002/003. Ranks load on first use. */
export const p50k_base = new Encoding({
  name: 'p50k_base',
  loadRanks: loadP50kRanks,
  preTokenizer: new ScannerPreTokenizer(r50kPieceEnd),
  specialTokens: R50K_SPECIAL_TOKENS,
});

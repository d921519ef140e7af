import { Encoding } from './encoding.js';
import { loadP50kRanks } from './ranks/p50k_base.js';
import { P50K_EDIT_SPECIAL_TOKENS } from './special-token-tables.js';
import { r50kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** p50k_edit: the edit models; p50k_base plus fill-in-the-middle special tokens. */
export const p50k_edit = new Encoding({
  name: 'p50k_edit',
  loadRanks: loadP50kRanks,
  preTokenizer: new ScannerPreTokenizer(r50kPieceEnd),
  specialTokens: P50K_EDIT_SPECIAL_TOKENS,
});

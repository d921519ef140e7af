import { Encoding } from './encoding.js';
import { loadO200kRanks } from './ranks/o200k_base.js';
import { harmonySpecialTokens } from './special-token-tables.js';
import { o200kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

/** o200k_harmony: gpt-oss. o200k_base's ranks and split, with the harmony chat-format special tokens. */
export const o200k_harmony = new Encoding({
  name: 'o200k_harmony',
  loadRanks: loadO200kRanks,
  preTokenizer: new ScannerPreTokenizer(o200kPieceEnd),
  specialTokens: harmonySpecialTokens(),
});

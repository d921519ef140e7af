import { decodeBase64 } from '../base64.js';
import { RANKS_BASE64 } from '../generated/r50k_base.js';
import { RankTable } from '../rank-table.js';

let table: RankTable | undefined;

/** The r50k_base rank table, decoded once and shared by every encoding built on it. */
export function loadR50kRanks(): RankTable {
  return (table ??= RankTable.fromBinary(decodeBase64(RANKS_BASE64)));
}

import { decodeBase64 } from '../base64.js';
import { RANKS_BASE64 } from '../generated/o200k_base.js';
import { RankTable } from '../rank-table.js';

let table: RankTable | undefined;

/** The o200k_base rank table, decoded once and shared by every encoding built on it. */
export function loadO200kRanks(): RankTable {
  return (table ??= RankTable.fromBinary(decodeBase64(RANKS_BASE64)));
}

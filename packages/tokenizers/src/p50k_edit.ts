import { Encoding } from './encoding.js';
import { RegexPreTokenizer } from './pre-tokenizer.js';
import { loadP50kRanks } from './ranks/p50k_base.js';
import { P50K_EDIT_SPECIAL_TOKENS } from './special-token-tables.js';
import { R50K_PATTERN } from './split-patterns.js';

/** p50k_edit: the edit models; p50k_base plus fill-in-the-middle special tokens. */
export const p50k_edit = new Encoding({
  name: 'p50k_edit',
  loadRanks: loadP50kRanks,
  preTokenizer: new RegexPreTokenizer(R50K_PATTERN),
  specialTokens: P50K_EDIT_SPECIAL_TOKENS,
});

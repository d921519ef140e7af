import { Encoding } from './encoding.js';
import { RegexPreTokenizer } from './pre-tokenizer.js';
import { loadP50kRanks } from './ranks/p50k_base.js';
import { R50K_SPECIAL_TOKENS } from './special-token-tables.js';
import { R50K_PATTERN } from './split-patterns.js';

/** p50k_base: Codex, text-davinci-002/003. Ranks load on first use. */
export const p50k_base = new Encoding({
  name: 'p50k_base',
  loadRanks: loadP50kRanks,
  preTokenizer: new RegexPreTokenizer(R50K_PATTERN),
  specialTokens: R50K_SPECIAL_TOKENS,
});

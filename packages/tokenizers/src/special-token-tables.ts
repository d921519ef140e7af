/** Special tokens per encoding, as in tiktoken_ext/openai_public.py (ids must match tiktoken exactly). */
const ENDOFTEXT = '<|endoftext|>';
const FIM_PREFIX = '<|fim_prefix|>';
const FIM_MIDDLE = '<|fim_middle|>';
const FIM_SUFFIX = '<|fim_suffix|>';
const ENDOFPROMPT = '<|endofprompt|>';

export const R50K_SPECIAL_TOKENS: Record<string, number> = { [ENDOFTEXT]: 50256 };

export const P50K_EDIT_SPECIAL_TOKENS: Record<string, number> = {
  [ENDOFTEXT]: 50256,
  [FIM_PREFIX]: 50281,
  [FIM_MIDDLE]: 50282,
  [FIM_SUFFIX]: 50283,
};

export const CL100K_SPECIAL_TOKENS: Record<string, number> = {
  [ENDOFTEXT]: 100257,
  [FIM_PREFIX]: 100258,
  [FIM_MIDDLE]: 100259,
  [FIM_SUFFIX]: 100260,
  [ENDOFPROMPT]: 100276,
};

export const O200K_SPECIAL_TOKENS: Record<string, number> = { [ENDOFTEXT]: 199999, [ENDOFPROMPT]: 200018 };

/**
 * o200k_harmony (gpt-oss): o200k_base's tokens, the harmony control tokens, then reserved tokens up
 * to 201087. As in tiktoken, `<|reserved_200018|>` shares id 200018 with `<|endofprompt|>` and, being
 * inserted later, is what that id decodes to.
 */
export function harmonySpecialTokens(): Record<string, number> {
  const tokens: Record<string, number> = {
    ...O200K_SPECIAL_TOKENS,
    '<|startoftext|>': 199998,
    [ENDOFTEXT]: 199999,
    '<|reserved_200000|>': 200000,
    '<|reserved_200001|>': 200001,
    '<|return|>': 200002,
    '<|constrain|>': 200003,
    '<|reserved_200004|>': 200004,
    '<|channel|>': 200005,
    '<|start|>': 200006,
    '<|end|>': 200007,
    '<|message|>': 200008,
    '<|reserved_200009|>': 200009,
    '<|reserved_200010|>': 200010,
    '<|reserved_200011|>': 200011,
    '<|call|>': 200012,
  };
  for (let id = 200013; id < 201088; id++) tokens[`<|reserved_${id}|>`] = id;
  return tokens;
}

import type { PreTokenizerJson, TokenizerJson } from '../tokenizer-json.js';
import { BpeModel } from './bpe.js';
import { ByteLevelBpeModel } from './byte-level-bpe.js';
import { checkModel, unsupported } from './check-model.js';
import type { TokenizerModel } from './model.js';
import { UnigramModel } from './unigram.js';
import { WordLevelModel } from './wordlevel.js';
import { WordPieceModel } from './wordpiece.js';

function hasByteLevel(json: PreTokenizerJson | null | undefined): boolean {
  if (!json) return false;
  if (json.type === 'ByteLevel') return true;
  return json.type === 'Sequence' && (json.pretokenizers ?? []).some(hasByteLevel);
}

/**
 * The file's model. A BPE model behind a ByteLevel pre-tokenizer (and without byte fallback) runs
 * on raw bytes; any other BPE runs on characters, as tokenizers' one BPE model does on whatever
 * the pre-tokenizer hands it.
 */
export function createModel(json: TokenizerJson, name: string): TokenizerModel {
  const { model } = json;
  if (!['BPE', 'WordPiece', 'WordLevel', 'Unigram'].includes(model.type)) {
    unsupported(`Model type ${String(model.type)} is not supported; BPE, WordPiece, Unigram and WordLevel are.`);
  }
  const entries = checkModel(model);
  switch (model.type) {
    case 'BPE':
      if (model.continuing_subword_prefix || model.end_of_word_suffix) unsupported('BPE with subword prefixes or word suffixes is not supported yet.');
      if (model.dropout) unsupported('BPE dropout is not supported (it makes encoding random).');
      return !model.byte_fallback && hasByteLevel(json.pre_tokenizer) ? new ByteLevelBpeModel(model, entries) : new BpeModel(model, entries, name);
    case 'WordPiece':
      return new WordPieceModel(model, entries);
    case 'WordLevel':
      return new WordLevelModel(model, entries);
    case 'Unigram':
      return new UnigramModel(model);
    default:
      return unsupported(`Model type ${model.type} is not supported; BPE, WordPiece, Unigram and WordLevel are.`);
  }
}

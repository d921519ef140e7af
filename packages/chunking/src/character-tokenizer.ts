// The character tokenizer lives in @chunkwise/tokenizers beside resolveTokenizer (one resolver for
// "a tokenizer by name"); chunking re-exports it under its old names.
export { CharacterTokenizer, characterTokenizer, isCharacterTokenizer } from '@chunkwise/tokenizers';

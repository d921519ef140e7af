import { ChunkwiseError } from '@chunkwise/core';
import { bertNormalize, type BertNormalizerOptions } from './bert-text.js';
import type { NormalizerJson } from './tokenizer-json.js';

/** Builds a tokenizer.json normalizer; throws UNSUPPORTED for kinds not implemented. */
export function createNormalizer(json: NormalizerJson | null | undefined): ((text: string) => string) | null {
  if (!json) return null;
  switch (json.type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = json.type;
      return (text) => text.normalize(form);
    }
    case 'Prepend': {
      // tokenizers' Prepend: only a non-empty string gets the prefix.
      const prefix = json.prepend ?? '';
      return (text) => (text ? prefix + text : text);
    }
    case 'Replace': {
      const from = json.pattern?.String;
      if (from === undefined) throw new ChunkwiseError('UNSUPPORTED', 'The Replace normalizer with a Regex pattern is not supported yet.');
      const to = json.content ?? '';
      return (text) => text.replaceAll(from, to);
    }
    case 'BertNormalizer': {
      const options = json as BertNormalizerOptions;
      return (text) => bertNormalize(text, options);
    }
    case 'Lowercase':
      return (text) => text.toLowerCase();
    case 'Sequence': {
      const steps = (json.normalizers ?? []).map(createNormalizer).filter((step) => step !== null);
      return (text) => steps.reduce((value, step) => step(value), text);
    }
    default:
      throw new ChunkwiseError('UNSUPPORTED', `The ${json.type} normalizer is not supported yet (supported: NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace with a string, BertNormalizer, Sequence).`);
  }
}

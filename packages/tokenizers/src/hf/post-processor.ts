import { ChunkwiseError } from '@chunkwise/core';
import type { PostProcessorJson, TemplatePieceJson } from './tokenizer-json.js';

/** One part of a post-processed encoding: a sequence's tokens (0 = first, 1 = pair) or special ids. */
export type TemplatePiece = { sequence: 0 | 1; typeId: number } | { ids: number[]; typeId: number };

/** What a post-processor makes of one sequence or a pair, with or without its special tokens. */
export type PostProcessor = (pair: boolean, addSpecialTokens: boolean) => TemplatePiece[];

const SUPPORTED = 'TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence';

function unsupported(message: string): never {
  throw new ChunkwiseError('UNSUPPORTED', message);
}

/** No special tokens; the pair's tokens get type id 1, as tokenizers' default_process leaves them. */
const identity: PostProcessor = (pair) => (pair ? [{ sequence: 0, typeId: 0 }, { sequence: 1, typeId: 1 }] : [{ sequence: 0, typeId: 0 }]);

function template(json: PostProcessorJson): PostProcessor {
  const specials = json.special_tokens ?? {};
  const resolve = (pieces: TemplatePieceJson[] | undefined, which: string): TemplatePiece[] | null => {
    if (!pieces) return null;
    return pieces.map((piece): TemplatePiece => {
      if ('SpecialToken' in piece) {
        const special = specials[piece.SpecialToken.id];
        if (!special) unsupported(`TemplateProcessing's ${which} template names ${piece.SpecialToken.id}, which its special_tokens do not define.`);
        return { ids: special.ids, typeId: piece.SpecialToken.type_id ?? 0 };
      }
      if (piece.Sequence.id !== 'A' && piece.Sequence.id !== 'B') unsupported(`TemplateProcessing sequence ${piece.Sequence.id} (only A and B exist).`);
      return { sequence: piece.Sequence.id === 'A' ? 0 : 1, typeId: piece.Sequence.type_id ?? 0 };
    });
  };
  const single = resolve(json.single, 'single') ?? [{ sequence: 0, typeId: 0 }];
  const pair = resolve(json.pair, 'pair');
  return (isPair, addSpecialTokens) => {
    if (isPair && !pair) unsupported('This TemplateProcessing has no pair template.');
    const pieces = isPair ? pair! : single;
    return addSpecialTokens ? pieces : pieces.filter((piece) => 'sequence' in piece);
  };
}

/** Builds a tokenizer.json post-processor (null → no special tokens); UNSUPPORTED for kinds not implemented. */
export function createPostProcessor(json: PostProcessorJson | null | undefined): PostProcessor {
  if (!json) return identity;
  switch (json.type) {
    case 'ByteLevel':
      return identity; // it only trims offsets
    case 'TemplateProcessing':
      return template(json);
    case 'BertProcessing': {
      const cls = json.cls?.[1];
      const sep = json.sep?.[1];
      if (cls === undefined || sep === undefined) unsupported('BertProcessing without cls/sep tokens.');
      return (pair, add) => {
        if (!add) return identity(pair, add);
        const single: TemplatePiece[] = [{ ids: [cls], typeId: 0 }, { sequence: 0, typeId: 0 }, { ids: [sep], typeId: 0 }];
        return pair ? [...single, { sequence: 1, typeId: 1 }, { ids: [sep], typeId: 1 }] : single;
      };
    }
    case 'RobertaProcessing': {
      // tokenizers: "Roberta is weird, and every encoding is type_id=0"; a pair is <s> A </s></s> B </s>.
      const cls = json.cls?.[1];
      const sep = json.sep?.[1];
      if (cls === undefined || sep === undefined) unsupported('RobertaProcessing without cls/sep tokens.');
      return (pair, add) => {
        if (!add) return pair ? [{ sequence: 0, typeId: 0 }, { sequence: 1, typeId: 0 }] : [{ sequence: 0, typeId: 0 }];
        const single: TemplatePiece[] = [{ ids: [cls], typeId: 0 }, { sequence: 0, typeId: 0 }, { ids: [sep], typeId: 0 }];
        return pair ? [...single, { ids: [sep], typeId: 0 }, { sequence: 1, typeId: 0 }, { ids: [sep], typeId: 0 }] : single;
      };
    }
    case 'Sequence': {
      // Files pair ByteLevel (offsets only) with one processor that adds tokens; more than one such is not supported.
      const adding = (json.processors ?? []).filter((processor) => processor.type !== 'ByteLevel');
      if (adding.length > 1) unsupported(`A Sequence post-processor with ${String(adding.length)} token-adding processors is not supported yet.`);
      return createPostProcessor(adding[0] ?? null);
    }
    default:
      return unsupported(`The ${json.type} post-processor is not supported yet (supported: ${SUPPORTED}).`);
  }
}

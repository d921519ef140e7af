import { ChunkwiseError } from '@chunkwise/core';
import type { DecoderJson } from './tokenizer-json.js';

/** One tokenizer.json decoder step over the list of token strings. */
type DecodeStep = (tokens: string[]) => string[];

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** tokenizers' `cleanup` (decoders/wordpiece.rs). */
const CLEANUP: [string, string][] = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [" do not", " don't"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

/**
 * Decoders of SentencePiece-style tokenizer.json files (Llama 2): Replace, ByteFallback, Fuse,
 * Strip, as in tokenizers' decoders module.
 */
export function decodeSteps(json: DecoderJson | null | undefined): DecodeStep[] {
  if (!json) return [];
  switch (json.type) {
    case 'Sequence':
      return (json.decoders ?? []).flatMap(decodeSteps);
    case 'Replace': {
      const from = json.pattern?.String;
      if (from === undefined) throw new ChunkwiseError('UNSUPPORTED', 'The Replace decoder with a Regex pattern is not supported yet.');
      const to = json.content ?? '';
      return [(tokens) => tokens.map((token) => token.replaceAll(from, to))];
    }
    case 'ByteFallback':
      // Runs of <0xXX> tokens become their UTF-8 text; an invalid run becomes one U+FFFD per byte.
      return [
        (tokens) => {
          const out: string[] = [];
          let bytes: number[] = [];
          const flush = () => {
            if (!bytes.length) return;
            try {
              out.push(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes)));
            } catch {
              out.push('\uFFFD'.repeat(bytes.length));
            }
            bytes = [];
          };
          for (const token of tokens) {
            const byte = BYTE_TOKEN.exec(token);
            if (byte) bytes.push(Number.parseInt(byte[1]!, 16));
            else {
              flush();
              out.push(token);
            }
          }
          flush();
          return out;
        },
      ];
    case 'WordPiece': {
      // tokenizers' WordPiece decoder: pieces after the first join with a space unless they carry
      // the continuation prefix; then the English clean-up of spaces before punctuation.
      const prefix = json.prefix ?? '##';
      const cleanup = json.cleanup !== false;
      return [
        (tokens) => {
          let text = '';
          tokens.forEach((token, i) => {
            if (token.startsWith(prefix)) text += token.slice(prefix.length);
            else text += (i > 0 ? ' ' : '') + token;
          });
          if (cleanup) {
            for (const [from, to] of CLEANUP) text = text.replaceAll(from, to);
          }
          return [text];
        },
      ];
    }
    case 'Metaspace': {
      const replacement = json.replacement ?? '\u2581';
      const stripFirst = (json.prepend_scheme ?? 'always') !== 'never';
      return [
        (tokens) =>
          tokens.map((token, i) => {
            const text = token.replaceAll(replacement, ' ');
            return i === 0 && stripFirst && text.startsWith(' ') ? text.slice(1) : text;
          }),
      ];
    }
    case 'Fuse':
      return [(tokens) => [tokens.join('')]];
    case 'Strip': {
      const content = json.content ?? ' ';
      const start = json.start ?? 0;
      const stop = json.stop ?? 0;
      return [
        (tokens) =>
          tokens.map((token) => {
            let from = 0;
            while (from < start && token.startsWith(content, from)) from += content.length;
            let to = token.length;
            for (let n = 0; n < stop && to - content.length >= from && token.startsWith(content, to - content.length); n++) to -= content.length;
            return token.slice(from, to);
          }),
      ];
    }
    default:
      throw new ChunkwiseError('UNSUPPORTED', `The ${json.type} decoder is not supported yet (supported: ByteLevel, Replace, ByteFallback, Fuse, Strip, WordPiece, Metaspace, Sequence).`);
  }
}

import type * as Chonkie from '@chonkiejs/core';
import { TokenTextSplitter } from '@langchain/textsplitters';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';

type ChonkieModule = typeof Chonkie;
export type ChonkieRecursiveChunker = Awaited<ReturnType<ChonkieModule['RecursiveChunker']['create']>>;

/**
 * LangChain's TokenTextSplitter fetches its ranks from tiktoken.pages.dev on first use (offline it
 * retries for ~100 s and fails); its public `tokenizer` field takes a local js-tiktoken instance,
 * so no network is touched.
 */
export function langchainTokenSplitter(chunkSize: number): TokenTextSplitter {
  const splitter = new TokenTextSplitter({ encodingName: 'o200k_base', chunkSize, chunkOverlap: 0 });
  (splitter as unknown as { tokenizer: Tiktoken }).tokenizer = new Tiktoken(o200kRanks);
  return splitter;
}

/**
 * chonkie-ts RecursiveChunker with its default character tokenizer. Imported at run time, not
 * bundled: its WebAssembly file is located relative to its own module.
 */
export async function chonkieRecursive(chunkSize: number): Promise<ChonkieRecursiveChunker> {
  const specifier = '@chonkiejs/core';
  const { RecursiveChunker } = (await import(specifier)) as ChonkieModule;
  return RecursiveChunker.create({ chunkSize });
}

import { ChunkwiseError, isChunkwiseError } from '@chunkwise/core';

const PEER = '@langchain/core';

/**
 * The error to throw when loading the LangChain bridges failed: UNSUPPORTED with the install
 * command when @langchain/core (an optional peer) cannot be found, otherwise the error itself.
 * Node says ERR_MODULE_NOT_FOUND (import) or MODULE_NOT_FOUND (require); bundlers and Vite say
 * "Cannot find package/module" or "Failed to resolve/load".
 */
export function missingLangChain(error: unknown): unknown {
  if (isChunkwiseError(error)) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find (package|module)|failed to (resolve|load)/i.test(text);
  if (!notFound || !text.includes(PEER)) return error;
  return new ChunkwiseError('UNSUPPORTED', `@chunkwise/retrieval/langchain needs the optional peer dependency ${PEER} (>= 1.0): npm install ${PEER}`, { cause: error });
}

/// <reference lib="webworker" />
// The page's compute worker: tokenizing, chunking, indexing, searching and answering run here, so a
// pasted book never freezes the page. One ComputeSession holds the text and what was computed for it.
import { isChunkwiseError } from '@chunkwise/core';
import { ComputeSession } from '../compute/compute-session.js';
import type { ComputeRequest, ComputeResults, FromWorker, RequestKind, ToWorker, WorkerError } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

let session: ComputeSession | undefined;
const running = new Map<number, AbortController>();

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, transfer);

function toWorkerError(error: unknown): WorkerError {
  if (isChunkwiseError(error)) return { code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function handle(id: number, request: ComputeRequest, signal: AbortSignal): Promise<ComputeResults[RequestKind]> {
  if (!session) throw new Error('The compute worker got a request before its init message.');
  switch (request.kind) {
    case 'tokens':
      return session.tokens(request.tokenizer, request.compare, request.maxPieces);
    case 'chunks':
      return session.chunks(request.config);
    case 'search':
      return session.search(request.config, request.search, (text) => post({ type: 'part', id, text }));
    case 'prefix-ids':
      return session.prefixIds(request.count);
    case 'answer': {
      for await (const part of session.answer(request.answer, signal)) {
        if (part.type === 'text') post({ type: 'part', id, text: part.text });
        else return part.result;
      }
      throw new Error('The answer stream ended without a result.');
    }
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      session = new ComputeSession({ baseUrl: message.baseUrl });
      return;
    case 'text':
      session?.setText(message.text, message.version);
      return;
    case 'cancel':
      running.get(message.id)?.abort();
      return;
    case 'request': {
      const controller = new AbortController();
      running.set(message.id, controller);
      handle(message.id, message.request, controller.signal).then(
        (result) => {
          const transfer = result instanceof Uint32Array ? [result.buffer] : 'starts' in result ? [result.starts.buffer, result.ends.buffer, result.tokenCounts.buffer] : [];
          post({ type: 'result', id: message.id, result }, transfer);
        },
        (error: unknown) => post({ type: 'error', id: message.id, error: toWorkerError(error) }),
      ).finally(() => running.delete(message.id));
    }
  }
});

// A worker thread of `chunkwise index --workers N`: runs the same per-source job as
// `chunkwise worker` (runSourceJob: read, chunk, ingestSource), with a store that forwards the two
// calls ingestSource makes (get, replaceSource) to the main thread, which owns the one real store.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkwiseError } from '@chunkwise/core';
import type { IngestTarget, SourceSyncResult, StoredRecord, StoreRecord } from '@chunkwise/retrieval';
import { runSourceJob, type SourceJob } from './source-job.js';
import { serializeError, type FromThread, type ToThread } from './thread-messages.js';

const port = parentPort;
if (!port) throw new ChunkwiseError('INVALID_ARGUMENT', 'ingest-thread runs only as a worker thread of `chunkwise index --workers`.');
const { maxBytes } = workerData as { maxBytes: number };

const calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
let nextCall = 0;
const send = (message: FromThread) => port.postMessage(message);
const call = <T>(method: 'get' | 'replaceSource', args: unknown[]): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const id = nextCall++;
    calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
    send({ type: 'call', id, method, args });
  });

const store: IngestTarget = {
  get: (id: string) => call<StoredRecord | undefined>('get', [id]),
  replaceSource: (source: string, records: Iterable<StoreRecord>) => call<SourceSyncResult>('replaceSource', [source, [...records]]),
};

port.on('message', (message: ToThread) => {
  if (message.type === 'answer') {
    const pending = calls.get(message.id);
    calls.delete(message.id);
    if (message.error) pending?.reject(new ChunkwiseError(message.error.code, message.error.message, message.error.details === undefined ? {} : { details: message.error.details }));
    else pending?.resolve(message.value);
  } else if (message.type === 'job') {
    const job: SourceJob = message.job;
    runSourceJob(job, { store, maxBytes }).then(
      (result) => send({ type: 'done', seq: message.seq, result }),
      (error: unknown) => send({ type: 'failed', seq: message.seq, error: serializeError(error) }),
    );
  } else {
    port.close();
  }
});
send({ type: 'ready' });

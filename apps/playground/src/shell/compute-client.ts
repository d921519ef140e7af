import type { ComputeRequest, ComputeResults, FromWorker, RequestKind, ToWorker, WorkerError } from '../worker/protocol.js';

/** A request that a newer one of the same kind replaced before it started; its view has moved on. */
export class SupersededError extends Error {
  override readonly name = 'SupersededError';
}

/** An error from the worker, keeping the `ChunkwiseError` code the packages gave it. */
export class ComputeError extends Error {
  override readonly name = 'ComputeError';
  readonly code: string | undefined;

  constructor(error: WorkerError) {
    super(error.message);
    this.code = error.code;
  }
}

interface Job {
  id: number;
  request: ComputeRequest;
  resolve(result: unknown): void;
  reject(error: unknown): void;
  onText?: ((text: string) => void) | undefined;
}

/**
 * The page's side of the compute worker. The worker computes one thing at a time (a book takes
 * seconds), so requests wait here, and a waiting request of a kind is replaced by a newer one of
 * the same kind: changing a setting five times while a book is chunked costs one more run, not
 * five. Answers are the exception: they wait on a server, so they go out at once and can be
 * cancelled.
 */
export class ComputeClient {
  readonly #worker: Worker;
  #nextId = 1;
  #version = 0;
  #busy: Job | undefined;
  readonly #waiting = new Map<RequestKind, Job>();
  readonly #streaming = new Map<number, Job>();

  constructor(worker: Worker, baseUrl: string) {
    this.#worker = worker;
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.#receive(event.data));
    this.#post({ type: 'init', baseUrl });
  }

  /** Hands the worker a new text; requests made after this call work on it. */
  setText(text: string): void {
    this.#post({ type: 'text', version: ++this.#version, text });
  }

  /** Runs a request; `onText` gets an answer's text as it streams, or another request's progress messages. */
  run<K extends RequestKind>(request: Extract<ComputeRequest, { kind: K }>, onText?: (text: string) => void): { result: Promise<ComputeResults[K]>; cancel(): void } {
    const id = this.#nextId++;
    let job!: Job;
    const result = new Promise<ComputeResults[K]>((resolve, reject) => {
      job = { id, request, resolve: resolve as (result: unknown) => void, reject, onText };
    });
    if (request.kind === 'answer') {
      this.#streaming.set(id, job);
      this.#post({ type: 'request', id, request });
      return { result, cancel: () => this.#post({ type: 'cancel', id }) };
    }
    this.#waiting.get(request.kind)?.reject(new SupersededError(`A newer ${request.kind} request replaced this one.`));
    // Re-inserted, so waiting requests keep the order they were last asked in.
    this.#waiting.delete(request.kind);
    this.#waiting.set(request.kind, job);
    this.#pump();
    return {
      result,
      cancel: () => {
        if (this.#waiting.get(request.kind) !== job) return;
        this.#waiting.delete(request.kind);
        job.reject(new SupersededError('Cancelled before it started.'));
      },
    };
  }

  #pump(): void {
    if (this.#busy) return;
    const next = this.#waiting.values().next();
    if (next.done) return;
    this.#waiting.delete(next.value.request.kind);
    this.#busy = next.value;
    this.#post({ type: 'request', id: next.value.id, request: next.value.request });
  }

  #receive(message: FromWorker): void {
    const job = this.#busy?.id === message.id ? this.#busy : this.#streaming.get(message.id);
    if (!job) return;
    if (message.type === 'part') {
      job.onText?.(message.text);
      return;
    }
    if (job === this.#busy) this.#busy = undefined;
    this.#streaming.delete(message.id);
    if (message.type === 'result') job.resolve(message.result);
    else job.reject(new ComputeError(message.error));
    this.#pump();
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }
}

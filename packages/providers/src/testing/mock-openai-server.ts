import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ChunkwiseError } from '@chunkwise/core';
import { optionsOf, show } from '../argument-checks.js';
import { createDefaultResponder, type MockRequest, type MockResponder, type MockResponse } from './mock-responder.js';

/**
 * One scripted answer. Named steps cover the usual failures; an object is laid over the normal
 * answer (`{ delayMs: 500 }` is a slow but correct answer, `{ status: 503 }` an error with the
 * normal body); a function decides from the request.
 */
export type MockStep =
  /** The normal answer. */
  | 'ok'
  /** 429 with `Retry-After: 0`. */
  | 'rate-limited'
  /** 500 with an OpenAI-style error body. */
  | 'server-error'
  /** 400 with an OpenAI-style error body. */
  | 'bad-request'
  /** 200 with the first half of the normal JSON body. */
  | 'truncated'
  /** 200 with valid JSON of the wrong shape. */
  | 'wrong-shape'
  /** The connection is dropped without an answer. */
  | 'reset'
  | MockResponse
  | MockResponder;

export interface MockOpenAIServerOptions {
  /** Steps used by the first requests, one each, in order; later requests get the normal answer. */
  script?: MockStep[] | undefined;
  /** Replaces the normal answer (default: {@link createDefaultResponder}). */
  respond?: MockResponder | undefined;
  /** Dimensions of mock embeddings when the request names none. Default 8. */
  embeddingDimensions?: number | undefined;
  /** Port on 127.0.0.1; default 0 picks a free one. */
  port?: number | undefined;
}

export interface MockOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, ready for `openAICompatible({ baseURL })`. */
  readonly baseURL: string;
  /** Every request received so far, in arrival order (the array grows live). */
  readonly requests: MockRequest[];
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** The most requests ever handled at once, for concurrency-limit checks. */
  readonly maxInFlight: number;
  /** Appends steps to the script. */
  enqueue(...steps: MockStep[]): void;
  /** Forgets recorded requests, the rest of the script and the in-flight maximum (call it between tests). */
  reset(): void;
  /** Stops listening, drops open connections and pending delayed answers. */
  close(): Promise<void>;
}

/**
 * Starts a small OpenAI-compatible HTTP server on 127.0.0.1 for tests: `/v1/chat/completions`
 * (with `stream: true` it answers server-sent events, see {@link mockChatStream}),
 * `/v1/completions` (with `echo` and `logprobs`) and `/v1/embeddings`, deterministic answers,
 * scriptable failures, and a record of every request. Node only.
 */
export async function startMockOpenAIServer(options?: MockOpenAIServerOptions): Promise<MockOpenAIServer> {
  options = optionsOf(options, 'startMockOpenAIServer options');
  if (options.respond !== undefined && typeof options.respond !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `respond must be a function, got ${show(options.respond)}.`);
  if (options.script !== undefined && !Array.isArray(options.script)) throw new ChunkwiseError('INVALID_ARGUMENT', `script must be an array of steps, got ${show(options.script)}.`);
  for (const step of options.script ?? []) checkStep(step);
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `port must be an integer from 0 to 65535, got ${show(options.port)}.`);
  }
  const respond = options.respond ?? createDefaultResponder(options.embeddingDimensions === undefined ? {} : { embeddingDimensions: options.embeddingDimensions });
  const script: MockStep[] = [...(options.script ?? [])];
  const requests: MockRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;
  let count = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      const rawBody = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const request: MockRequest = {
        index: count++,
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0]!,
        headers: { ...req.headers },
        body,
        rawBody,
        receivedAt: performance.now(),
      };
      requests.push(request);
      const step = script.shift() ?? 'ok';
      const answer = await resolveStep(step, request, respond);
      if (answer.delayMs !== undefined && answer.delayMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, answer.delayMs);
          timers.add(timer);
          // A client that gave up (timeout, abort) closes the socket; stop waiting for it.
          res.on('close', () => {
            clearTimeout(timer);
            timers.delete(timer);
            resolve();
          });
        });
      }
      if (closed) return;
      if (answer.stream !== undefined) {
        await sendStream(res, answer, timers);
        // A FIN without the closing chunk: the client reads what was sent, then sees the body cut
        // (a reset here could discard the pieces still in its receive buffer).
        if (answer.destroy) req.socket.end();
        else if (!res.destroyed) res.end();
        return;
      }
      if (answer.destroy) {
        req.socket.destroy();
        return;
      }
      const payload = answer.rawBody ?? JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(payload);
    } catch (error) {
      if (!closed && !res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock server failed: ${String(error)}` } }));
      }
    } finally {
      inFlight--;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue(...steps) {
      steps.forEach(checkStep);
      script.push(...steps);
    },
    reset() {
      requests.length = 0;
      script.length = 0;
      maxInFlight = inFlight;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

const NAMED_STEPS = new Set(['ok', 'rate-limited', 'server-error', 'bad-request', 'truncated', 'wrong-shape', 'reset']);

function checkStep(step: unknown): void {
  if (typeof step === 'function' || (typeof step === 'string' && NAMED_STEPS.has(step)) || (typeof step === 'object' && step !== null && !Array.isArray(step))) return;
  throw new ChunkwiseError('INVALID_ARGUMENT', `A script step is one of ${[...NAMED_STEPS].join(', ')}, a response object or a function; got ${show(step)}.`);
}

async function resolveStep(step: MockStep, request: MockRequest, respond: MockResponder): Promise<MockResponse> {
  if (typeof step === 'function') return step(request);
  switch (step) {
    case 'ok':
      return respond(request);
    case 'rate-limited':
      return { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached (mock).', type: 'rate_limit_exceeded' } } };
    case 'server-error':
      return { status: 500, body: { error: { message: 'The server had an error (mock).', type: 'server_error' } } };
    case 'bad-request':
      return { status: 400, body: { error: { message: 'Invalid request (mock).', type: 'invalid_request_error' } } };
    case 'wrong-shape':
      return { body: { unexpected: true, choices: 'not-an-array', data: 42 } };
    case 'reset':
      return { destroy: true };
    case 'truncated': {
      const normal = await respond(request);
      // A streamed answer is cut by dropping the connection after half of its pieces.
      if (normal.stream !== undefined) return { ...normal, stream: normal.stream.slice(0, Math.max(1, Math.floor(normal.stream.length / 2))), destroy: true };
      const full = normal.rawBody ?? JSON.stringify(normal.body ?? {});
      return { ...normal, rawBody: full.slice(0, Math.max(1, Math.floor(full.length / 2))) };
    }
    default: {
      const normal = await respond(request);
      // An object step is laid over the normal answer; a given body replaces the normal one.
      return { ...normal, ...step, headers: { ...normal.headers, ...step.headers } };
    }
  }
}

/** Writes `answer.stream` piece by piece, waiting `chunkDelayMs` between pieces, until done or the client leaves. */
async function sendStream(res: ServerResponse, answer: MockResponse, timers: Set<ReturnType<typeof setTimeout>>): Promise<void> {
  res.writeHead(answer.status ?? 200, { 'content-type': 'text/event-stream', ...answer.headers });
  res.flushHeaders();
  // One close listener for the whole stream, however many pieces wait on it.
  let leave = (): void => {};
  const left = new Promise<void>((resolve) => {
    leave = resolve;
  });
  res.once('close', leave);
  const delay = answer.chunkDelayMs ?? 0;
  for (const [i, piece] of (answer.stream ?? []).entries()) {
    if (i > 0 && delay > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        left,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, delay);
          timers.add(timer);
        }),
      ]);
      clearTimeout(timer);
      if (timer !== undefined) timers.delete(timer);
    }
    if (res.destroyed) return;
    res.write(piece);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

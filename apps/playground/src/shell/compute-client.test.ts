import { describe, expect, it } from 'vitest';
import type { ComputeRequest, FromWorker, ToWorker } from '../worker/protocol.js';
import { ComputeClient, ComputeError, SupersededError } from './compute-client.js';

/** Stands in for the Worker: records what the page posts and lets the test answer. */
class FakeWorker extends EventTarget {
  readonly posted: ToWorker[] = [];
  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  reply(message: FromWorker): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  requests(): { id: number; request: ComputeRequest }[] {
    return this.posted.flatMap((message) => (message.type === 'request' ? [{ id: message.id, request: message.request }] : []));
  }
}

const tokens = (tokenizer: string): Extract<ComputeRequest, { kind: 'tokens' }> => ({ kind: 'tokens', tokenizer, compare: 'cl100k_base', maxPieces: 10 });
const prefix = (count: number): Extract<ComputeRequest, { kind: 'prefix-ids' }> => ({ kind: 'prefix-ids', count });

function setUp() {
  const worker = new FakeWorker();
  const client = new ComputeClient(worker as unknown as Worker, 'http://127.0.0.1/');
  return { worker, client };
}

describe('ComputeClient', () => {
  it('sends the base URL first and every text before the requests made after it', () => {
    const { worker, client } = setUp();
    client.setText('one');
    void client.run(prefix(4)).result;
    client.setText('two');
    expect(worker.posted.map((message) => message.type)).toEqual(['init', 'text', 'request', 'text']);
    expect(worker.posted[1]).toEqual({ type: 'text', version: 1, text: 'one' });
    expect(worker.posted[3]).toEqual({ type: 'text', version: 2, text: 'two' });
  });

  it('keeps one request in the worker at a time, and replaces a waiting request by a newer one of its kind', async () => {
    const { worker, client } = setUp();
    const first = client.run(tokens('o200k_base')).result;
    const replaced = client.run(tokens('cl100k_base')).result;
    const other = client.run(prefix(8)).result;
    const newest = client.run(tokens('r50k_base')).result;
    await expect(replaced).rejects.toBeInstanceOf(SupersededError);
    expect(worker.requests().map(({ request }) => request)).toEqual([tokens('o200k_base')]);

    worker.reply({ type: 'result', id: worker.requests()[0]!.id, result: 'first' as never });
    await expect(first).resolves.toBe('first');
    // Waiting requests go in the order they were last asked: prefix-ids, then the newest tokens.
    expect(worker.requests().map(({ request }) => request)).toEqual([tokens('o200k_base'), prefix(8)]);
    worker.reply({ type: 'result', id: worker.requests()[1]!.id, result: new Uint32Array([1, 2]) as never });
    expect(Array.from(await other)).toEqual([1, 2]);
    expect(worker.requests().at(-1)!.request).toEqual(tokens('r50k_base'));
    worker.reply({ type: 'error', id: worker.requests()[2]!.id, error: { code: 'INVALID_ARGUMENT', message: 'Unknown tokenizer' } });
    const error = await newest.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComputeError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Unknown tokenizer' });
  });

  it('sends answers at once, streams their text and cancels them in the worker', async () => {
    const { worker, client } = setUp();
    void client.run(prefix(8)).result; // the worker is busy
    const pieces: string[] = [];
    const job = client.run({ kind: 'answer', answer: { question: 'q', passages: [], method: 'extractive', targetWords: 10, llm: null } }, (text) => pieces.push(text));
    const answerId = worker.requests().at(-1)!.id;
    expect(worker.requests().at(-1)!.request.kind).toBe('answer');
    worker.reply({ type: 'part', id: answerId, text: 'Call me ' });
    worker.reply({ type: 'part', id: answerId, text: 'Ishmael [1]' });
    job.cancel();
    expect(worker.posted.at(-1)).toEqual({ type: 'cancel', id: answerId });
    worker.reply({ type: 'error', id: answerId, error: { code: 'ABORTED', message: 'aborted' } });
    await expect(job.result).rejects.toMatchObject({ code: 'ABORTED' });
    expect(pieces).toEqual(['Call me ', 'Ishmael [1]']);
  });

  it('cancels a request that has not started, and then ignores it', async () => {
    const { worker, client } = setUp();
    void client.run(prefix(8)).result;
    const waiting = client.run(tokens('o200k_base'));
    waiting.cancel();
    await expect(waiting.result).rejects.toBeInstanceOf(SupersededError);
    worker.reply({ type: 'result', id: worker.requests()[0]!.id, result: new Uint32Array() as never });
    await Promise.resolve();
    expect(worker.requests()).toHaveLength(1);
  });
});

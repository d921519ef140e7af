// Client overhead on loopback, against the mock server: calls/s for generate() and texts/s for
// embed(), plus one retry sequence. Run after `pnpm build`: node scripts/loopback-throughput.mjs
// The numbers are dominated by the machine's load and Node's HTTP stack, not by model time.
import { openAICompatible, openAICompatibleEmbedder } from '../dist/index.js';
import { startMockOpenAIServer } from '../dist/testing/index.js';
const server = await startMockOpenAIServer();
const model = openAICompatible({ baseURL: server.baseURL, model: 'm', contextWindow: 8192, maxConcurrency: 8 });
const N = 1000;
let t = performance.now();
await Promise.all(Array.from({ length: N }, (_, i) => model.generate({ prompt: `Summarise in 20 words: request number ${i} about whales and ships.` })));
const genMs = performance.now() - t;
console.log(`generate: ${N} calls, maxConcurrency 8, ${genMs.toFixed(0)} ms, ${(N / genMs * 1000).toFixed(0)} calls/s, maxInFlight ${server.maxInFlight}`);
server.reset();
// A slow server (50 ms per answer) shows the limit at work: 200 calls should take about 200/8·50 ms.
server.enqueue(...Array.from({ length: 200 }, () => ({ delayMs: 50 })));
t = performance.now();
await Promise.all(Array.from({ length: 200 }, (_, i) => model.generate({ prompt: `slow ${i}` })));
console.log(`slow server (50 ms/answer): 200 calls, maxConcurrency 8, ${(performance.now() - t).toFixed(0)} ms (ideal 1250), maxInFlight ${server.maxInFlight}`);
server.reset();
const emb = openAICompatibleEmbedder({ baseURL: server.baseURL, model: 'e', batchSize: 64, maxConcurrency: 4 });
const texts = Array.from({ length: 10000 }, (_, i) => `text ${i}`);
t = performance.now();
const vectors = await emb.embed(texts);
const embMs = performance.now() - t;
console.log(`embed: ${texts.length} texts in ${server.requests.length} requests of ≤64, ${embMs.toFixed(0)} ms, ${(texts.length / embMs * 1000).toFixed(0)} texts/s, dims ${emb.dimensions}, maxInFlight ${server.maxInFlight}, vectors ${vectors.length}`);
server.reset();
server.enqueue('rate-limited', 'server-error', 'reset');
const retrying = openAICompatible({ baseURL: server.baseURL, model: 'm', contextWindow: 8192, maxRetries: 3, retry: { baseDelayMs: 5 } });
t = performance.now();
await retrying.generate({ prompt: 'x' });
console.log(`retries: 429, 500, dropped connection, then OK: ${server.requests.length} requests, ${(performance.now() - t).toFixed(0)} ms`);
await server.close();

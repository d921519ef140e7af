/**
 * Measures what the closing notes and docs/summarization.md report: length errors of the extractive
 * method on every SOTU address and on Moby Dick, and, per LLM method, calls, retries and the final
 * length error against the loopback OpenAI-compatible test server answering as an obedient model
 * (the asked word count) and as a sloppy one (0.6–1.5× the count, 15% cut mid-sentence).
 *
 *   pnpm --filter @chunkwise/summarization measure
 */
import { performance } from 'node:perf_hooks';
import { openAICompatible } from '@chunkwise/providers';
import { startMockOpenAIServer, type MockRequest } from '@chunkwise/providers/testing';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { extractiveSummary, summarize, type SummarizationMethod } from '../src/index.js';
import { MESSAGE_OVERHEAD } from '../src/token-budget.js';
import { askedWords, sentencesOf } from '../src/__fixtures__/fake-model.js';
import { mobyDick, sotuAddresses } from '../src/__fixtures__/datasets.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function extractiveFigures(): void {
  const addresses = sotuAddresses();
  console.log('## extractive (offline)\n');
  console.log('| text | target | mean abs error | max abs error | time |');
  console.log('|---|---|---|---|---|');
  for (const target of [100, 250, 500]) {
    const started = performance.now();
    const errors = addresses.map((a) => Math.abs(extractiveSummary(a.text, { targetWords: target }).words - target) / target);
    const ms = performance.now() - started;
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    console.log(`| 233 SOTU addresses | ${target} | ${pct(mean)} | ${pct(Math.max(...errors))} | ${(ms / 1000).toFixed(1)} s total |`);
  }
  const book = mobyDick();
  for (const target of [300, 1000]) {
    const started = performance.now();
    const result = extractiveSummary(book.text, { targetWords: target, sections: book.chapters });
    const ms = performance.now() - started;
    console.log(`| Moby Dick (${result.levels} levels) | ${target} | ${pct(Math.abs(result.words - target) / target)} | — | ${(ms / 1000).toFixed(2)} s |`);
  }
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

let sloppy = false;
function answer(request: MockRequest) {
  const body = request.body as { messages: { content: string }[] };
  const prompt = body.messages.at(-1)!.content;
  const target = askedWords(prompt);
  const h = fnv(prompt);
  const factor = sloppy ? 0.6 + ((h % 1000) / 1000) * 0.9 : 1;
  const cut = sloppy && (h >>> 10) % 100 < 15;
  const content = sentencesOf(prompt, Math.max(1, Math.round(target * factor)), !cut);
  const promptTokens = body.messages.reduce((sum, m) => sum + o200k_base.count(m.content), 0);
  return {
    body: {
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: cut ? 'length' : 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: o200k_base.count(content), total_tokens: promptTokens + o200k_base.count(content) },
    },
  };
}

async function llmFigures(): Promise<void> {
  const server = await startMockOpenAIServer({ respond: answer });
  const contextWindow = 8192;
  const model = openAICompatible({ baseURL: server.baseURL, model: 'mock', contextWindow, tokenizer: o200k_base, maxConcurrency: 4 });
  const texts = [
    { name: 'SOTU 1962', text: sotuAddresses().find((a) => a.year === 1962)!.text },
    { name: 'Moby Dick', text: mobyDick().text },
  ];
  try {
    for (const mode of ['obedient', 'sloppy'] as const) {
      sloppy = mode === 'sloppy';
      console.log(`\n## LLM methods, ${mode} model (loopback server, window ${contextWindow}, target 300 words, chunks ≤ 2048 tokens)\n`);
      console.log('| text | method | calls | retries | misses | levels | length error | prompt tokens | worst prompt / budget |');
      console.log('|---|---|---|---|---|---|---|---|---|');
      for (const { name, text } of texts) {
        for (const method of ['hierarchical', 'incremental', 'map-reduce', 'refine'] as SummarizationMethod[]) {
          server.reset();
          const r = await summarize(text, { method, model, targetWords: 300 });
          let worst = 0;
          for (const request of server.requests) {
            const b = request.body as { messages: { content: string }[]; max_tokens: number };
            const tokens = b.messages.reduce((s, m) => s + o200k_base.count(m.content), 0) + MESSAGE_OVERHEAD;
            worst = Math.max(worst, tokens / (contextWindow - b.max_tokens));
          }
          const error = `${r.lengthError >= 0 ? '+' : ''}${pct(r.lengthError)}`;
          console.log(
            `| ${name} | ${method} | ${r.calls} | ${r.retries} | ${r.lengthMisses} | ${r.levels} | ${error} | ${r.promptTokens.toLocaleString('en-US')} | ${worst.toFixed(3)} |`,
          );
        }
      }
    }
  } finally {
    await server.close();
  }
}

extractiveFigures();
await llmFigures();

import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { cleanAnswer, endsWithSentence, summarizeToLength } from './length-control.js';
import { ModelCalls } from './model-calls.js';
import { chunkPrompt } from './prompts.js';
import { PromptBudget } from './token-budget.js';
import { FakeModel, type FakeStep } from './__fixtures__/fake-model.js';

const CHUNK = 'The captain sighted the white whale near the equator and ordered the boats lowered at once. '.repeat(12);

function setup(script: FakeStep[]) {
  const model = new FakeModel({ contextWindow: 4096, tokenizer: o200k_base, script });
  const calls = new ModelCalls(model, new PromptBudget(4096, 512, o200k_base, true), { method: 'test' });
  const build = (correction?: Parameters<typeof chunkPrompt>[3]) => chunkPrompt(CHUNK, 192, 60, correction);
  return { model, calls, run: () => summarizeToLength(calls, build, 60, { tolerance: 0.1, maxRetries: 3 }) };
}

describe('summarizeToLength', () => {
  it('states the exact target and accepts an answer inside the tolerance at once', async () => {
    const { model, calls, run } = setup([]);
    const result = await run();
    expect(result).toMatchObject({ words: 60, withinTolerance: true });
    expect(model.requests[0]!.prompt).toContain('consists of 192 words');
    expect(model.requests[0]!.prompt).toMatch(/exactly 60 words\.$/);
    expect(calls.stats).toMatchObject({ calls: 1, retries: 0 });
  });

  it('retries a too-long and a too-short answer with a correction that gives the count', async () => {
    const { model, calls, run } = setup(['too-long', 'too-short']);
    const result = await run();
    expect(result).toMatchObject({ words: 60, withinTolerance: true });
    expect(model.requests[1]!.prompt).toContain('Your previous answer had 120 words, which is too long.');
    expect(model.requests[2]!.prompt).toContain('Your previous answer had 30 words, which is too short.');
    expect(model.requests[2]!.prompt).toMatch(/exactly 60 words\.$/);
    expect(calls.stats).toMatchObject({ calls: 3, retries: 2 });
  });

  it('retries an answer the server cut at max_tokens (finish reason length) even when the cut fell after a full stop', async () => {
    const { model, calls, run } = setup(['cut-at-sentence']);
    const result = await run();
    expect(result).toMatchObject({ words: 60, withinTolerance: true });
    expect(model.requests[1]!.prompt).toContain('stopped in the middle of a sentence');
    expect(calls.stats).toMatchObject({ calls: 2, retries: 1 });
  });

  it('retries an answer that stops mid-sentence', async () => {
    const { model, run } = setup(['mid-sentence']);
    const result = await run();
    expect(endsWithSentence(result.text)).toBe(true);
    expect(model.requests[1]!.prompt).toContain('stopped in the middle of a sentence');
  });

  it('after the last retry cuts a too-long answer to the target by deleting whole sentences', async () => {
    const { calls, run } = setup(['too-long', 'mid-sentence', 'too-short', 'too-long']);
    const result = await run();
    expect(calls.stats).toMatchObject({ calls: 4, retries: 3, trimmed: 1 });
    expect(result.withinTolerance).toBe(true);
    expect(Math.abs(result.words - 60)).toBeLessThanOrEqual(6);
    expect(endsWithSentence(result.text)).toBe(true);
  });

  it('keeps the complete attempt closest to the target, reported as a miss, when none can be cut to fit', async () => {
    const { calls, run } = setup(['too-short', 'mid-sentence', { text: 'Ahab wept.' }, 'too-short']);
    const result = await run();
    expect(calls.stats).toMatchObject({ calls: 4, trimmed: 0 });
    expect(result).toMatchObject({ words: 30, withinTolerance: false });
  });

  it('cuts an all-unfinished answer back to its last full sentence rather than return a fragment', async () => {
    const { run } = setup(['mid-sentence', 'mid-sentence', 'mid-sentence', 'mid-sentence']);
    const result = await run();
    expect(endsWithSentence(result.text)).toBe(true);
    expect(result.words).toBe(48);
  });

  it('strips labels and fences that chat models wrap answers in', () => {
    expect(cleanAnswer('  Summary: The whale won.  ')).toBe('The whale won.');
    expect(cleanAnswer('"""\nThe whale won.\n"""')).toBe('The whale won.');
    expect(endsWithSentence('He said "go."')).toBe(true);
    expect(endsWithSentence('He said go and')).toBe(false);
  });
});

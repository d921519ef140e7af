import { RecursiveChunker } from '@chunkwise/chunking';
import { ChunkwiseError, createProgress, type ProgressCallback } from '@chunkwise/core';
import type { AnswerPassage, AnswerRepair } from './answer-types.js';
import { answerPrompt, longestAnswerCorrection, mergeAnswersPrompt, refineAnswerPrompt, type PassageBlock } from './answer-prompts.js';
import { stripMarkers } from './citation-markers.js';
import { countWords } from './count-words.js';
import { cleanAnswer, endsWithSentence, summarizeToLength, toLastSentence, type LengthPolicy, type TextMeasure } from './length-control.js';
import { summaryCap } from './llm-run.js';
import { mapConcurrent } from './map-concurrent.js';
import { packGroups } from './merge-groups.js';
import type { ModelCalls } from './model-calls.js';
import type { Correction, Prompt } from './prompts.js';
import type { PromptBudget } from './token-budget.js';

/** Answers: words and sentence ends read without the citation markers; never cut by deleting sentences. */
export const ANSWER_MEASURE: TextMeasure = {
  words: (text) => countWords(stripMarkers(text)),
  finished: (text) => endsWithSentence(stripMarkers(text)),
  clean: (text) => cleanAnswer(text).replace(/^(?:\*\*)?answer(?:\*\*)?:\s*/i, ''),
  trim: false,
};

/** Slack for tokens that joining a template and its content can add at the seams. */
const SEAM_TOKENS = 16;

/** How the last call of a method is made: length-controlled, or streamed as it arrives. */
export type FinalCall = (build: (correction?: Correction) => Prompt) => Promise<string>;

/** Everything an LLM answer method needs. */
export interface AnswerRun {
  calls: ModelCalls;
  budget: PromptBudget;
  question: string;
  targetWords: number;
  policy: LengthPolicy;
  concurrency: number;
  signal: AbortSignal;
  onProgress?: ProgressCallback | undefined;
  /** The last call: every method ends with exactly one. */
  final: FinalCall;
  repairs: AnswerRepair[];
}

/** Tokens a prompt template costs without content, with the widest numbers and the longest retry correction. */
function templateTokens(budget: PromptBudget, build: (targetWords: number) => Prompt): number {
  const widest = 9_999_999;
  return budget.requestTokens(build(widest)) + budget.count(longestAnswerCorrection(widest)) + SEAM_TOKENS;
}

/** Room for passages in a first-answer prompt, in a refine prompt (beside the longest answer), and for answers in a merge. */
export function answerRooms(run: Pick<AnswerRun, 'budget' | 'question'>): { answer: number; refine: number; merge: number; answerTokens: number } {
  const { budget, question } = run;
  const answerTokens = summaryCap(budget) + budget.count('Partial answer 999:\n"""\n\n"""\n\n');
  return {
    answer: budget.limit - templateTokens(budget, (w) => answerPrompt(question, [], w)),
    refine: budget.limit - templateTokens(budget, (w) => refineAnswerPrompt(question, '', [], w)) - summaryCap(budget),
    merge: budget.limit - templateTokens(budget, (w) => mergeAnswersPrompt(question, [], w)),
    answerTokens,
  };
}

/**
 * The passages as numbered prompt blocks, each small enough for any prompt of the run (a refine
 * step beside the longest answer): a longer passage is cut by `@chunkwise/chunking`'s
 * RecursiveChunker (paragraphs, sentences, words) into pieces that all carry its number.
 */
export async function passageBlocks(run: AnswerRun, passages: readonly AnswerPassage[]): Promise<{ blocks: PassageBlock[]; sizes: number[] }> {
  const room = answerRooms(run).refine;
  const label = run.budget.count('[999999] \n\n');
  if (room - label < 8) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `The question and the longest answer leave no room for passages: contextWindow − maxTokens is ${run.budget.limit} tokens. ` +
        'Shorten the question, lower targetWords or maxTokens, or use a model with a bigger context window.',
      { details: { limit: run.budget.limit, room } },
    );
  }
  const blocks: PassageBlock[] = [];
  const sizes: number[] = [];
  for (let p = 0; p < passages.length; p++) {
    const text = passages[p]!.text;
    if (countWords(text) === 0) continue;
    const tokens = run.budget.count(text) + label;
    if (tokens <= room) {
      blocks.push({ number: p + 1, text });
      sizes.push(tokens);
      continue;
    }
    const chunker = new RecursiveChunker({ tokenizer: run.budget.tokenizer, maxTokens: run.budget.toTokenizerTokens(room - label) });
    const pieces = (await chunker.chunk(text, { signal: run.signal })).filter((chunk) => chunk.text.trim().length > 0);
    for (const piece of pieces) {
      blocks.push({ number: p + 1, text: piece.text });
      sizes.push(run.budget.count(piece.text) + label);
    }
    run.repairs.push({ kind: 'split', sourceId: passages[p]!.id, pieces: pieces.length });
  }
  return { blocks, sizes };
}

/** A length-controlled call that is not the last of its method. */
async function intermediate(run: AnswerRun, build: (correction?: Correction) => Prompt): Promise<string> {
  return (await summarizeToLength(run.calls, build, run.targetWords, run.policy, ANSWER_MEASURE)).text;
}

/**
 * Compact (LlamaIndex's `compact`): every passage in one prompt, one call. When they do not fit,
 * LlamaIndex's compact-and-refine: as many passages as fit per step, the answer refined step by
 * step (reported as a `fallback` repair; the result's method is then `refine`).
 */
export async function compactAnswer(run: AnswerRun, blocks: readonly PassageBlock[], sizes: readonly number[]): Promise<{ text: string; method: 'compact' | 'refine' }> {
  const rooms = answerRooms(run);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= rooms.answer) {
    const progress = createProgress(run.onProgress, 'answer', { total: 1, unit: 'calls' });
    const text = await run.final((correction) => answerPrompt(run.question, blocks, run.targetWords, correction));
    progress.advance();
    progress.finish();
    return { text, method: 'compact' };
  }
  run.repairs.push({ kind: 'fallback', from: 'compact', to: 'refine' });
  return { text: await refineSteps(run, blocks, packGroups(sizes, rooms.refine)), method: 'refine' };
}

/** Refine (LangChain's and LlamaIndex's): answer from the first passage, then improve it passage by passage. */
export async function refineAnswer(run: AnswerRun, blocks: readonly PassageBlock[]): Promise<string> {
  return refineSteps(
    run,
    blocks,
    blocks.map((_, i) => [i]),
  );
}

async function refineSteps(run: AnswerRun, blocks: readonly PassageBlock[], groups: readonly number[][]): Promise<string> {
  const progress = createProgress(run.onProgress, 'refine', { total: groups.length, unit: 'steps' });
  let answer = '';
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!.map((i) => blocks[i]!);
    const existing = fitAnswer(run, answer);
    const build = (correction?: Correction) =>
      g === 0 ? answerPrompt(run.question, group, run.targetWords, correction) : refineAnswerPrompt(run.question, existing, group, run.targetWords, correction);
    answer = g === groups.length - 1 ? await run.final(build) : await intermediate(run, build);
    progress.advance();
  }
  progress.finish();
  return answer;
}

/**
 * Tree (LlamaIndex's `tree_summarize`, hierarchical merging as in BooookScore): an answer per group
 * of passages that fit one prompt, concurrently, then the answers merged as many at a time as fit,
 * level by level, until one remains.
 */
export async function treeAnswer(run: AnswerRun, blocks: readonly PassageBlock[], sizes: readonly number[]): Promise<string> {
  const rooms = answerRooms(run);
  const groups = packGroups(sizes, rooms.answer);
  const build = (group: readonly number[]) => (correction?: Correction) =>
    answerPrompt(
      run.question,
      group.map((i) => blocks[i]!),
      run.targetWords,
      correction,
    );
  if (groups.length === 1) return run.final(build(groups[0]!));
  const progress = createProgress(run.onProgress, 'answer', { total: groups.length, unit: 'groups' });
  let answers = await mapConcurrent(
    groups,
    run.concurrency,
    async (group) => {
      const text = await intermediate(run, build(group));
      progress.advance();
      return text;
    },
    run.signal,
  );
  progress.finish();
  for (let level = 1; ; level++) {
    const current = answers.map((text) => fitAnswer(run, text));
    const merges = packGroups(
      current.map((text) => run.budget.count(text) + run.budget.count('Partial answer 999:\n"""\n\n"""\n\n')),
      rooms.merge,
    );
    const mergeOf = (group: readonly number[]) => (correction?: Correction) =>
      mergeAnswersPrompt(
        run.question,
        group.map((i) => current[i]!),
        run.targetWords,
        correction,
      );
    if (merges.length === 1) return run.final(mergeOf(merges[0]!));
    const stage = createProgress(run.onProgress, `merge level ${level}`, { total: merges.length, unit: 'groups' });
    answers = await mapConcurrent(
      merges,
      run.concurrency,
      async (group) => {
        // A group of one has nothing to merge with: carried up without a call.
        const text = group.length === 1 ? current[group[0]!]! : await intermediate(run, mergeOf(group));
        stage.advance();
        return text;
      },
      run.signal,
    );
    stage.finish();
  }
}

/**
 * An earlier answer as it goes into the next prompt: a model that answered beyond `maxTokens`
 * gets whole sentences dropped from the end until the answer fits the room kept for it.
 */
function fitAnswer(run: AnswerRun, text: string): string {
  const cap = summaryCap(run.budget);
  let current = text;
  while (current && run.budget.count(current) > cap) {
    const shorter = toLastSentence({ text: current.slice(0, Math.floor(current.length * 0.9)) }).text;
    current = shorter.length < current.length ? shorter : current.slice(0, Math.floor(current.length * 0.9));
  }
  return current;
}

/** Fails early, with what to change, when tree merging cannot put two answers in one prompt. */
export function checkAnswerRoom(run: AnswerRun, method: 'compact' | 'refine' | 'tree'): void {
  const rooms = answerRooms(run);
  if (method === 'tree' && rooms.merge < 2 * rooms.answerTokens) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `A tree answer merges at least two answers per prompt: about ${2 * rooms.answerTokens} tokens, but the merge prompt has ${rooms.merge}. ` +
        'Lower targetWords or maxTokens, or use a model with a bigger context window.',
      { details: { needed: 2 * rooms.answerTokens, room: rooms.merge } },
    );
  }
}

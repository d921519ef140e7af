import { sentenceSpans } from '@chunkwise/chunking';
import { ChunkwiseError, seededRandom } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireInteger } from './argument-checks.js';
import type { EvalDataset, EvalQuestion, Reference } from './dataset.js';

/** RULER's needle-in-a-haystack variants (Hsieh et al. 2024, arXiv 2404.06654, §3.1). */
export type RulerTask = 'single' | 'multikey' | 'multivalue' | 'multiquery';

export const RULER_TASKS: readonly RulerTask[] = ['single', 'multikey', 'multivalue', 'multiquery'];

export interface RulerTaskOptions {
  /** Any long text; needles go in between its sentences. */
  haystack: string;
  task: RulerTask;
  /** Id of the corpus written (the haystack with its needles). Default `ruler-<task>`. */
  corpusId?: string;
  /** How many questions; default 20. */
  questions?: number;
  /** Default 1. */
  seed?: number;
  /** multikey: needles with other keys added per question as distractors; default 3. */
  distractors?: number;
  /** multivalue: needles (values) per asked key; default 4. */
  values?: number;
  /** multiquery: keys asked per question; default 2. */
  keys?: number;
}

interface Needle {
  key: string;
  value: string;
  /** Question index it answers, or −1 for a distractor. */
  question: number;
}

/**
 * RULER-style synthetic retrieval tasks with exact gold spans: needles "One of the special magic
 * numbers for {key} is: {value}." are inserted at sentence boundaries of the haystack (seeded
 * positions), and each question's references are its needles' exact offsets in the result.
 * - single: one needle per question (the other questions' needles are the distractors);
 * - multikey: the same, plus `distractors` needles with keys nobody asks about;
 * - multivalue: `values` needles share one key, and the question asks for all of them;
 * - multiquery: the question asks for `keys` keys at once.
 * Keys are two words drawn from the haystack's own vocabulary ("harpoon-lantern"), so they
 * compete with the text for lexical matches; values are distinct 7-digit numbers, as in RULER.
 */
export function rulerTasks(options: RulerTaskOptions): EvalDataset {
  if (!isObject(options)) invalid(`rulerTasks needs options { haystack, task }, got ${describeValue(options)}.`);
  const { haystack, task, questions = 20, seed = 1, distractors = 3, values = 4, keys = 2 } = options;
  if (typeof haystack !== 'string') invalid(`rulerTasks needs a haystack string, got ${describeValue(haystack)}.`);
  if (!RULER_TASKS.includes(task)) invalid(`Unknown RULER task ${describeValue(task)}; use one of ${RULER_TASKS.join(', ')}.`);
  const { corpusId = `ruler-${task}` } = options;
  if (typeof corpusId !== 'string' || corpusId === '') invalid(`corpusId must be a non-empty string, got ${describeValue(corpusId)}.`);
  requireInteger(questions, 'questions', 1);
  requireInteger(distractors, 'distractors', 0);
  requireInteger(values, 'values', 1);
  requireInteger(keys, 'keys', 1);
  const random = seededRandom(seed);
  const vocabulary = [...new Set(haystack.toLowerCase().match(/\p{L}{4,}/gu) ?? [])];
  if (vocabulary.length < 20) throw new ChunkwiseError('INVALID_ARGUMENT', 'The haystack needs at least 20 distinct words of four letters or more to draw keys from.');
  // Every needle takes its own sentence start and every key is new: check both before drawing, or
  // the draws below would never end.
  const perQuestionKeys = task === 'multiquery' ? keys : 1;
  const keysNeeded = questions * (perQuestionKeys + (task === 'multikey' ? distractors : 0));
  const needlesNeeded = questions * perQuestionKeys * (task === 'multivalue' ? values : 1) + (task === 'multikey' ? questions * distractors : 0);
  const sentenceStarts = sentenceSpans(haystack).length;
  if (needlesNeeded > sentenceStarts) {
    invalid(`The haystack has ${sentenceStarts} sentences, too few for ${needlesNeeded} needles; use a longer haystack or fewer questions.`);
  }
  if (keysNeeded > vocabulary.length * vocabulary.length) invalid(`The haystack's ${vocabulary.length} words make too few distinct keys for ${keysNeeded}; use a haystack with more words.`);
  const usedKeys = new Set<string>();
  const newKey = () => {
    for (;;) {
      const key = `${vocabulary[Math.floor(random() * vocabulary.length)]}-${vocabulary[Math.floor(random() * vocabulary.length)]}`;
      if (!usedKeys.has(key)) {
        usedKeys.add(key);
        return key;
      }
    }
  };
  const usedValues = new Set<string>();
  const newValue = () => {
    for (;;) {
      const value = String(1_000_000 + Math.floor(random() * 9_000_000));
      if (!usedValues.has(value)) {
        usedValues.add(value);
        return value;
      }
    }
  };

  const needles: Needle[] = [];
  const asked: string[][] = [];
  for (let q = 0; q < questions; q++) {
    const perQuestion = task === 'multiquery' ? keys : 1;
    const questionKeys = Array.from({ length: perQuestion }, newKey);
    asked.push(questionKeys);
    const copies = task === 'multivalue' ? values : 1;
    for (const key of questionKeys) for (let v = 0; v < copies; v++) needles.push({ key, value: newValue(), question: q });
    if (task === 'multikey') for (let d = 0; d < distractors; d++) needles.push({ key: newKey(), value: newValue(), question: -1 });
  }

  const boundaries = sentenceSpans(haystack).map((s) => s.start);
  if (boundaries.length < needles.length) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `The haystack has ${boundaries.length} sentences, too few for ${needles.length} needles; use a longer haystack or fewer questions.`);
  }
  // Distinct sentence starts, drawn without replacement (partial Fisher–Yates), then in text order.
  const slots = boundaries.slice();
  for (let i = 0; i < needles.length; i++) {
    const j = i + Math.floor(random() * (slots.length - i));
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  const placed = needles.map((needle, i) => ({ needle, at: slots[i] as number })).sort((a, b) => a.at - b.at);

  let text = '';
  let from = 0;
  const references: Reference[][] = asked.map(() => []);
  for (const { needle, at } of placed) {
    text += haystack.slice(from, at);
    from = at;
    const sentence = `One of the special magic numbers for ${needle.key} is: ${needle.value}.`;
    if (needle.question >= 0) (references[needle.question] as Reference[]).push({ content: sentence, start: text.length, end: text.length + sentence.length });
    text += `${sentence} `;
  }
  text += haystack.slice(from);

  const out: EvalQuestion[] = asked.map((questionKeys, q) => ({
    question: questionText(task, questionKeys),
    corpusId,
    references: references[q] as Reference[],
  }));
  return { questions: out, corpora: { [corpusId]: text } };
}

function questionText(task: RulerTask, keys: readonly string[]): string {
  if (task === 'multivalue') return `What are all the special magic numbers for ${keys[0]} mentioned in the provided text?`;
  if (task === 'multiquery') return `What are all the special magic numbers for ${keys.join(', ')} mentioned in the provided text?`;
  return `What is the special magic number for ${keys[0]} mentioned in the provided text?`;
}

import { sentenceSpans } from '@chunkwise/chunking';
import { ChunkwiseError, createProgress, seededRandom, throwIfAborted, type LanguageModel, type ProgressCallback, type Span } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireInteger, requireSignal } from './argument-checks.js';
import { findVerbatim } from './find-verbatim.js';
import { corpusIds, corpusText, type Corpora, type EvalDataset, type EvalQuestion } from './dataset.js';

export interface LlmQuestionsOptions {
  model: LanguageModel;
  corpora: Corpora;
  /** Questions wanted per corpus; default 10. */
  questionsPerCorpus?: number;
  /** Model calls allowed per corpus before giving up on the rest; default 3 × questionsPerCorpus. */
  maxCallsPerCorpus?: number;
  /** Characters of the passage shown to the model (cut at sentence ends); default 2,000. */
  passageChars?: number;
  /** Tokens the model may answer with; default 300. */
  maxTokens?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** A model answer that did not become a question, and why. */
export interface RejectedQuestion {
  corpusId: string;
  passage: Span;
  reason: string;
  output: string;
}

export interface LlmQuestionsResult extends EvalDataset {
  rejected: RejectedQuestion[];
  calls: number;
}

/** A cap on the questions asked per corpus: each costs at least one model call, retries up to maxCallsPerCorpus. */
const MAX_QUESTIONS_PER_CORPUS = 10_000;

const SYSTEM = 'You write questions for evaluating a search engine over documents. You always answer with one JSON object and nothing else.';

function prompt(passage: string): string {
  return [
    'Here is a passage from a document:',
    '<passage>',
    passage,
    '</passage>',
    '',
    'Write one question that a reader of the whole document would ask and that this passage answers. Do not mention "the passage" in the question.',
    'Then copy the shortest part of the passage that answers it, one or two sentences, character for character as written (same spelling, punctuation and case).',
    'Answer with JSON only: {"question": "...", "excerpt": "..."}',
  ].join('\n');
}

/**
 * Builds a QA set from a user's own corpora with any `LanguageModel`: for seeded random passages,
 * the model writes a question and copies the excerpt that answers it; the excerpt is looked up in
 * the passage (exactly, then with any whitespace run matching any other) and its offsets in the
 * corpus become the reference. Answers that are not JSON, lack a field, quote text that is not in
 * the passage, or repeat an excerpt already used are rejected and listed with the reason; nothing
 * the model wrote reaches the dataset unverified.
 */
export async function llmQuestions(options: LlmQuestionsOptions): Promise<LlmQuestionsResult> {
  if (!isObject(options)) invalid(`llmQuestions needs options { model, corpora }, got ${describeValue(options)}.`);
  const { model, corpora, questionsPerCorpus = 10, passageChars = 2000, maxTokens = 300, seed = 1, signal, onProgress } = options;
  if (!isObject(model) || typeof model.generate !== 'function') invalid(`llmQuestions needs a LanguageModel with generate(), got ${describeValue(model)}.`);
  requireInteger(model.contextWindow, 'model.contextWindow', 1);
  if (model.tokenizer !== undefined && (!isObject(model.tokenizer) || typeof model.tokenizer.count !== 'function')) invalid(`model.tokenizer must be a Tokenizer with count(), got ${describeValue(model.tokenizer)}.`);
  requireInteger(questionsPerCorpus, 'questionsPerCorpus', 1);
  if (questionsPerCorpus > MAX_QUESTIONS_PER_CORPUS) invalid(`questionsPerCorpus must be at most ${MAX_QUESTIONS_PER_CORPUS.toLocaleString('en')}, got ${questionsPerCorpus}.`);
  const maxCalls = options.maxCallsPerCorpus ?? 3 * questionsPerCorpus;
  requireInteger(maxCalls, 'maxCallsPerCorpus', 1);
  requireInteger(passageChars, 'passageChars', 200);
  requireInteger(maxTokens, 'maxTokens', 1);
  if (maxTokens >= model.contextWindow) invalid(`maxTokens (${maxTokens}) must leave room for the prompt in the model's ${model.contextWindow}-token window.`);
  requireSignal(signal);
  const ids = corpusIds(corpora);
  for (const id of ids) corpusText(corpora, id);
  const random = seededRandom(seed);
  const questions: EvalQuestion[] = [];
  const rejected: RejectedQuestion[] = [];
  const out: Record<string, string> = {};
  let calls = 0;
  const progress = createProgress(onProgress, 'questions', { total: ids.length * questionsPerCorpus, unit: 'questions' });
  for (const corpusId of ids) {
    const text = corpusText(corpora, corpusId) as string;
    out[corpusId] = text;
    const sentences = sentenceSpans(text);
    if (sentences.length === 0) continue;
    const used = new Set<string>();
    let made = 0;
    for (let call = 0; call < maxCalls && made < questionsPerCorpus; call++) {
      throwIfAborted(signal);
      const passage = pickPassage(sentences, passageChars, random);
      const passageText = text.slice(passage.start, passage.end);
      const request = prompt(passageText);
      const budget = model.contextWindow - maxTokens;
      const promptTokens = model.tokenizer ? model.tokenizer.count(SYSTEM + request) : Math.ceil((SYSTEM.length + request.length) / 2);
      if (promptTokens > budget) {
        throw new ChunkwiseError('LIMIT_EXCEEDED', `A ${passageChars}-character passage makes a ${promptTokens}-token prompt, over the model's ${model.contextWindow}-token window less ${maxTokens} for the answer; lower passageChars.`);
      }
      const { text: output } = await model.generate({ system: SYSTEM, prompt: request, maxTokens, temperature: 0, ...(signal ? { signal } : {}) });
      calls++;
      const reject = (reason: string) => rejected.push({ corpusId, passage, reason, output });
      const parsed = parseAnswer(output);
      if (typeof parsed === 'string') {
        reject(parsed);
        continue;
      }
      const found = findVerbatim(passageText, parsed.excerpt);
      if (!found) {
        reject('the excerpt is not in the passage');
        continue;
      }
      const start = passage.start + found.start;
      const end = passage.start + found.end;
      if (used.has(`${start}:${end}`)) {
        reject('the excerpt repeats one already used');
        continue;
      }
      used.add(`${start}:${end}`);
      questions.push({ question: parsed.question, corpusId, references: [{ content: text.slice(start, end), start, end }] });
      made++;
      progress.advance();
    }
  }
  progress.finish();
  return { questions, corpora: out, rejected, calls };
}

/** A run of whole sentences starting at a random sentence, up to `chars` characters (at least one sentence). */
function pickPassage(sentences: readonly Span[], chars: number, random: () => number): Span {
  const first = Math.floor(random() * sentences.length);
  const start = (sentences[first] as Span).start;
  let end = (sentences[first] as Span).end;
  for (let i = first + 1; i < sentences.length && (sentences[i] as Span).end - start <= chars; i++) end = (sentences[i] as Span).end;
  return { start, end: Math.min(end, start + Math.max(chars, 1)) };
}

function parseAnswer(output: string): { question: string; excerpt: string } | string {
  const open = output.indexOf('{');
  const close = output.lastIndexOf('}');
  if (open < 0 || close < open) return 'the answer holds no JSON object';
  let value: unknown;
  try {
    value = JSON.parse(output.slice(open, close + 1));
  } catch {
    return 'the answer is not valid JSON';
  }
  const { question, excerpt } = (value ?? {}) as { question?: unknown; excerpt?: unknown };
  if (typeof question !== 'string' || question.trim() === '') return 'the answer has no question';
  if (typeof excerpt !== 'string' || excerpt.trim().split(/\s+/).length < 3) return 'the excerpt is missing or shorter than three words';
  return { question: question.trim(), excerpt: excerpt.trim() };
}

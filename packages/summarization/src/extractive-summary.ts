import { ChunkwiseError, createProgress, throwIfAborted, type ProgressCallback, type Span } from '@chunkwise/core';
import { describeValue } from './argument-checks.js';
import { countWords } from './count-words.js';
import { selectByMMR } from './mmr-selection.js';
import { rankSentences, type RankingAlgorithm } from './sentence-graph.js';
import { questionCoverage, termIdf } from './question-focus.js';
import { quotedShares } from './quoted-speech.js';
import { salienceOf, salientTerms } from './salient-terms.js';
import { termIds, vectorsFromIds, type TermIds } from './term-vectors.js';
import { textUnits, type TextUnit } from './text-units.js';

export interface ExtractiveOptions {
  targetWords: number;
  /** Allowed relative deviation from `targetWords` (default 0.1, i.e. ±10%). */
  tolerance?: number;
  /** Sentence centrality: continuous LexRank (default) or TextRank. */
  algorithm?: RankingAlgorithm;
  /** MMR λ: 1 ranks by centrality only, lower values favour novelty (default 0.7). */
  lambda?: number;
  /** Strength of the lead-position prior, 0 to turn it off (default 0.2: a mild boost). */
  positionWeight?: number;
  /**
   * Chapters or sections as offsets into the text. Without them, Markdown headings and
   * "CHAPTER n" lines are detected; texts with neither are grouped by paragraphs.
   */
  sections?: readonly Span[];
  /** Above this many sentences, extraction is hierarchical: sections first (default 1500). */
  maxGraphSentences?: number;
  /**
   * Focus the summary on a question: each sentence's score is multiplied by the share of the
   * question's weight it matches (plus a small floor, so a text that never touches the question
   * still gets its most central sentences).
   */
  question?: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface ExtractiveSummary {
  summary: string;
  words: number;
  /** The chosen sentences as spans of the input, in document order. */
  sentences: Span[];
  /** 1 for one sentence graph, 2 or more when sections were summarised first. */
  levels: number;
}

/**
 * Sentences shorter than this are not chosen while enough longer ones exist: centrality favours short
 * sentences made of frequent words ("The whale, the whale!"), and MEAD (Radev et al. 2004) drops
 * sentences under 9 words for the same reason.
 */
const MIN_SENTENCE_WORDS = 8;
/** Below this many eligible sentences, the length cut is relaxed to MIN_FRAGMENT_WORDS. */
const MIN_ELIGIBLE = 5;
const MIN_FRAGMENT_WORDS = 3;
/** Hierarchical extraction keeps this many times the target from the sections for the final round. */
const POOL_FACTOR = 3;
/** Runs longer than this (no sentence punctuation, a megabyte line) are cut into pieces… */
const LONG_UNIT_WORDS = 120;
/** …of at most this many words. */
const PIECE_WORDS = 40;
/** Sentences shorter than this are down-weighted in proportion: short lines are mostly exclamations and dialogue tags. */
const FULL_WEIGHT_WORDS = 16;
/** Sentences longer than this are down-weighted by √(this / words): one of them would take a short summary's whole budget. */
const LONG_SENTENCE_WORDS = 30;
/** A fully quoted sentence keeps this share of its score: a summary reports, it does not quote dialogue. */
const QUOTED_WEIGHT = 0.15;
/** A sentence that shares nothing with the question keeps this share of its score in a focused summary. */
const QUESTION_FLOOR = 0.05;
/** Up to this much extra score for a sentence rich in the text's salient terms. */
const SALIENCE_BONUS = 0.6;
/** Salient-term weight (in top-term units, per 16 words) that earns the whole bonus. */
const SALIENCE_FULL = 2;
/** A sentence from a part of the document already represented counts as this similar to the picks. */
const SPREAD_SIMILARITY = 0.5;
/** About one part of the document per this many target words (a sentence or two). */
const WORDS_PER_PART = 20;

const SECTION_START = /^(?:#{1,6}[ \t]+\S.*|(?:CHAPTER|Chapter|BOOK|Book|PART|Part)[ \t]+(?:\d+|[IVXLCDM]+)\b.*)$/gm;

/**
 * Model-free summary: a LexRank (Erkan & Radev 2004) or TextRank (Mihalcea & Tarau 2004) sentence
 * graph, a mild lead prior, and MMR selection (Carbonell & Goldstein 1998) to the word target,
 * sentences in document order, no sentence twice. Each sentence's score is weighted so the result
 * reads like a summary rather than a collage of dialogue: quoted speech and very short sentences
 * count less, sentences carrying the text's salient terms more. Texts with more than
 * `maxGraphSentences` sentences are summarised section by section first, then the pooled section
 * extracts are ranked again as one graph, so a 1.2 M-character novel takes about a second.
 * Deterministic. Never empty when the text has words: runs without sentence punctuation are cut
 * into pieces, and when whole sentences cannot reach the target, pieces of sentences are chosen.
 */
export function extractiveSummary(text: string, options: ExtractiveOptions): ExtractiveSummary {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `extractiveSummary() takes a string, got ${describeValue(text)}.`);
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', 'extractiveSummary() needs options: { targetWords }.');
  const { targetWords, tolerance = 0.1, algorithm = 'lexrank', lambda = 0.7, positionWeight = 0.2 } = options;
  const maxGraphSentences = options.maxGraphSentences ?? 1500;
  validate(targetWords, tolerance, algorithm, lambda, positionWeight, maxGraphSentences, options.sections);
  if (options.question !== undefined && (typeof options.question !== 'string' || options.question.trim() === '')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `question must be a non-empty string, got ${describeValue(options.question)}.`);
  }
  throwIfAborted(options.signal);

  const sectionSpans = options.sections ?? detectSections(text);
  const settings: Settings = { tolerance, algorithm, lambda, positionWeight, maxGraphSentences, options };
  const first = summarizeUnits(text, textUnits(text, sectionSpans, LONG_UNIT_WORDS, PIECE_WORDS), targetWords, settings, false);
  if (first.reachedTarget) return first.summary;
  // Whole sentences cannot reach the target (all longer than it, or too few): choose pieces of them.
  const pieceWords = Math.max(1, Math.min(PIECE_WORDS, Math.floor(targetWords * (1 + tolerance))));
  const second = summarizeUnits(text, textUnits(text, sectionSpans, pieceWords, pieceWords), targetWords, settings, true);
  return second.summary.words > first.summary.words ? second.summary : first.summary;
}

type Settings = Omit<SelectContext, 'units' | 'tokens' | 'excluded' | 'quality'>;

function summarizeUnits(
  text: string,
  units: TextUnit[],
  targetWords: number,
  settings: Settings,
  fragments: boolean,
): { summary: ExtractiveSummary; reachedTarget: boolean } {
  const totalWords = units.reduce((sum, unit) => sum + unit.words, 0);
  const duplicates = repeatedSentences(units);
  const all = units.map((_, i) => i);
  let chosen: number[];
  let levels = 1;
  const wholeText = totalWords <= targetWords * (1 + settings.tolerance);
  if (wholeText) {
    // Nothing to cut: the whole text already fits the target (without repeated sentences).
    chosen = all.filter((i) => !duplicates.has(i));
  } else {
    const tokens = termIds(units.map((unit) => unit.text));
    const excluded = choosable(units, duplicates, targetWords, fragments);
    const quality = sentenceQuality(text, units, tokens);
    if (settings.options.question !== undefined) focusOn(settings.options.question, tokens, quality);
    const context: SelectContext = { ...settings, units, tokens, excluded, quality };
    const result = selectHierarchically(all, targetWords, context, 1);
    chosen = result.chosen;
    levels = result.levels;
  }
  const sentences = chosen.map((i) => units[i]!.span);
  const summary = chosen.map((i) => units[i]!.text.replace(/\s+/g, ' ')).join(' ');
  const words = countWords(summary);
  return { summary: { summary, words, sentences, levels }, reachedTarget: wholeText || words >= Math.ceil(targetWords * (1 - settings.tolerance)) };
}

/**
 * The units that may not be chosen: repeats, and — while enough whole sentences exist to reach the
 * target — fragments, headings and pieces; in fragment mode only repeats.
 */
function choosable(units: readonly TextUnit[], duplicates: ReadonlySet<number>, targetWords: number, fragments: boolean): Set<number> {
  const excluded = new Set(duplicates);
  let eligible = 0;
  let eligibleWords = 0;
  units.forEach((unit, i) => {
    if (isSentenceLike(unit) && !duplicates.has(i)) {
      eligible++;
      eligibleWords += unit.words;
    }
  });
  const strict = !fragments && eligible >= MIN_ELIGIBLE && eligibleWords >= targetWords;
  const minWords = fragments ? 1 : strict ? MIN_SENTENCE_WORDS : MIN_FRAGMENT_WORDS;
  units.forEach((unit, i) => {
    if (unit.words < minWords || (strict && !isSentenceLike(unit))) excluded.add(i);
  });
  return excluded;
}

/**
 * How much each unit is worth as a summary sentence, as a multiplier of its centrality: quoted
 * speech and short sentences are down-weighted (a novel's most central sentences are its dialogue
 * lines, built from the names everyone repeats), sentences with the text's salient terms — frequent
 * and spread over its sections — are preferred.
 */
/** Query-focused summarization: weights each sentence by how much of the question it matches. */
function focusOn(question: string, tokens: TermIds, quality: Float64Array): void {
  const { coverage, hasTerms } = questionCoverage(question, tokens, termIdf(tokens));
  if (!hasTerms) return;
  for (let i = 0; i < quality.length; i++) quality[i]! *= QUESTION_FLOOR + coverage[i]!;
}

function sentenceQuality(text: string, units: readonly TextUnit[], tokens: TermIds): Float64Array {
  const quoted = quotedShares(text, units.map((unit) => unit.span));
  const salient = salientTerms(tokens, units.map((unit) => unit.section));
  let topWeight = 0;
  for (const weight of salient.values()) topWeight = Math.max(topWeight, weight);
  const quality = new Float64Array(units.length);
  units.forEach((unit, i) => {
    const speech = 1 - (1 - QUOTED_WEIGHT) * quoted[i]!;
    const length = Math.min(1, unit.words / FULL_WEIGHT_WORDS) * Math.min(1, Math.sqrt(LONG_SENTENCE_WORDS / unit.words));
    // Salience as a density, so that a long sentence does not earn the bonus by length alone.
    const density = salienceOf(tokens.terms[i]!, salient, topWeight) / Math.sqrt(Math.max(unit.words, FULL_WEIGHT_WORDS) / FULL_WEIGHT_WORDS);
    const salience = 1 + SALIENCE_BONUS * Math.min(1, density / SALIENCE_FULL);
    quality[i] = speech * length * salience;
  });
  return quality;
}

interface SelectContext {
  units: TextUnit[];
  /** Content terms of every unit, tokenised once. */
  tokens: TermIds;
  excluded: Set<number>;
  /** Multiplier of each unit's centrality (sentenceQuality). */
  quality: Float64Array;
  tolerance: number;
  algorithm: RankingAlgorithm;
  lambda: number;
  positionWeight: number;
  maxGraphSentences: number;
  options: ExtractiveOptions;
}

function selectHierarchically(
  ids: number[],
  targetWords: number,
  context: SelectContext,
  depth: number,
): { chosen: number[]; levels: number } {
  throwIfAborted(context.options.signal);
  if (ids.length <= context.maxGraphSentences) {
    return { chosen: selectFlat(ids, targetWords, context.tolerance, context), levels: depth };
  }
  const groups = groupUnits(ids, context);
  const idsWords = ids.reduce((sum, i) => sum + context.units[i]!.words, 0);
  const poolWords = POOL_FACTOR * targetWords;
  const medianWords = median(ids.map((i) => context.units[i]!.words));
  const progress = createProgress(context.options.onProgress, 'extract', { total: groups.length, unit: 'sections' });
  const pool: number[] = [];
  for (const group of groups) {
    const groupWords = group.reduce((sum, i) => sum + context.units[i]!.words, 0);
    // Every section keeps at least two typical sentences, so short chapters are not silenced.
    const share = Math.max(Math.round((poolWords * groupWords) / idsWords), 2 * medianWords);
    const picked =
      groupWords <= share ? group.filter((i) => !context.excluded.has(i)) : selectHierarchically(group, share, { ...context, tolerance: 0.5 }, depth).chosen;
    pool.push(...picked);
    progress.advance();
  }
  progress.finish();
  pool.sort((a, b) => a - b);
  const next = selectHierarchically(pool, targetWords, context, depth + 1);
  return next;
}

/** One sentence graph over `ids`, ranked, weighted by position, selected by MMR. */
function selectFlat(ids: number[], targetWords: number, tolerance: number, context: SelectContext): number[] {
  const { units } = context;
  const vectors = vectorsFromIds(ids.map((i) => context.tokens.terms[i]!), context.tokens.vocabulary.length);
  const centrality = rankSentences(vectors, context.algorithm);
  const relevance = new Float64Array(ids.length);
  const span = Math.max(ids.length - 1, 1);
  // The lead prior suits one speech or article; over a book's chapters it would only favour the first ones.
  const lead = sectionsOf(ids, context) > 1 ? 0 : context.positionWeight;
  ids.forEach((_, k) => {
    // A mild lead bias (Edmundson 1969; the lead baseline is strong on news and speeches): up to
    // +positionWeight for the first sentence, fading quadratically to nothing at the end.
    const prior = 1 + lead * (1 - k / span) ** 2;
    relevance[k] = centrality[k]! * prior * context.quality[ids[k]!]!;
  });
  const excluded = new Set<number>();
  ids.forEach((id, k) => {
    if (context.excluded.has(id)) excluded.add(k);
  });
  const picked = selectByMMR(
    { words: ids.map((i) => units[i]!.words), relevance, vectors, excluded, groups: spreadGroups(ids, targetWords, context), groupSimilarity: SPREAD_SIMILARITY },
    { targetWords, tolerance, lambda: context.lambda },
  );
  return picked.map((k) => ids[k]!);
}

function sectionsOf(ids: readonly number[], context: SelectContext): number {
  return (context.units[ids[ids.length - 1]!]?.section ?? 0) - (context.units[ids[0]!]?.section ?? 0) + 1;
}

/**
 * Parts of the document for spreading the selection: the sections when there are several (grouped
 * into about one part per expected sentence), else equal runs of sentences.
 */
function spreadGroups(ids: readonly number[], targetWords: number, context: SelectContext): Int32Array {
  const parts = Math.max(2, Math.round(targetWords / WORDS_PER_PART));
  const groups = new Int32Array(ids.length);
  const first = context.units[ids[0]!]?.section ?? 0;
  const sections = (context.units[ids[ids.length - 1]!]?.section ?? 0) - first + 1;
  ids.forEach((id, k) => {
    groups[k] = sections > 1 ? Math.floor(((context.units[id]!.section - first) * parts) / sections) : Math.floor((k * parts) / ids.length);
  });
  return groups;
}

/** Groups for the first round: the sections, with oversized ones cut into blocks. */
function groupUnits(ids: number[], context: SelectContext): number[][] {
  const blockSize = Math.max(2, Math.floor(context.maxGraphSentences / 2));
  const bySection: number[][] = [];
  for (const id of ids) {
    const last = bySection[bySection.length - 1];
    if (last && context.units[last[0]!]!.section === context.units[id]!.section) last.push(id);
    else bySection.push([id]);
  }
  // One section only (no headings), or sections no smaller than the whole: fixed blocks.
  const source = bySection.length > 1 ? bySection : [ids];
  const groups: number[][] = [];
  for (const section of source) {
    for (let at = 0; at < section.length; at += blockSize) groups.push(section.slice(at, at + blockSize));
  }
  // Merge tiny neighbours (paragraph-sized sections) so each group is worth a graph.
  const merged: number[][] = [];
  for (const group of groups) {
    const last = merged[merged.length - 1];
    if (last && last.length + group.length <= blockSize && (last.length < 8 || group.length < 8)) last.push(...group);
    else merged.push([...group]);
  }
  return merged;
}

const TERMINATED = /[.!?…]["'”’)\]]*$/u;

/** A full sentence: long enough and ending in terminal punctuation (headings and ToC lines do not). */
function isSentenceLike(unit: TextUnit): boolean {
  return !unit.piece && unit.words >= MIN_SENTENCE_WORDS && TERMINATED.test(unit.text);
}

/** Repeated sentences (same words, any case or punctuation) after their first occurrence. */
function repeatedSentences(units: readonly TextUnit[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  units.forEach((unit, i) => {
    const key = normalise(unit.text);
    if (seen.has(key)) repeated.add(i);
    seen.add(key);
  });
  return repeated;
}

const normalise = (sentence: string) => sentence.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Section starts from Markdown headings and CHAPTER/BOOK/PART lines; none gives one section. */
export function detectSections(text: string): Span[] {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `detectSections() takes a string, got ${describeValue(text)}.`);
  const starts = [0];
  for (const match of text.matchAll(SECTION_START)) if (match.index > 0) starts.push(match.index);
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function validate(
  targetWords: unknown,
  tolerance: unknown,
  algorithm: unknown,
  lambda: unknown,
  positionWeight: unknown,
  maxGraph: unknown,
  sections: unknown,
): void {
  const fail = (message: string) => {
    throw new ChunkwiseError('INVALID_ARGUMENT', message);
  };
  if (!Number.isInteger(targetWords) || (targetWords as number) < 1) fail(`targetWords must be a positive integer, got ${describeValue(targetWords)}.`);
  if (!(typeof tolerance === 'number' && tolerance >= 0 && tolerance < 1)) fail(`tolerance must be in [0, 1), got ${describeValue(tolerance)}.`);
  if (algorithm !== 'lexrank' && algorithm !== 'textrank') fail(`algorithm must be 'lexrank' or 'textrank', got ${describeValue(algorithm)}.`);
  if (!(typeof lambda === 'number' && lambda >= 0 && lambda <= 1)) fail(`lambda must be in [0, 1], got ${describeValue(lambda)}.`);
  if (!(typeof positionWeight === 'number' && positionWeight >= 0 && Number.isFinite(positionWeight))) fail(`positionWeight must be a finite number ≥ 0, got ${describeValue(positionWeight)}.`);
  if (!Number.isInteger(maxGraph) || (maxGraph as number) < 10) fail(`maxGraphSentences must be an integer ≥ 10, got ${describeValue(maxGraph)}.`);
  if (sections !== undefined) {
    const valid =
      Array.isArray(sections) &&
      sections.every((span: unknown) => {
        const { start, end } = (span ?? {}) as { start?: unknown; end?: unknown };
        return Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) >= (start as number);
      });
    if (!valid) fail('sections must be an array of { start, end } integer offsets with 0 ≤ start ≤ end.');
  }
}


import { ChunkwiseError, createProgress, throwIfAborted, type ProgressCallback, type Span } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { selectByMMR } from './mmr-selection.js';
import { rankSentences, type RankingAlgorithm } from './sentence-graph.js';
import { splitSentences } from './sentence-splitter.js';
import { buildTermVectors } from './term-vectors.js';

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

const SECTION_START = /^(?:#{1,6}[ \t]+\S.*|(?:CHAPTER|Chapter|BOOK|Book|PART|Part)[ \t]+(?:\d+|[IVXLCDM]+)\b.*)$/gm;

interface Unit {
  span: Span;
  text: string;
  words: number;
  section: number;
}

/**
 * Model-free summary: a LexRank (Erkan & Radev 2004) or TextRank (Mihalcea & Tarau 2004) sentence
 * graph, a mild lead prior, and MMR selection (Carbonell & Goldstein 1998) to the word target,
 * sentences in document order, no sentence twice. Texts with more than `maxGraphSentences`
 * sentences are summarised section by section first, then the pooled section extracts are ranked
 * again as one graph, so a 1.2 M-character novel takes seconds, not minutes. Deterministic.
 */
export function extractiveSummary(text: string, options: ExtractiveOptions): ExtractiveSummary {
  const { targetWords, tolerance = 0.1, algorithm = 'lexrank', lambda = 0.7, positionWeight = 0.2 } = options;
  const maxGraphSentences = options.maxGraphSentences ?? 1500;
  validate(targetWords, tolerance, lambda, positionWeight, maxGraphSentences);
  throwIfAborted(options.signal);

  const sectionSpans = options.sections ?? detectSections(text);
  const units = toUnits(text, sectionSpans);
  const totalWords = units.reduce((sum, unit) => sum + unit.words, 0);
  const duplicates = repeatedSentences(units);
  const excluded = new Set(duplicates);
  const eligible = units.filter((unit, i) => isSentenceLike(unit) && !duplicates.has(i)).length;
  const minWords = eligible >= MIN_ELIGIBLE ? MIN_SENTENCE_WORDS : MIN_FRAGMENT_WORDS;
  units.forEach((unit, i) => {
    if (unit.words < minWords || (eligible >= MIN_ELIGIBLE && !isSentenceLike(unit))) excluded.add(i);
  });
  const all = units.map((_, i) => i);

  let chosen: number[];
  let levels = 1;
  if (totalWords <= targetWords * (1 + tolerance)) {
    // Nothing to cut: the whole text already fits the target (without repeated sentences).
    chosen = all.filter((i) => !duplicates.has(i));
  } else {
    const context: SelectContext = { units, excluded, tolerance, algorithm, lambda, positionWeight, maxGraphSentences, options };
    const result = selectHierarchically(all, targetWords, context, 1);
    chosen = result.chosen;
    levels = result.levels;
  }
  const sentences = chosen.map((i) => units[i]!.span);
  const summary = chosen.map((i) => units[i]!.text.replace(/\s+/g, ' ')).join(' ');
  return { summary, words: countWords(summary), sentences, levels };
}

interface SelectContext {
  units: Unit[];
  excluded: Set<number>;
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
  const vectors = buildTermVectors(ids.map((i) => units[i]!.text));
  const centrality = rankSentences(vectors, context.algorithm);
  const relevance = new Float64Array(ids.length);
  const span = Math.max(ids.length - 1, 1);
  ids.forEach((_, k) => {
    // A mild lead bias (Edmundson 1969; the lead baseline is strong on news and speeches): up to
    // +positionWeight for the first sentence, fading quadratically to nothing at the end.
    const prior = 1 + context.positionWeight * (1 - k / span) ** 2;
    relevance[k] = centrality[k]! * prior;
  });
  const excluded = new Set<number>();
  ids.forEach((id, k) => {
    if (context.excluded.has(id)) excluded.add(k);
  });
  const picked = selectByMMR(
    { words: ids.map((i) => units[i]!.words), relevance, vectors, excluded },
    { targetWords, tolerance, lambda: context.lambda },
  );
  return picked.map((k) => ids[k]!);
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

function toUnits(text: string, sections: readonly Span[]): Unit[] {
  const ordered = [...sections].sort((a, b) => a.start - b.start);
  let section = 0;
  return splitSentences(text).map((span) => {
    while (section + 1 < ordered.length && ordered[section + 1]!.start <= span.start) section++;
    const sentence = text.slice(span.start, span.end);
    return { span, text: sentence, words: countWords(sentence), section };
  });
}

const TERMINATED = /[.!?…]["'”’)\]]*$/u;

/** A full sentence: long enough and ending in terminal punctuation (headings and ToC lines do not). */
function isSentenceLike(unit: Unit): boolean {
  return unit.words >= MIN_SENTENCE_WORDS && TERMINATED.test(unit.text);
}

/** Repeated sentences (same words, any case or punctuation) after their first occurrence. */
function repeatedSentences(units: Unit[]): Set<number> {
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
  const starts = [0];
  for (const match of text.matchAll(SECTION_START)) if (match.index > 0) starts.push(match.index);
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function validate(targetWords: number, tolerance: number, lambda: number, positionWeight: number, maxGraph: number): void {
  const fail = (message: string) => {
    throw new ChunkwiseError('INVALID_ARGUMENT', message);
  };
  if (!Number.isInteger(targetWords) || targetWords < 1) fail(`targetWords must be a positive integer, got ${targetWords}.`);
  if (!(tolerance >= 0 && tolerance < 1)) fail(`tolerance must be in [0, 1), got ${tolerance}.`);
  if (!(lambda >= 0 && lambda <= 1)) fail(`lambda must be in [0, 1], got ${lambda}.`);
  if (!(positionWeight >= 0)) fail(`positionWeight must be ≥ 0, got ${positionWeight}.`);
  if (!Number.isInteger(maxGraph) || maxGraph < 10) fail(`maxGraphSentences must be an integer ≥ 10, got ${maxGraph}.`);
}

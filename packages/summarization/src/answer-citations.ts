import type { Span } from '@chunkwise/core';
import { citationOf, wholePassage, type PassageIndex } from './answer-passages.js';
import type { AnswerRepair, Citation } from './answer-types.js';
import { MarkerRewriter, stripMarkers } from './citation-markers.js';
import { countWords } from './count-words.js';
import { splitSentences } from '@chunkwise/chunking';
import { contentTerms } from './term-vectors.js';

/**
 * An answer sentence matched to a passage sentence must share at least this share of its weight
 * (idf of its content terms) to be cited for it when the model cited nothing itself.
 */
const MIN_ATTRIBUTION = 0.3;

export interface CheckedAnswer {
  text: string;
  citations: Citation[];
  repairs: AnswerRepair[];
  answered: boolean;
  words: number;
}

/**
 * Turns a model's answer (citations as the prompt's passage numbers) into one a user can check:
 * markers renumbered 1, 2, 3… in order of use and unknown ones removed (`MarkerRewriter`; pass the
 * one that already rewrote a stream), an answer without any citation matched sentence by sentence
 * to the passages, and each marker resolved to the passage sentence that best supports the answer
 * sentences citing it — or to the whole passage when none shares their words.
 */
export function checkAnswer(raw: string, index: PassageIndex, rewriter = new MarkerRewriter(index.passages.length), rewritten?: string): CheckedAnswer {
  let text = rewritten ?? rewriter.rewrite(raw);
  const repairs: AnswerRepair[] = [...rewriter.repairs];
  if (rewriter.passages.length === 0 && countWords(text) > 0) {
    const attributed = attribute(text, index, rewriter);
    if (attributed.count > 0) {
      text = attributed.text;
      repairs.push({ kind: 'attributed', sentences: attributed.count });
    }
  }
  const sentences = answerSentences(text);
  const unsupported = sentences.filter((sentence) => sentence.markers.length === 0 && countWords(sentence.text) > 0).length;
  if (unsupported > 0 && rewriter.passages.length > 0) repairs.push({ kind: 'unsupported', sentences: unsupported });

  const citations = rewriter.passages.map((passageNumber, k) => {
    const marker = k + 1;
    const passage = passageNumber - 1;
    const citing = sentences.filter((sentence) => sentence.markers.includes(marker)).map((sentence) => stripMarkers(sentence.text));
    const span = bestEvidence(citing.join(' '), passage, index) ?? wholePassage(index.passages[passage]!);
    return citationOf(marker, index.passages[passage]!, span);
  });
  return { text, citations, repairs, answered: citations.length > 0, words: countWords(stripMarkers(text)) };
}

/** The answer's sentences with the markers each carries; markers before a sentence's first word belong to the one before it. */
function answerSentences(text: string): { text: string; markers: number[] }[] {
  const out: { text: string; markers: number[] }[] = [];
  for (const span of splitSentences(text)) {
    const sentence = text.slice(span.start, span.end);
    const lead = /^(?:\s*\[\d+\])+/.exec(sentence);
    if (lead && out.length > 0) out[out.length - 1]!.markers.push(...markersIn(lead[0]));
    const body = lead ? sentence.slice(lead[0].length) : sentence;
    out.push({ text: body, markers: markersIn(body) });
  }
  return out;
}

function markersIn(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

/**
 * The sentence of passage `p` that shares the most weight (Σ idf of shared content terms) with
 * `claim`; undefined when none shares a term.
 */
function bestEvidence(claim: string, p: number, index: PassageIndex): Span | undefined {
  const claimIds = termIdsOf(claim, index);
  let best: number | undefined;
  let bestScore = 0;
  for (const u of index.unitsOf[p]!) {
    const score = sharedWeight(claimIds, u, index);
    if (score > bestScore) {
      bestScore = score;
      best = u;
    }
  }
  return best === undefined ? undefined : index.units[best]!.span;
}

/** Cites each uncited answer sentence with the passage whose sentence supports it best, when one does. */
function attribute(text: string, index: PassageIndex, rewriter: MarkerRewriter): { text: string; count: number } {
  let out = '';
  let from = 0;
  let count = 0;
  for (const span of splitSentences(text)) {
    const sentence = text.slice(span.start, span.end);
    const ids = termIdsOf(sentence, index);
    // A word no passage has weighs as much as the rarest one: the claim is not in the passages.
    const unseen = Math.log(1 + (index.units.length + 0.5) / 0.5);
    let mass = 0;
    for (const id of ids) mass += id < 0 ? unseen : index.idf[id]!;
    let best = -1;
    let bestScore = 0;
    index.units.forEach((_, u) => {
      const score = sharedWeight(ids, u, index);
      if (score > bestScore) {
        bestScore = score;
        best = u;
      }
    });
    if (best < 0 || mass === 0 || bestScore / mass < MIN_ATTRIBUTION) continue;
    // `rewrite` of a marker naming the passage assigns it the next answer marker.
    const marker = rewriter.rewrite(`[${index.units[best]!.passage + 1}]`);
    const end = span.start + (sentence.search(/[.!?…]["'”’)\]]*$/u) >= 0 ? sentence.search(/[.!?…]["'”’)\]]*$/u) : sentence.length);
    out += `${text.slice(from, end)} ${marker}`;
    from = end;
    count++;
  }
  return { text: out + text.slice(from), count };
}

/** Distinct content-term ids of `text` in the passages' vocabulary (−1 for terms no passage has). */
function termIdsOf(text: string, index: PassageIndex): Set<number> {
  const idOf = vocabularyIds(index);
  return new Set(contentTerms(text).map((term) => idOf.get(term) ?? -1));
}

function sharedWeight(ids: ReadonlySet<number>, unit: number, index: PassageIndex): number {
  let score = 0;
  for (const id of new Set(index.tokens.terms[unit]!)) if (ids.has(id)) score += index.idf[id]!;
  return score;
}

const vocabularies = new WeakMap<PassageIndex, Map<string, number>>();

function vocabularyIds(index: PassageIndex): Map<string, number> {
  let map = vocabularies.get(index);
  if (!map) {
    map = new Map(index.tokens.vocabulary.map((term, id) => [term, id]));
    vocabularies.set(index, map);
  }
  return map;
}

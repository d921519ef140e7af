import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './argument-checks.js';
import { detectSections } from './extractive-summary.js';
import { salientTerms } from './salient-terms.js';
import { contentTerms, termIds } from './term-vectors.js';
import { textUnits, type TextUnit } from './text-units.js';

export interface SuggestedQuestion {
  question: string;
  /** What it asks about, as the text writes it ("Queequeg", "Moby Dick", "whales"). */
  about: string;
  /** `person` (named with a title or in dialogue tags), `name` (another proper name) or `term` (a salient common word). */
  kind: 'person' | 'name' | 'term';
  /** Sentences of the text that mention it. */
  mentions: number;
}

export interface SuggestQuestionsOptions {
  /** How many questions (default 3). */
  count?: number;
}

/** Fewer mentions than this and a name is not worth a question. */
const MIN_MENTIONS = 3;
/** Words that open a sentence or a name but are no names themselves. */
const NOT_NAMES = new Set(
  (
    'A An The This That These Those It Its He She They We You I Me My Our Your His Her Their Them Him Us But And Or Nor For So Yet If ' +
    'When Where While Why What Who Whom Whose Which How Then Now There Here Thus Yes No Not Oh O Ah Aye Nay Mr Mrs Ms Dr St Sir ' +
    'Let Be Do Is Are Was Were Have Has Had Will Would Shall Should Can Could May Might Must Upon Into Of In On At By To From With As ' +
    'All Some Any Every Each One Two Three First Last Chapter Book Part Section Vol Volume Page Fig Table Note See Mister Madam Lord'
  ).split(' '),
);
/** Titles that make the name after them a person's. */
const TITLES = /^(?:Captain|Capt|Mr|Mrs|Ms|Miss|Dr|Doctor|Professor|Prof|President|Senator|Governor|General|Colonel|Major|Lieutenant|Sergeant|King|Queen|Prince|Princess|Lord|Lady|Sir|Father|Mother|Uncle|Aunt|Judge|Bishop|Pope|Saint|Mate)$/;
/** Verbs of speech: "said Ahab", "Ahab cried" make a name a person's. */
const SPEECH = /^(?:said|says|cried|asked|replied|answered|shouted|whispered|muttered|told|exclaimed|added)$/i;
const NAME_WORD = /^\p{Lu}[\p{Ll}'’-]*\p{Ll}$|^\p{Lu}{2,}$/u;
const TERMINATED = /[.!?…]["'”’)\]]*$/u;

interface Name {
  surface: string;
  mentions: number;
  person: number;
  /** Mentions after "the" ("the Pequod"): the question keeps the article. */
  withArticle: number;
  /** Mentions followed by a lower-case word: many, for a demonym used as an adjective ("American people"). */
  beforeLowercase: number;
  sections: Set<number>;
}

/** Demonyms and other adjectives made from names. */
const ADJECTIVE = /(?:an|ian|ese|ish|ic|ean|al)$/;

/**
 * A few questions a reader could ask of a text, for a digest of a book that brings none: about its
 * most mentioned people and names ("Who is Queequeg?", "What is said about the Pequod?"), then its
 * most salient common terms ("What is said about whales?"). Names and terms are counted only in
 * full sentences, so headings, tables of contents and list items never become questions, and every
 * subject is mentioned in at least three sentences, so the extractive `answer` has evidence to quote.
 */
export function suggestQuestions(text: string, options: SuggestQuestionsOptions = {}): SuggestedQuestion[] {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `suggestQuestions() takes a string, got ${describeValue(text)}.`);
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `suggestQuestions() options must be an object, got ${describeValue(options)}.`);
  const { count = 3 } = options;
  if (!Number.isInteger(count) || count < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `count must be a positive integer, got ${describeValue(count)}.`);

  const sentences = textUnits(text, detectSections(text), 120, 40).filter((unit) => !unit.piece && unit.words >= 5 && TERMINATED.test(unit.text));
  if (sentences.length === 0) return [];
  const names = properNames(sentences);
  const questions: SuggestedQuestion[] = [];
  const covered = new Set<string>();
  for (const name of names) {
    if (questions.length >= count) break;
    const person = name.person >= 2;
    const about = !person && name.withArticle * 2 > name.mentions ? `the ${name.surface}` : name.surface;
    questions.push({
      question: person ? `Who is ${about}?` : `What is said about ${about}?`,
      about,
      kind: person ? 'person' : 'name',
      mentions: name.mentions,
    });
    for (const term of contentTerms(name.surface)) covered.add(term);
  }
  if (questions.length < count) questions.push(...salientTermQuestions(sentences, covered, count - questions.length));
  return questions;
}

/** Proper names of the sentences, most mentioned (and widest spread) first. */
function properNames(sentences: readonly TextUnit[]): Name[] {
  const names = new Map<string, Name>();
  const lowercase = new Map<string, number>();
  for (const sentence of sentences) {
    const matches = [...sentence.text.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
    const words = matches.map((match) => match[0].replace(/['’]s$/, ''));
    // A name runs on only across plain spaces: "the Pequod, Ahab was" is two names.
    const joined = (k: number) => /^[ \t\n]+$/.test(sentence.text.slice(matches[k - 1]!.index + matches[k - 1]![0].length, matches[k]!.index));
    const seen = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (/^\p{Ll}/u.test(word)) lowercase.set(word, (lowercase.get(word) ?? 0) + 1);
      // The sentence's first word is capitalised anyway: it starts no name.
      if (i === 0 || !NAME_WORD.test(word) || NOT_NAMES.has(word) || TITLES.test(word)) continue;
      let end = i + 1;
      for (;;) {
        if (end < words.length && joined(end) && NAME_WORD.test(words[end]!) && !NOT_NAMES.has(words[end]!)) end++;
        // "House of Representatives", "Bank of England": "of" between two capitalised words.
        else if (words[end] === 'of' && end + 1 < words.length && joined(end) && joined(end + 1) && NAME_WORD.test(words[end + 1]!) && !NOT_NAMES.has(words[end + 1]!)) end += 2;
        else break;
      }
      const surface = words.slice(i, end).join(' ');
      const name = names.get(surface) ?? { surface, mentions: 0, person: 0, withArticle: 0, beforeLowercase: 0, sections: new Set<number>() };
      if (/^the$/i.test(words[i - 1] ?? '')) name.withArticle++;
      if (/^\p{Ll}/u.test(words[end] ?? '')) name.beforeLowercase++;
      if (!seen.has(surface)) {
        name.mentions++;
        seen.add(surface);
      }
      name.sections.add(sentence.section);
      if (TITLES.test(words[i - 1] ?? '') || SPEECH.test(words[i - 1] ?? '') || SPEECH.test(words[end] ?? '')) name.person++;
      names.set(surface, name);
      i = end - 1;
    }
  }
  return [...names.values()]
    .filter((name) => {
      if (name.mentions < MIN_MENTIONS) return false;
      if (!name.surface.includes(' ') && ADJECTIVE.test(name.surface) && name.beforeLowercase * 2 > name.mentions) return false;
      // "Whale" in "the Sperm Whale" is a common word the text also writes in lower case.
      const lower = name.surface.toLowerCase();
      return (lowercase.get(lower) ?? 0) * 2 < name.mentions;
    })
    .sort((a, b) => b.mentions * Math.sqrt(b.sections.size) - a.mentions * Math.sqrt(a.sections.size) || (a.surface < b.surface ? -1 : 1));
}

/** Questions about the most salient common terms not already asked about, in the text's own most frequent form. */
function salientTermQuestions(sentences: readonly TextUnit[], covered: ReadonlySet<string>, count: number): SuggestedQuestion[] {
  const tokens = termIds(sentences.map((sentence) => sentence.text));
  const salient = salientTerms(
    tokens,
    sentences.map((sentence) => sentence.section),
  );
  const forms = surfaceForms(sentences);
  const mentions = new Float64Array(tokens.vocabulary.length);
  for (const ids of tokens.terms) for (const id of new Set(ids)) mentions[id]!++;
  const questions: SuggestedQuestion[] = [];
  for (const [id] of salient) {
    if (questions.length >= count) break;
    const term = tokens.vocabulary[id]!;
    const form = forms.get(term);
    if (covered.has(term) || form === undefined || mentions[id]! < MIN_MENTIONS || term.length < 3 || /\d/.test(term)) continue;
    questions.push({ question: `What is said about ${form}?`, about: form, kind: 'term', mentions: mentions[id]! });
  }
  return questions;
}

/** For each content term, how a question names it: its plural as the text writes it ("whales"), else "the whale". */
function surfaceForms(sentences: readonly TextUnit[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const sentence of sentences) {
    for (const match of sentence.text.matchAll(/\p{Ll}[\p{Ll}'’]*/gu)) {
      const [term] = contentTerms(match[0]);
      if (term === undefined) continue;
      const forms = counts.get(term) ?? new Map<string, number>();
      forms.set(match[0], (forms.get(match[0]) ?? 0) + 1);
      counts.set(term, forms);
    }
  }
  const best = new Map<string, string>();
  for (const [term, forms] of counts) {
    const ranked = [...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // "What is said about whales?" reads as a question, "…about whale?" does not: the plural when the
    // text uses it at least half as often, else the singular with its article.
    const plural = ranked.find(([form, n]) => form.endsWith('s') && n * 2 >= ranked[0]![1]);
    const top = ranked[0]![0];
    best.set(term, top.endsWith('s') ? top : plural ? plural[0] : `the ${top}`);
  }
  return best;
}

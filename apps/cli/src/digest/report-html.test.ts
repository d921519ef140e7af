import { describe, expect, it } from 'vitest';
import { chunkHistogram, escapeHtml, highlight, renderReportHtml } from './report-html.js';

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

  it('highlights whole words only, case-insensitively, and escapes the rest', () => {
    expect(highlight('The Whale & the whaleboat: WHALE.', ['whale'])).toBe('The <mark>Whale</mark> &amp; the whaleboat: <mark>WHALE</mark>.');
    // Single letters are not highlighted; regex characters in terms are taken literally.
    expect(highlight('a+b (c) cc', ['b', '(c)'])).toBe('a+b <mark>(c)</mark> cc');
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
      answers: [{ question: 'Who?', passages: [{ section: 'Chapter 1', start: 0, end: 4, score: 1.5, text: 'Call me Ishmael.', terms: ['ishmael'] }] }],
    });
    expect(full).toContain('<p>One.</p><p>Two.</p>');
    expect(full).toContain('Call me <mark>Ishmael</mark>.');
    expect(full).toContain('Chapter 1 · characters 0–4 · score 1.50');
  });
});

/**
 * The digest's self-contained report.html: no scripts, no external assets, inline SVG charts,
 * readable offline and printable.
 */
export interface ReportPassage {
  section: string;
  start: number;
  end: number;
  score: number;
  text: string;
  /** The evidence the answer quotes from this passage: offsets in `text` and the answer's marker. */
  evidence: { start: number; end: number; marker: number }[];
}

export interface ReportAnswer {
  question: string;
  /** The answer with its `[n]` markers. */
  answer: string;
  answered: boolean;
  method: string;
  passages: ReportPassage[];
}

export interface ReportInput {
  title: string;
  source: string;
  facts: [label: string, value: string][];
  stages: { name: string; ms: number; summary: string }[];
  /** Tokens per section for each encoding, same order as `sectionTitles`. */
  tokensPerSection?: { sectionTitles: string[]; series: { name: string; counts: number[] }[] };
  /** Token counts of every chunk, for the size histogram. */
  chunkSizes?: { sizes: number[]; maxTokens: number };
  summary?: { text: string; words: number; method: string };
  answers?: ReportAnswer[];
  generatedAt: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const COLORS = ['#2563eb', '#d97706', '#059669', '#db2777'];

/** Grouped bars: one group per section, one bar per series. */
export function tokensChart(input: NonNullable<ReportInput['tokensPerSection']>): string {
  const width = 960;
  const height = 260;
  const pad = { left: 56, right: 12, top: 16, bottom: 28 };
  const n = input.sectionTitles.length;
  const max = Math.max(1, ...input.series.flatMap((series) => series.counts));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groupW = plotW / Math.max(n, 1);
  const barW = Math.max(groupW / (input.series.length + 0.5), 0.5);
  const bars: string[] = [];
  input.sectionTitles.forEach((title, i) => {
    input.series.forEach((series, s) => {
      const value = series.counts[i] ?? 0;
      const h = (value / max) * plotH;
      const x = pad.left + i * groupW + s * barW;
      bars.push(
        `<rect x="${x.toFixed(2)}" y="${(pad.top + plotH - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" fill="${COLORS[s % COLORS.length]}"><title>${escapeHtml(title)} — ${series.name}: ${value.toLocaleString('en-US')} tokens</title></rect>`,
      );
    });
  });
  const ticks = [0, 0.5, 1].map((f) => {
    const y = pad.top + plotH - f * plotH;
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${pad.left - 6}" y="${y + 4}" text-anchor="end">${Math.round(f * max).toLocaleString('en-US')}</text>`;
  });
  const legend = input.series
    .map((series, s) => `<tspan fill="${COLORS[s % COLORS.length]}">■</tspan> ${escapeHtml(series.name)} (${series.counts.reduce((a, b) => a + b, 0).toLocaleString('en-US')})  `)
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Tokens per section" class="chart">${ticks.join('')}${bars.join('')}<text x="${pad.left}" y="${height - 8}">sections 1–${n} · ${legend}</text></svg>`;
}

/** Histogram of chunk sizes in tokens, in bins of equal width up to the limit. */
export function chunkHistogram(input: NonNullable<ReportInput['chunkSizes']>, binCount = 16): string {
  const width = 960;
  const height = 220;
  const pad = { left: 56, right: 12, top: 16, bottom: 32 };
  const top = Math.max(input.maxTokens, ...input.sizes, 1);
  const binWidth = Math.ceil(top / binCount);
  const bins = new Array<number>(binCount).fill(0);
  for (const size of input.sizes) bins[Math.min(binCount - 1, Math.floor(size / binWidth))]!++;
  const max = Math.max(1, ...bins);
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const barW = plotW / binCount;
  const bars = bins.map((count, i) => {
    const h = (count / max) * plotH;
    const x = pad.left + i * barW;
    const label = `${i * binWidth}–${(i + 1) * binWidth - 1} tokens: ${count} chunks`;
    return `<rect x="${(x + 1).toFixed(2)}" y="${(pad.top + plotH - h).toFixed(2)}" width="${(barW - 2).toFixed(2)}" height="${h.toFixed(2)}" fill="#2563eb"><title>${label}</title></rect><text x="${(x + barW / 2).toFixed(2)}" y="${height - 16}" text-anchor="middle">${i * binWidth}</text>`;
  });
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Chunk size histogram" class="chart"><line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#9ca3af"/>${bars.join('')}<text x="${pad.left - 6}" y="${pad.top + 8}" text-anchor="end">${max}</text><text x="${width - pad.right}" y="${height - 2}" text-anchor="end">tokens per chunk (limit ${input.maxTokens})</text></svg>`;
}

/**
 * The passage with each quoted evidence span in <mark>, followed by its marker: exactly the
 * characters the citation names, so a reader sees what `[n]` stands on and what surrounds it.
 */
export function markEvidence(text: string, evidence: ReportPassage['evidence'], anchor = ''): string {
  let out = '';
  let last = 0;
  for (const span of [...evidence].sort((a, b) => a.start - b.start || a.marker - b.marker)) {
    if (span.start < last) continue; // one mark per stretch of text
    const id = anchor ? ` id="${anchor}-${span.marker}"` : '';
    out += escapeHtml(text.slice(last, span.start)) + `<mark${id}>${escapeHtml(text.slice(span.start, span.end))}</mark><sup>[${span.marker}]</sup>`;
    last = span.end;
  }
  return out + escapeHtml(text.slice(last));
}

/** The answer's text with each `[n]` linked to its evidence. */
function answerHtml(answer: string, anchor: string): string {
  return escapeHtml(answer).replace(/\[(\d+)\]/g, (marker, n: string) => `<a href="#${anchor}-${n}">${marker}</a>`);
}

export function renderReportHtml(input: ReportInput): string {
  const sections: string[] = [];
  sections.push(
    `<section><h2>The text</h2><dl class="facts">${input.facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl></section>`,
  );
  if (input.tokensPerSection) sections.push(`<section><h2>Tokens per section</h2>${tokensChart(input.tokensPerSection)}</section>`);
  if (input.chunkSizes) {
    sections.push(`<section><h2>Chunk sizes</h2><p>${input.chunkSizes.sizes.length.toLocaleString('en-US')} chunks, at most ${input.chunkSizes.maxTokens} tokens each.</p>${chunkHistogram(input.chunkSizes)}</section>`);
  }
  if (input.summary) {
    sections.push(
      `<section><h2>Summary</h2><p class="muted">${escapeHtml(input.summary.method)} · ${input.summary.words.toLocaleString('en-US')} words</p>${input.summary.text
        .split(/\n{2,}/)
        .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
        .join('')}</section>`,
    );
  }
  if (input.answers?.length) {
    const answers = input.answers.map((answer, q) => {
      const anchor = `q${q + 1}`;
      // Passages the answer quotes from first, each with its evidence marked; the rest of the context after.
      const passages = [...answer.passages].sort((a, b) => Number(b.evidence.length > 0) - Number(a.evidence.length > 0));
      return `<article><h3>${escapeHtml(answer.question)}</h3><p class="answer">${answerHtml(answer.answer, anchor)}</p><p class="muted">${escapeHtml(answer.method)} answer from ${answer.passages.length} passage${answer.passages.length === 1 ? '' : 's'}${answer.answered ? '' : ' · nothing in them answers the question'}</p>${passages
        .map(
          (passage) =>
            `<blockquote><p>${markEvidence(passage.text, passage.evidence, anchor)}</p><footer>${escapeHtml(passage.section)} · characters ${passage.start.toLocaleString('en-US')}–${passage.end.toLocaleString('en-US')} · score ${passage.score.toFixed(2)}</footer></blockquote>`,
        )
        .join('')}</article>`;
    });
    sections.push(`<section><h2>Questions, answered with citations</h2>${answers.join('')}</section>`);
  }
  sections.push(
    `<section><h2>Stages</h2><table><thead><tr><th>stage</th><th>time</th><th>result</th></tr></thead><tbody>${input.stages
      .map((stage) => `<tr><td>${escapeHtml(stage.name)}</td><td class="num">${stage.ms.toFixed(0)} ms</td><td>${escapeHtml(stage.summary)}</td></tr>`)
      .join('')}</tbody></table></section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — Chunkwise digest</title>
<style>
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;max-width:1000px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:1px solid #e5e7eb;padding-bottom:.3rem;margin-top:2.2rem}
.muted,footer{color:#6b7280;font-size:.9rem}.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.5rem}.facts dt{color:#6b7280}.facts dd{margin:0}
.chart{width:100%;height:auto;font-size:11px;fill:#374151}blockquote{margin:1rem 0;padding:.6rem 1rem;border-left:4px solid #2563eb;background:#f9fafb}
mark{background:#fde68a;padding:0 .1em}sup{color:#2563eb;font-size:.75em}.answer{font-size:1.05rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:.35rem .5rem;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}
</style></head><body>
<header><h1>${escapeHtml(input.title)}</h1><p class="muted">${escapeHtml(input.source)} · digested by Chunkwise on ${escapeHtml(input.generatedAt)}</p></header>
${sections.join('\n')}
</body></html>
`;
}

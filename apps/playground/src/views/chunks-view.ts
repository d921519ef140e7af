import { PAGE_STRATEGIES, RECIPE_NAMES } from '../compute/chunk-config.js';
import type { ChunkReport } from '../compute/chunk-report.js';
import { tokenizerOptions } from '../compute/tokenizer-names.js';
import type { ComputeClient } from '../shell/compute-client.js';
import { field, formatInt, h, numberInput, readNumberAsTyped, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import type { ChunkSettings } from './chunk-settings.js';
import { histogram, summarize } from './histogram.js';
import { histogramSvg } from './histogram-svg.js';
import { segmentBySpans } from './span-segments.js';

/** Chunks drawn at once: a book has tens of thousands, and the page pages through them. */
export const CHUNK_WINDOW = 200;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export function createChunksView(store: TextStore, settings: ChunkSettings, compute: ComputeClient): Tab {
  const { config } = settings;
  const strategySelect = select('chunks-strategy', PAGE_STRATEGIES.map((s) => [s.name, s.name] as const), config.strategy);
  const strategyHint = h('p', { class: 'hint', id: 'chunks-strategy-hint' });
  strategySelect.setAttribute('aria-describedby', strategyHint.id);
  const recipeSelect = select('chunks-recipe', RECIPE_NAMES.map((name) => [name, name] as const), config.recipe);
  const recipeField = field('Recipe', recipeSelect);
  const tokenizerSelect = select('chunks-tokenizer', tokenizerOptions(), config.tokenizer);
  const maxTokensInput = numberInput('chunks-max-tokens', config.maxTokens, 1, 8192);
  const overlapInput = numberInput('chunks-overlap', config.overlap, 0, 8191);
  const count = h('output', { id: 'chunk-count' });
  const sizes = h('output', { id: 'chunk-sizes' });
  const timing = h('output', { id: 'chunk-timing' });
  const exactness = h('p', { class: 'hint', id: 'chunk-exactness' });
  const chart = h('div', { class: 'chart' });
  const previous = h('button', { type: 'button', class: 'secondary', id: 'chunk-window-previous' }, '◀ Previous');
  const next = h('button', { type: 'button', class: 'secondary', id: 'chunk-window-next' }, 'Next ▶');
  const windowLabel = h('output', { id: 'chunk-window', 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager', hidden: true }, previous, windowLabel, next);
  const textBox = h('div', { class: 'text-box chunk-text', id: 'chunk-text' });
  const list = h('ol', { class: 'chunk-list', id: 'chunk-list', 'aria-label': 'Chunks' });
  const details = h('div', { class: 'chunk-details', id: 'chunk-details', 'aria-live': 'polite' }, 'Choose a chunk to see its offsets and metadata.');
  let report: ChunkReport | undefined;
  let text = '';
  let windowStart = 0;

  const panel = h(
    'section',
    { class: 'view chunks-view' },
    h('p', { class: 'intro' }, 'Where a chunker cuts the text. Pieces alternate in colour, hatching marks overlap, and each badge is a chunk start. Click a chunk in the text or the list for its details.'),
    h(
      'form',
      { class: 'controls', 'aria-label': 'Chunking settings' },
      field('Strategy', strategySelect),
      recipeField,
      field('Tokenizer', tokenizerSelect),
      field('Max tokens', maxTokensInput),
      field('Overlap (tokens)', overlapInput),
    ),
    strategyHint,
    h(
      'dl',
      { class: 'stats' },
      h('div', {}, h('dt', {}, 'Chunks'), h('dd', {}, count)),
      h('div', {}, h('dt', {}, 'Tokens per chunk (min / mean / max)'), h('dd', {}, sizes)),
      h('div', {}, h('dt', {}, 'Time to chunks'), h('dd', {}, timing)),
    ),
    exactness,
    chart,
    pager,
    h('div', { class: 'chunk-layout' }, textBox, h('div', {}, h('h3', {}, 'Chunks'), list, details)),
  );

  const chunkText = (index: number): string => text.slice(report!.starts[index], report!.ends[index]);

  /** Draws chunks [windowStart, windowStart + CHUNK_WINDOW) and the text they cover. */
  function drawWindow(): void {
    if (!report) return;
    const last = Math.min(report.count, windowStart + CHUNK_WINDOW);
    pager.hidden = report.count <= CHUNK_WINDOW;
    windowLabel.textContent = report.count === 0 ? '' : `Chunks ${formatInt(windowStart + 1)}–${formatInt(last)} of ${formatInt(report.count)}`;
    previous.disabled = windowStart === 0;
    next.disabled = last >= report.count;
    // The text from the window's first chunk to its last (from the very start, and to the very end, at the edges).
    const from = windowStart === 0 ? 0 : report.starts[windowStart]!;
    let to = last >= report.count ? text.length : 0;
    for (let i = windowStart; i < last; i++) to = Math.max(to, report.ends[i]!);
    const spans = [];
    for (let i = windowStart; i < last; i++) spans.push({ start: report.starts[i]! - from, end: report.ends[i]! - from });
    const fragment = document.createDocumentFragment();
    const startsAt = new Map(spans.map((span, i) => [span.start, i]));
    for (const segment of segmentBySpans(to - from, spans)) {
      const owners = segment.owners.map((owner) => owner + windowStart);
      const starting = startsAt.get(segment.start);
      if (starting !== undefined && segment.owners.includes(starting)) {
        fragment.append(h('span', { class: 'boundary', 'aria-hidden': 'true' }, `#${String(starting + windowStart)}`));
      }
      const kind = owners.length > 1 ? 'overlap' : owners.length === 1 ? `o${String(owners[0]! % 2)}` : 'gap';
      fragment.append(h('span', { class: `seg ${kind}`, 'data-owners': owners.join(' ') }, text.slice(from + segment.start, from + segment.end)));
    }
    textBox.replaceChildren(fragment);
    textBox.scrollTop = 0;
    const items: HTMLElement[] = [];
    for (let i = windowStart; i < last; i++) {
      items.push(h('li', {}, h('button', { type: 'button', 'data-index': i, 'aria-pressed': 'false' }, `#${String(i)} · ${formatInt(report.tokenCounts[i]!)} tokens · ${formatInt(report.starts[i]!)}–${formatInt(report.ends[i]!)}`)));
    }
    list.replaceChildren(...items);
    list.scrollTop = 0;
  }

  function selectChunk(index: number, scroll: boolean): void {
    if (!report || index < 0 || index >= report.count) return;
    for (const button of list.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.index === String(index)));
    for (const segment of textBox.querySelectorAll<HTMLElement>('.seg')) {
      segment.classList.toggle('selected', (segment.dataset.owners ?? '').split(' ').includes(String(index)));
    }
    // Scroll the text box only, never the page, so the chosen chunk's start is in view.
    const first = textBox.querySelector<HTMLElement>('.seg.selected');
    if (scroll && first) textBox.scrollTop = first.offsetTop - 24;
    const own = chunkText(index);
    const preview = own.length > 240 ? `${own.slice(0, 240)}…` : own;
    const meta = report.meta?.[index];
    details.replaceChildren(
      h('h3', {}, `Chunk #${String(index)}`),
      h(
        'dl',
        {},
        h('dt', {}, 'Offsets'),
        h('dd', { 'data-testid': 'chunk-offsets' }, `[${String(report.starts[index])}, ${String(report.ends[index])})`),
        h('dt', {}, 'Characters'),
        h('dd', {}, formatInt(report.ends[index]! - report.starts[index]!)),
        h('dt', {}, 'Tokens'),
        h('dd', {}, formatInt(report.tokenCounts[index]!)),
        h('dt', {}, 'Metadata'),
        h('dd', {}, h('pre', {}, meta ? JSON.stringify(meta, null, 1) : '(none)')),
        h('dt', {}, 'Text'),
        h('dd', {}, h('pre', {}, preview)),
      ),
    );
  }

  /** Nothing drawn: after an error, the page must not keep showing chunks of other settings. */
  function clear(): void {
    report = undefined;
    for (const output of [count, sizes, timing]) {
      output.textContent = '–';
      delete output.dataset.value;
    }
    exactness.textContent = '';
    chart.replaceChildren();
    pager.hidden = true;
    textBox.replaceChildren();
    list.replaceChildren();
    details.replaceChildren('Choose a chunk to see its offsets and metadata.');
  }

  const runner = new ViewRunner(panel, async (stale, startedAt) => {
    const current = store.text;
    let result: ChunkReport;
    try {
      result = await compute.run({ kind: 'chunks', config: { ...settings.config } }).result;
    } catch (error) {
      if (!stale()) clear();
      throw error;
    }
    if (stale()) return;
    text = current;
    report = result;
    windowStart = 0;
    count.textContent = formatInt(result.count);
    count.dataset.value = String(result.count);
    const summary = summarize(result.tokenCounts);
    sizes.textContent = summary ? `${String(summary.min)} / ${summary.mean.toFixed(1)} / ${String(summary.max)}` : '–';
    sizes.dataset.value = Array.from(result.tokenCounts).join(',');
    chart.replaceChildren(histogramSvg(histogram(result.tokenCounts, 24), settings.config.maxTokens, `Histogram of tokens per chunk for ${String(result.count)} chunks, limit ${String(settings.config.maxTokens)}`));
    drawWindow();
    details.replaceChildren('Choose a chunk to see its offsets and metadata.');
    // From the change that asked for chunks (a paste, a file, a setting) to the chunks drawn: what a user waits.
    const waited = performance.now() - startedAt;
    timing.textContent = seconds(waited);
    timing.dataset.value = String(Math.round(waited));
    timing.title = `${seconds(waited)} from the change to the drawn chunks, of which chunking took ${seconds(result.chunkMs)} in the page's worker.`;
    exactness.textContent =
      result.inexact === 0
        ? `text.slice(start, end) === chunk.text for all ${formatInt(result.count)} chunks (checked in the worker, where chunking took ${seconds(result.chunkMs)}).`
        : `${formatInt(result.inexact)} chunks do NOT equal text.slice(start, end).`;
  });

  list.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button');
    if (button?.dataset.index) selectChunk(Number(button.dataset.index), true);
  });
  textBox.addEventListener('click', (event) => {
    const owners = (event.target as HTMLElement).closest<HTMLElement>('.seg')?.dataset.owners;
    if (!owners) return;
    const index = Number(owners.split(' ')[0]);
    selectChunk(index, false);
    const button = list.querySelector<HTMLElement>(`button[data-index="${String(index)}"]`);
    if (button) list.scrollTop = button.offsetTop - 24;
  });
  const moveWindow = (by: number): void => {
    if (!report) return;
    windowStart = Math.max(0, Math.min(windowStart + by, Math.floor((report.count - 1) / CHUNK_WINDOW) * CHUNK_WINDOW));
    drawWindow();
    details.replaceChildren('Choose a chunk to see its offsets and metadata.');
  };
  previous.addEventListener('click', () => moveWindow(-CHUNK_WINDOW));
  next.addEventListener('click', () => moveWindow(CHUNK_WINDOW));

  const showStrategy = (): void => {
    const info = PAGE_STRATEGIES.find((candidate) => candidate.name === strategySelect.value);
    strategyHint.textContent = info ? `${info.className}: ${info.description}` : '';
    recipeField.hidden = strategySelect.value !== 'recursive';
  };
  const readSettings = (): void => {
    showStrategy();
    settings.update({
      strategy: strategySelect.value,
      recipe: recipeSelect.value,
      tokenizer: tokenizerSelect.value,
      maxTokens: readNumberAsTyped(maxTokensInput, settings.config.maxTokens),
      overlap: readNumberAsTyped(overlapInput, 0),
    });
  };
  showStrategy();
  for (const control of [strategySelect, recipeSelect, tokenizerSelect, maxTokensInput, overlapInput]) control.addEventListener('change', readSettings);
  panel.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    readSettings();
  });
  settings.subscribe(() => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'chunks', label: 'Chunks', panel, onShow: () => runner.show() };
}

import type { Chunk } from '@chunkwise/core';
import { field, formatInt, h, numberInput, readNumber, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import { CHUNK_STRATEGIES, type ChunkSettings } from './chunk-settings.js';
import { histogram, summarize } from './histogram.js';
import { histogramSvg } from './histogram-svg.js';
import { segmentBySpans } from './span-segments.js';
import { tokenizerOptions } from './tokenizer-choices.js';

export function createChunksView(store: TextStore, settings: ChunkSettings): Tab {
  const { config } = settings;
  const strategySelect = select('chunks-strategy', CHUNK_STRATEGIES.map((s) => [s.id, s.label] as const), config.strategy);
  const tokenizerSelect = select('chunks-tokenizer', tokenizerOptions(), config.tokenizer);
  const maxTokensInput = numberInput('chunks-max-tokens', config.maxTokens, 8, 8192);
  const overlapInput = numberInput('chunks-overlap', config.overlap, 0, 4096);
  const count = h('output', { id: 'chunk-count' });
  const sizes = h('output', { id: 'chunk-sizes' });
  const chart = h('div', { class: 'chart' });
  const textBox = h('div', { class: 'text-box chunk-text', id: 'chunk-text' });
  const list = h('ol', { class: 'chunk-list', id: 'chunk-list', 'aria-label': 'Chunks' });
  const details = h('div', { class: 'chunk-details', id: 'chunk-details', 'aria-live': 'polite' }, 'Choose a chunk to see its offsets and metadata.');
  let chunks: Chunk[] = [];
  let text = '';

  const panel = h(
    'section',
    { class: 'view chunks-view' },
    h('p', { class: 'intro' }, 'Where a chunker cuts the text. Pieces alternate in colour, hatching marks overlap, and each badge is a chunk start. Click a chunk in the text or the list for its details.'),
    h(
      'form',
      { class: 'controls', 'aria-label': 'Chunking settings' },
      field('Strategy', strategySelect),
      field('Tokenizer', tokenizerSelect),
      field('Max tokens', maxTokensInput),
      field('Overlap (tokens)', overlapInput),
    ),
    h(
      'dl',
      { class: 'stats' },
      h('div', {}, h('dt', {}, 'Chunks'), h('dd', {}, count)),
      h('div', {}, h('dt', {}, 'Tokens per chunk (min / mean / max)'), h('dd', {}, sizes)),
    ),
    chart,
    h('div', { class: 'chunk-layout' }, textBox, h('div', {}, h('h3', {}, 'Chunks'), list, details)),
  );

  function selectChunk(index: number, scroll: boolean): void {
    const chunk = chunks[index];
    if (!chunk) return;
    for (const button of list.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.index === String(index)));
    for (const segment of textBox.querySelectorAll<HTMLElement>('.seg')) {
      segment.classList.toggle('selected', (segment.dataset.owners ?? '').split(' ').includes(String(index)));
    }
    // Scroll the text box only, never the page, so the chosen chunk's start is in view.
    const first = textBox.querySelector<HTMLElement>('.seg.selected');
    if (scroll && first) textBox.scrollTop = first.offsetTop - 24;
    const preview = chunk.text.length > 240 ? `${chunk.text.slice(0, 240)}…` : chunk.text;
    details.replaceChildren(
      h('h3', {}, `Chunk #${String(chunk.index)}`),
      h(
        'dl',
        {},
        h('dt', {}, 'Offsets'),
        h('dd', { 'data-testid': 'chunk-offsets' }, `[${String(chunk.start)}, ${String(chunk.end)})`),
        h('dt', {}, 'Characters'),
        h('dd', {}, formatInt(chunk.end - chunk.start)),
        h('dt', {}, 'Tokens'),
        h('dd', {}, formatInt(chunk.tokenCount)),
        h('dt', {}, 'Exact slice'),
        h('dd', {}, text.slice(chunk.start, chunk.end) === chunk.text ? 'yes: text.slice(start, end) === chunk.text' : 'NO'),
        h('dt', {}, 'Metadata'),
        h('dd', {}, h('pre', {}, chunk.meta ? JSON.stringify(chunk.meta, null, 1) : '(none)')),
        h('dt', {}, 'Text'),
        h('dd', {}, h('pre', {}, preview)),
      ),
    );
  }

  const runner = new ViewRunner(panel, async (stale) => {
    const current = store.text;
    const result = await settings.chunks(current);
    if (stale()) return;
    text = current;
    chunks = result;
    const tokenCounts = chunks.map((chunk) => chunk.tokenCount);
    count.textContent = formatInt(chunks.length);
    count.dataset.value = String(chunks.length);
    const summary = summarize(tokenCounts);
    sizes.textContent = summary ? `${String(summary.min)} / ${summary.mean.toFixed(1)} / ${String(summary.max)}` : '–';
    sizes.dataset.value = tokenCounts.join(',');
    chart.replaceChildren(histogramSvg(histogram(tokenCounts, 24), settings.config.maxTokens, `Histogram of tokens per chunk for ${String(chunks.length)} chunks, limit ${String(settings.config.maxTokens)}`));

    const fragment = document.createDocumentFragment();
    const startsAt = new Map(chunks.map((chunk, i) => [chunk.start, i]));
    for (const segment of segmentBySpans(text.length, chunks)) {
      const starting = startsAt.get(segment.start);
      if (starting !== undefined && segment.owners.includes(starting)) {
        fragment.append(h('span', { class: 'boundary', 'aria-hidden': 'true' }, `#${String(starting)}`));
      }
      const kind = segment.owners.length > 1 ? 'overlap' : segment.owners.length === 1 ? `o${String(segment.owners[0]! % 2)}` : 'gap';
      fragment.append(h('span', { class: `seg ${kind}`, 'data-owners': segment.owners.join(' ') }, text.slice(segment.start, segment.end)));
    }
    textBox.replaceChildren(fragment);
    textBox.scrollTop = 0;
    list.replaceChildren(
      ...chunks.map((chunk, i) =>
        h('li', {}, h('button', { type: 'button', 'data-index': i, 'aria-pressed': 'false' }, `#${String(chunk.index)} · ${formatInt(chunk.tokenCount)} tokens · ${formatInt(chunk.start)}–${formatInt(chunk.end)}`)),
      ),
    );
    details.replaceChildren('Choose a chunk to see its offsets and metadata.');
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

  const readSettings = (): void => {
    const maxTokens = readNumber(maxTokensInput, settings.config.maxTokens);
    overlapInput.max = String(maxTokens - 1);
    settings.update({ strategy: strategySelect.value, tokenizer: tokenizerSelect.value, maxTokens, overlap: Math.min(readNumber(overlapInput, 0), maxTokens - 1) });
  };
  for (const control of [strategySelect, tokenizerSelect, maxTokensInput, overlapInput]) control.addEventListener('change', readSettings);
  panel.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    readSettings();
  });
  settings.subscribe(() => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'chunks', label: 'Chunks', panel, onShow: () => runner.show() };
}

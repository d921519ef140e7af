import { CONTEXT_STRATEGIES, type ContextStrategy } from '@chunkwise/retrieval';
import { RETRIEVERS, type Retriever, type SearchHit, type SearchReport } from '../compute/chunk-search.js';
import type { ComputeClient } from '../shell/compute-client.js';
import { field, formatInt, h, numberInput, readNumber, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import { createAnswerPanel } from './answer-panel.js';
import type { ChunkSettings } from './chunk-settings.js';
import { wordEndBefore, wordStartAfter } from './excerpt-bounds.js';
import { segmentBySpans } from './span-segments.js';

const RETRIEVER_LABELS: Record<Retriever, string> = {
  bm25: 'bm25 (exact BM25, english analyzer)',
  dense: 'dense (GloVe 100-d + SIF, offline)',
  hybrid: 'hybrid (reciprocal rank fusion of both)',
};

/** Texts longer than this show excerpts around the hits instead of the whole text. */
const WHOLE_TEXT_CHARS = 300_000;
const EXCERPT_CONTEXT_CHARS = 160;

/** `text` with the `[start, end)` marks wrapped in <mark>. */
function withMarks(text: string, marks: readonly (readonly [number, number])[], offset = 0): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of marks) {
    const from = start - offset;
    const to = end - offset;
    if (to <= at || from >= text.length) continue;
    fragment.append(text.slice(at, Math.max(at, from)), h('mark', {}, text.slice(Math.max(at, from), Math.min(text.length, to))));
    at = Math.min(text.length, to);
  }
  fragment.append(text.slice(at));
  return fragment;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;

export function createSearchView(store: TextStore, settings: ChunkSettings, compute: ComputeClient): Tab {
  const query = h('input', { id: 'search-query', type: 'search', value: 'whale ship sea', autocomplete: 'off' });
  const retrieverSelect = select('search-retriever', RETRIEVERS.map((name) => [name, RETRIEVER_LABELS[name]] as const), 'bm25');
  const kInput = numberInput('search-k', 8, 1, 50);
  const budgetInput = numberInput('search-budget', 400, 16, 32_000);
  const strategySelect = select('search-strategy', CONTEXT_STRATEGIES.map((name) => [name, name] as const), 'top-k');
  const corpus = h('p', { class: 'hint', id: 'search-corpus' });
  const denseNote = h('p', { class: 'hint', id: 'search-dense', 'aria-live': 'polite' });
  const hitsList = h('ol', { class: 'hits', id: 'search-hits', 'aria-label': 'Ranked chunks' });
  const hitsNote = h('p', { class: 'hint', id: 'search-status', 'aria-live': 'polite' });
  const contextStats = h('output', { id: 'context-tokens' });
  const contextBox = h('div', { class: 'context-box', id: 'search-context' });
  const textBox = h('div', { class: 'text-box', id: 'search-text', 'aria-label': 'The text with the ranked chunks highlighted' });
  const answerPanel = createAnswerPanel(compute);
  const form = h(
    'form',
    { class: 'search-form', role: 'search' },
    h('div', { class: 'field query' }, h('label', { for: query.id }, 'Query'), query),
    field('Retriever', retrieverSelect),
    field('Hits', kInput),
    field('Context budget (tokens)', budgetInput),
    field('Context strategy', strategySelect),
    h('div', { class: 'field' }, h('button', { type: 'submit', id: 'search-submit' }, 'Search')),
  );

  const panel = h(
    'section',
    { class: 'view search-view' },
    h('p', { class: 'intro' }, 'Search the chunks of the text (BM25, dense or hybrid), assemble the prompt context selectContext picks under a token budget, and answer from it with citations.'),
    form,
    corpus,
    denseNote,
    h(
      'div',
      { class: 'search-layout' },
      h('div', {}, h('h3', {}, 'Ranked chunks'), hitsNote, hitsList),
      h('div', {}, h('h3', {}, 'Assembled context ', contextStats), contextBox),
    ),
    answerPanel.element,
    h('h3', {}, 'Where the hits are'),
    textBox,
  );

  /** The whole text with the hit chunks marked, or, for a book, an excerpt around each hit in text order. */
  function drawHitsInText(text: string, hits: readonly SearchHit[]): void {
    const rankOf = new Map(hits.map((hit, rank) => [hit.chunkIndex, rank]));
    const fragment = document.createDocumentFragment();
    if (text.length <= WHOLE_TEXT_CHARS) {
      for (const segment of segmentBySpans(text.length, hits)) {
        const piece = text.slice(segment.start, segment.end);
        if (segment.owners.length === 0) {
          fragment.append(piece);
          continue;
        }
        const best = Math.min(...segment.owners);
        const hit = hits[best]!;
        if (segment.owners.some((owner) => hits[owner]!.start === segment.start && owner === best)) fragment.append(h('span', { class: 'boundary' }, `${String(best + 1)}.`));
        fragment.append(h('span', { class: 'hit-mark', 'data-rank': best + 1 }, withMarks(piece, hit.marks, segment.start - hit.start)));
      }
    } else {
      const inOrder = [...hits].sort((a, b) => a.start - b.start);
      let shownTo = 0;
      for (const hit of inOrder) {
        // Some context on each side, starting and ending between words.
        const from = Math.max(shownTo, wordStartAfter(text, hit.start - EXCERPT_CONTEXT_CHARS, hit.start));
        if (from > shownTo) fragment.append(h('span', { class: 'skipped' }, `${shownTo > 0 ? '\n' : ''}[… ${formatInt(from - shownTo)} characters …]\n`));
        fragment.append(text.slice(from, Math.max(from, hit.start)));
        const rank = rankOf.get(hit.chunkIndex)! + 1;
        fragment.append(h('span', { class: 'boundary' }, `${String(rank)}.`), h('span', { class: 'hit-mark', 'data-rank': rank }, withMarks(text.slice(Math.max(from, hit.start), hit.end), hit.marks, Math.max(from, hit.start) - hit.start)));
        const after = Math.max(hit.end, wordEndBefore(text, hit.end + EXCERPT_CONTEXT_CHARS, hit.end));
        fragment.append(text.slice(hit.end, after));
        shownTo = Math.max(shownTo, after);
      }
      if (shownTo < text.length) fragment.append(h('span', { class: 'skipped' }, `\n[… ${formatInt(text.length - shownTo)} characters …]`));
    }
    textBox.replaceChildren(fragment);
  }

  function showDense(report: SearchReport, waited: number): void {
    const dense = report.dense;
    if (!dense) {
      denseNote.textContent = '';
      return;
    }
    denseNote.textContent =
      `Dense: GloVe ${String(dense.dimensions)}-d vectors for ${formatInt(dense.words)} words (${megabytes(dense.bytes)}, loaded in ${seconds(dense.loadMs)}); SIF fitted on the ${formatInt(report.chunkCount)} chunks and ${formatInt(dense.embedded)} embedded in ${seconds(dense.embedMs)}` +
      (dense.withoutVector > 0 ? ` (${formatInt(dense.withoutVector)} ${dense.withoutVector === 1 ? 'has' : 'have'} no known word and ${dense.withoutVector === 1 ? 'is' : 'are'} left to BM25)` : '') +
      `. This search took ${seconds(waited)}.` +
      (dense.queryKnown ? '' : ' No word of the query is in the vector table, so dense search finds nothing.');
    denseNote.dataset.ms = String(Math.round(waited));
  }

  const runner = new ViewRunner(panel, async (stale, startedAt) => {
    const text = store.text;
    const retriever = retrieverSelect.value as Retriever;
    const report = await compute.run(
      {
        kind: 'search',
        config: { ...settings.config },
        search: { query: query.value, k: readNumber(kInput, 8), retriever, budgetTokens: readNumber(budgetInput, 400), strategy: strategySelect.value as ContextStrategy },
      },
      (progress) => {
        if (!stale()) denseNote.textContent = progress;
      },
    ).result;
    if (stale()) return;
    const waited = performance.now() - startedAt;
    corpus.textContent = `Searching ${formatInt(report.chunkCount)} chunks: ${settings.describe()}. Change them in the Chunks tab.`;
    corpus.dataset.value = String(report.chunkCount);
    showDense(report, waited);
    const { hits, terms } = report;
    hitsNote.textContent =
      retriever === 'bm25' && terms.length === 0 ? 'Type a query with at least one word that is not a stopword.'
      : hits.length === 0 ? 'No chunk matches the query.'
      : `${String(hits.length)} best of ${formatInt(report.chunkCount)} chunks${terms.length > 0 ? ` · query terms ${terms.join(', ')}` : ''}.`;
    hitsList.replaceChildren(
      ...hits.map((hit, rank) =>
        h(
          'li',
          { 'data-id': hit.chunkIndex, 'data-score': hit.score },
          h('div', { class: 'meta' }, `${String(rank + 1)}. chunk #${String(hit.chunkIndex)} · ${retriever === 'hybrid' ? 'RRF' : retriever === 'dense' ? 'cosine' : 'score'} ${hit.score.toFixed(retriever === 'bm25' ? 3 : 4)} · chars ${formatInt(hit.start)}–${formatInt(hit.end)}`),
          h('div', { class: 'snippet' }, withMarks(hit.text, hit.marks)),
        ),
      ),
    );

    contextBox.replaceChildren();
    contextStats.textContent = '';
    delete contextBox.dataset.ids;
    const context = report.context;
    const chunkIndexOf = new Map(hits.map((hit) => [hit.id, hit.chunkIndex]));
    if (context) {
      contextStats.textContent = `(${formatInt(context.tokens)} of ${formatInt(context.budgetTokens)} tokens, ${String(context.passages.length)} passages)`;
      contextStats.dataset.value = String(context.tokens);
      contextBox.dataset.ids = context.passages.map((passage) => passage.id).join(',');
      contextBox.replaceChildren(
        ...context.passages.map((passage) =>
          h('div', { class: 'passage' }, h('span', { class: 'cite' }, `[chunk #${String(chunkIndexOf.get(passage.id) ?? passage.id)} · chars ${formatInt(passage.start!)}–${formatInt(passage.end!)} · ${String(passage.tokens)} tokens] `), withMarks(passage.text, passage.marks)),
        ),
      );
    }
    answerPanel.setContext(
      query.value,
      (context?.passages ?? []).map((passage) => ({ id: passage.id, text: passage.text, docId: passage.docId, start: passage.start!, end: passage.end!, chunkIndex: chunkIndexOf.get(passage.id) ?? -1 })),
    );
    drawHitsInText(text, hits);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runner.invalidate();
  });
  for (const control of [retrieverSelect, kInput, budgetInput, strategySelect]) control.addEventListener('change', () => runner.invalidate());
  settings.subscribe(() => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'search', label: 'Search', panel, onShow: () => runner.show() };
}

import type { Chunk } from '@chunkwise/core';
import { BM25Index, englishAnalyzer, selectContext, type ContextHit } from '@chunkwise/retrieval';
import { field, formatInt, h, numberInput, readNumber, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import type { ChunkSettings } from './chunk-settings.js';
import { segmentBySpans } from './span-segments.js';
import { tokenizerChoice } from './tokenizer-choices.js';

const CONTEXT_STRATEGIES = [
  ['top-k', 'top-k (best first while it fits)'],
  ['score-drop', 'score-drop (SAGE: stop at a sharp drop)'],
  ['knapsack', 'knapsack (most score under the budget)'],
  ['search', 'search (CORAG-style tree search)'],
] as const;

type ContextStrategy = (typeof CONTEXT_STRATEGIES)[number][0];

/** Words of `text` whose English analysis is a query term are wrapped in <mark>. */
function highlightTerms(text: string, terms: ReadonlySet<string>): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const term = englishAnalyzer(match[0])[0];
    if (term === undefined || !terms.has(term)) continue;
    fragment.append(text.slice(last, match.index), h('mark', {}, match[0]));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

export function createSearchView(store: TextStore, settings: ChunkSettings): Tab {
  const query = h('input', { id: 'search-query', type: 'search', value: 'whale ship sea', autocomplete: 'off' });
  const kInput = numberInput('search-k', 8, 1, 50);
  const budgetInput = numberInput('search-budget', 400, 16, 32_000);
  const strategySelect = select('search-strategy', CONTEXT_STRATEGIES, 'top-k');
  const corpus = h('p', { class: 'hint', id: 'search-corpus' });
  const hitsList = h('ol', { class: 'hits', id: 'search-hits', 'aria-label': 'Ranked chunks' });
  const hitsNote = h('p', { class: 'hint', id: 'search-status', 'aria-live': 'polite' });
  const contextStats = h('output', { id: 'context-tokens' });
  const contextBox = h('div', { class: 'context-box', id: 'search-context' });
  const textBox = h('div', { class: 'text-box', id: 'search-text', 'aria-label': 'The text with the ranked chunks highlighted' });
  const form = h(
    'form',
    { class: 'search-form', role: 'search' },
    h('div', { class: 'field query' }, h('label', { for: query.id }, 'Query (BM25, english analyzer)'), query),
    field('Hits', kInput),
    field('Context budget (tokens)', budgetInput),
    field('Context strategy', strategySelect),
    h('div', { class: 'field' }, h('button', { type: 'submit', id: 'search-submit' }, 'Search')),
  );

  const panel = h(
    'section',
    { class: 'view search-view' },
    h('p', { class: 'intro' }, 'Exact BM25 over the chunks of the text, then the prompt context selectContext assembles from the hits under a token budget.'),
    form,
    corpus,
    h(
      'div',
      { class: 'search-layout' },
      h('div', {}, h('h3', {}, 'Ranked chunks'), hitsNote, hitsList),
      h('div', {}, h('h3', {}, 'Assembled context ', contextStats), contextBox),
    ),
    h('h3', {}, 'Where the hits are'),
    textBox,
  );

  let indexed: { chunks: Chunk[]; index: BM25Index<Chunk> } | undefined;

  const runner = new ViewRunner(panel, async (stale) => {
    const text = store.text;
    const chunks = await settings.chunks(text);
    const tokenizer = await tokenizerChoice(settings.config.tokenizer).load();
    if (stale()) return;
    if (indexed?.chunks !== chunks) {
      const index = new BM25Index<Chunk>({ analyzer: 'english' });
      index.addAll(chunks.map((chunk) => ({ id: String(chunk.index), doc: chunk.text, meta: chunk })));
      indexed = { chunks, index };
    }
    const { index } = indexed;
    corpus.textContent = `Searching ${formatInt(chunks.length)} chunks: ${settings.describe()}. Change them in the Chunks tab.`;
    corpus.dataset.value = String(chunks.length);

    const terms = new Set(index.analyzeQuery(query.value));
    const k = readNumber(kInput, 8);
    const scored = terms.size === 0 ? [] : index.search(query.value, { k });
    const hits: ContextHit[] = scored.map(({ id, score }) => {
      const chunk = index.meta(id)!;
      return { id, score, text: chunk.text, docId: 'text', start: chunk.start, end: chunk.end, chunkIndex: chunk.index };
    });
    hitsNote.textContent =
      terms.size === 0 ? 'Type a query with at least one word that is not a stopword.'
      : hits.length === 0 ? `No chunk contains ${[...terms].join(', ')}.`
      : `${String(hits.length)} best of ${formatInt(chunks.length)} chunks for the terms ${[...terms].join(', ')}.`;
    hitsList.replaceChildren(
      ...hits.map((hit, rank) =>
        h(
          'li',
          { 'data-id': hit.id, 'data-score': hit.score },
          h('div', { class: 'meta' }, `${String(rank + 1)}. chunk #${hit.id} · score ${hit.score.toFixed(3)} · chars ${formatInt(hit.start!)}–${formatInt(hit.end!)}`),
          h('div', { class: 'snippet' }, highlightTerms(hit.text, terms)),
        ),
      ),
    );

    contextBox.replaceChildren();
    contextStats.textContent = '';
    if (hits.length > 0) {
      const context = selectContext(hits, { budgetTokens: readNumber(budgetInput, 400), tokenizer, strategy: strategySelect.value as ContextStrategy });
      contextStats.textContent = `(${formatInt(context.tokens)} of ${formatInt(context.budgetTokens)} tokens, ${String(context.passages.length)} passages)`;
      contextStats.dataset.value = String(context.tokens);
      contextBox.dataset.ids = context.passages.map((passage) => passage.id).join(',');
      contextBox.replaceChildren(
        ...context.passages.map((passage) =>
          h('div', { class: 'passage' }, h('span', { class: 'cite' }, `[chunk #${passage.id} · chars ${formatInt(passage.start!)}–${formatInt(passage.end!)} · ${String(passage.tokens)} tokens] `), passage.text),
        ),
      );
    }

    const rankOf = new Map(hits.map((hit, rank) => [Number(hit.id), rank]));
    const fragment = document.createDocumentFragment();
    for (const segment of segmentBySpans(text.length, chunks)) {
      const ranks = segment.owners.map((owner) => rankOf.get(owner)).filter((rank): rank is number => rank !== undefined);
      const piece = text.slice(segment.start, segment.end);
      if (ranks.length === 0) {
        fragment.append(piece);
        continue;
      }
      const best = Math.min(...ranks);
      if (segment.owners.some((owner) => chunks[owner]!.start === segment.start && rankOf.get(owner) === best)) {
        fragment.append(h('span', { class: 'boundary' }, `${String(best + 1)}.`));
      }
      fragment.append(h('span', { class: 'hit-mark', 'data-rank': best + 1 }, highlightTerms(piece, terms)));
    }
    textBox.replaceChildren(fragment);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runner.invalidate();
  });
  for (const control of [kInput, budgetInput, strategySelect]) control.addEventListener('change', () => runner.invalidate());
  settings.subscribe(() => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'search', label: 'Search', panel, onShow: () => runner.show() };
}

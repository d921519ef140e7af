import { tokenizerOptions } from '../compute/tokenizer-names.js';
import type { ComputeClient } from '../shell/compute-client.js';
import { field, formatInt, h, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';

/** Beyond this many pieces the page stops drawing (the counts still cover the whole text). */
const MAX_DRAWN_PIECES = 10_000;

export function createTokensView(store: TextStore, compute: ComputeClient): Tab {
  const encodingSelect = select('tokens-encoding', tokenizerOptions(), 'o200k_base');
  const compareSelect = select('tokens-compare', tokenizerOptions(), 'cl100k_base');
  const showIds = h('input', { id: 'tokens-show-ids', type: 'checkbox' });
  const count = h('output', { id: 'token-count', for: 'tokens-encoding' });
  const compareCount = h('output', { id: 'token-compare-count', for: 'tokens-compare' });
  const ratio = h('output', { id: 'token-ratio' });
  const note = h('p', { class: 'hint' });
  const tokenText = h('div', { class: 'token-text', id: 'token-text', 'aria-label': 'The text, one coloured piece per token' });

  const panel = h(
    'section',
    { class: 'view tokens-view' },
    h('p', { class: 'intro' }, 'How a tokenizer cuts the text. Each coloured piece is one token; hover a piece (or tick "show ids") to see its id.'),
    h(
      'div',
      { class: 'controls' },
      field('Encoding', encodingSelect),
      field('Compare with', compareSelect),
      h('div', { class: 'field checkbox' }, showIds, h('label', { for: showIds.id }, 'Show ids inline')),
    ),
    h(
      'dl',
      { class: 'stats' },
      h('div', {}, h('dt', {}, 'Tokens'), h('dd', {}, count)),
      h('div', {}, h('dt', { id: 'compare-label' }, 'Compared'), h('dd', {}, compareCount)),
      h('div', {}, h('dt', {}, 'Characters per token'), h('dd', {}, ratio)),
    ),
    note,
    tokenText,
  );

  const runner = new ViewRunner(panel, async (stale) => {
    const text = store.text;
    const report = await compute.run({ kind: 'tokens', tokenizer: encodingSelect.value, compare: compareSelect.value, maxPieces: MAX_DRAWN_PIECES }).result;
    if (stale()) return;
    // The library's own count: for a tokenizer.json model it includes the special tokens its
    // post-processor adds (Llama 3's <|begin_of_text|>), drawn in the first piece.
    count.textContent = formatInt(report.count);
    count.dataset.value = String(report.count);
    const labelled = panel.querySelector('#compare-label');
    if (labelled) labelled.textContent = report.compareName;
    const delta = report.count === 0 ? 0 : ((report.compareCount - report.count) / report.count) * 100;
    compareCount.textContent = `${formatInt(report.compareCount)} (${delta >= 0 ? '+' : ''}${delta.toFixed(1)}% vs ${report.name})`;
    compareCount.dataset.value = String(report.compareCount);
    ratio.textContent = report.tokens === 0 ? '–' : (text.length / report.tokens).toFixed(2);

    const withIds = showIds.checked;
    const fragment = document.createDocumentFragment();
    for (const piece of report.pieces) {
      const span = h('span', { class: `tok c${String(piece.colour)}`, title: `id ${piece.ids.join(' + ')} · chars ${String(piece.start)}–${String(piece.end)}` }, text.slice(piece.start, piece.end));
      fragment.append(span);
      if (withIds) fragment.append(h('sub', { class: 'tok-id' }, piece.ids.join('+')));
    }
    tokenText.replaceChildren(fragment);
    tokenText.dataset.pieces = String(report.pieces.length);
    const notes: string[] = [];
    if (report.count !== report.tokens) notes.push(`The count includes ${formatInt(report.count - report.tokens)} token(s) the pieces do not show.`);
    if (!report.hasSpans) notes.push(`${report.name} reports no character offsets, so its tokens cannot be placed on the text.`);
    if (report.pieceCount > report.pieces.length) notes.push(`Showing the first ${formatInt(report.pieces.length)} of ${formatInt(report.pieceCount)} pieces; the counts cover the whole text.`);
    else if (report.hasSpans && report.pieceCount < report.tokens) notes.push(`${formatInt(report.tokens - report.pieceCount)} tokens hold only part of a character (or are special tokens); they share a piece with a neighbour.`);
    note.textContent = notes.join(' ');
  });

  for (const control of [encodingSelect, compareSelect, showIds]) control.addEventListener('change', () => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'tokens', label: 'Tokens', panel, onShow: () => runner.show() };
}

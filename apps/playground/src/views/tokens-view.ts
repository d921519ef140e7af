import { field, formatInt, h, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import { ordinaryTokens, tokenizerChoice, tokenizerOptions } from './tokenizer-choices.js';
import { tokenPieces } from './token-pieces.js';

/** Beyond this many pieces the page stops drawing (the counts still cover the whole text). */
const MAX_DRAWN_PIECES = 30_000;

export function createTokensView(store: TextStore): Tab {
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
    const [tokenizer, other] = await Promise.all([tokenizerChoice(encodingSelect.value).load(), tokenizerChoice(compareSelect.value).load()]);
    if (stale()) return;
    const { ids, spans } = ordinaryTokens(tokenizer, text);
    // The library's own count: for a tokenizer.json model it includes the special tokens its
    // post-processor adds (Llama 3's <|begin_of_text|>), which the pieces below do not show.
    const total = tokenizer.count(text);
    const otherCount = other.count(text);
    count.textContent = formatInt(total);
    count.dataset.value = String(total);
    const labelled = panel.querySelector('#compare-label');
    if (labelled) labelled.textContent = other.name;
    const delta = total === 0 ? 0 : ((otherCount - total) / total) * 100;
    compareCount.textContent = `${formatInt(otherCount)} (${delta >= 0 ? '+' : ''}${delta.toFixed(1)}% vs ${tokenizer.name})`;
    compareCount.dataset.value = String(otherCount);
    ratio.textContent = ids.length === 0 ? '–' : (text.length / ids.length).toFixed(2);

    const pieces = spans ? tokenPieces(ids, spans.starts, spans.ends) : [];
    const drawn = pieces.slice(0, MAX_DRAWN_PIECES);
    const withIds = showIds.checked;
    const fragment = document.createDocumentFragment();
    for (const piece of drawn) {
      const span = h('span', { class: `tok c${String(piece.colour)}`, title: `id ${piece.ids.join(' + ')} · chars ${String(piece.start)}–${String(piece.end)}` }, text.slice(piece.start, piece.end));
      fragment.append(span);
      if (withIds) fragment.append(h('sub', { class: 'tok-id' }, piece.ids.join('+')));
    }
    tokenText.replaceChildren(fragment);
    tokenText.dataset.pieces = String(drawn.length);
    const notes: string[] = [];
    if (total !== ids.length) notes.push(`The count includes ${formatInt(total - ids.length)} special token(s) that ${tokenizer.name} adds around any text; the pieces show the text's own ${formatInt(ids.length)}.`);
    if (!spans) notes.push(`${tokenizer.name} reports no character offsets, so its tokens cannot be placed on the text.`);
    notes.push(
      pieces.length > drawn.length
        ? `Showing the first ${formatInt(drawn.length)} of ${formatInt(pieces.length)} pieces; the counts cover the whole text.`
        : spans && pieces.length < ids.length
          ? `${formatInt(ids.length - pieces.length)} tokens hold only part of a character; they share a piece with the token before.`
          : '',
    );
    note.textContent = notes.filter(Boolean).join(' ');
  });

  for (const control of [encodingSelect, compareSelect, showIds]) control.addEventListener('change', () => runner.invalidate());
  store.subscribe(() => runner.invalidate());
  return { id: 'tokens', label: 'Tokens', panel, onShow: () => runner.show() };
}

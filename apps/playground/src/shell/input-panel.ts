import { loadDataset, type Dataset, type DatasetId } from '../datasets/dataset.js';
import { field, formatInt, h, select } from './dom.js';
import type { TextStore } from './text-store.js';

type SourceKind = 'paste' | DatasetId;

const SOURCES: readonly (readonly [SourceKind, string])[] = [
  ['moby-dick', 'A Moby Dick chapter'],
  ['sotu', 'A State of the Union address'],
  ['paste', 'My own text (paste or type)'],
];

/** Typing is debounced so a long paste is analysed once, not per keystroke. */
const TYPING_DELAY_MS = 300;

/** The input column: choose a dataset text or paste your own; edits flow into the store. */
export function createInputPanel(store: TextStore): HTMLElement {
  const sourceSelect = select('input-source', SOURCES, 'moby-dick');
  const itemSelect = select('input-item', []);
  const textarea = h('textarea', { id: 'input-text', rows: 14, spellcheck: false, placeholder: 'Paste any text here…' });
  const stats = h('p', { class: 'input-stats', 'aria-live': 'polite' });
  const itemField = field('Text', itemSelect);
  const datasets = new Map<DatasetId, Promise<Dataset>>();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const showStats = (): void => {
    stats.textContent = `${formatInt(textarea.value.length)} characters · ${store.source}`;
  };
  store.subscribe(showStats);

  const commit = (source: string): void => {
    clearTimeout(typingTimer);
    store.set(textarea.value, source);
    showStats();
  };

  async function loadItem(): Promise<void> {
    const kind = sourceSelect.value as SourceKind;
    if (kind === 'paste') return;
    let promise = datasets.get(kind);
    if (!promise) datasets.set(kind, (promise = loadDataset(kind)));
    itemSelect.disabled = true;
    try {
      const dataset = await promise;
      if (itemSelect.dataset.dataset !== kind) {
        itemSelect.replaceChildren(...dataset.items.map((item) => h('option', { value: item.id }, item.label)));
        itemSelect.dataset.dataset = kind;
      }
      const item = dataset.items.find((candidate) => candidate.id === itemSelect.value) ?? dataset.items[0];
      if (!item) return;
      textarea.value = item.text;
      commit(`${dataset.title}, ${item.label}`);
    } catch (error) {
      stats.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      itemSelect.disabled = false;
    }
  }

  sourceSelect.addEventListener('change', () => {
    const paste = sourceSelect.value === 'paste';
    itemField.hidden = paste;
    if (paste) {
      textarea.value = '';
      commit('pasted text');
      textarea.focus();
    } else {
      void loadItem();
    }
  });
  itemSelect.addEventListener('change', () => void loadItem());
  textarea.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => commit(sourceSelect.value === 'paste' ? 'pasted text' : 'edited text'), TYPING_DELAY_MS);
  });

  void loadItem();
  return h(
    'section',
    { class: 'input-panel', 'aria-labelledby': 'input-heading' },
    h('h2', { id: 'input-heading' }, 'Input'),
    field('Source', sourceSelect),
    itemField,
    field('Text under study', textarea, 'Every view below works on this text, in your browser.'),
    stats,
  );
}

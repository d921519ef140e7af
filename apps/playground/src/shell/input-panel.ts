import { loadDataset, type Dataset, type DatasetId } from '../datasets/dataset.js';
import { field, formatInt, h, select } from './dom.js';
import type { TextStore } from './text-store.js';

type SourceKind = 'paste' | DatasetId;

const SOURCES: readonly (readonly [SourceKind, string])[] = [
  ['moby-dick', 'A Moby Dick chapter'],
  ['sotu', 'A State of the Union address'],
  ['paste', 'My own text (paste, type or open a file)'],
];

/** Typing is debounced so a long paste is analysed once, not per keystroke. */
const TYPING_DELAY_MS = 300;

/**
 * Longer texts are not put into the text box: Chromium took 10.7 s to paste the 10.8 M-character
 * SOTU book into a textarea (and as long again for every edit). The box then shows the first
 * characters, read-only, and the views work on the whole text.
 */
export const LARGE_TEXT_CHARS = 200_000;
const PREVIEW_CHARS = 20_000;

/** The input column: choose a dataset text, paste or type your own, or open a file; edits flow into the store. */
export function createInputPanel(store: TextStore): HTMLElement {
  const sourceSelect = select('input-source', SOURCES, 'moby-dick');
  const itemSelect = select('input-item', []);
  const textarea = h('textarea', { id: 'input-text', rows: 14, spellcheck: false, placeholder: 'Paste any text here, even a whole book…' });
  const fileInput = h('input', { id: 'input-file', type: 'file', accept: '.txt,.md,.markdown,.csv,.json,.html,text/*' });
  const clearButton = h('button', { type: 'button', class: 'secondary', id: 'input-clear' }, 'Clear');
  const largeNote = h('p', { class: 'hint large-note', id: 'input-large-note', hidden: true });
  const stats = h('p', { class: 'input-stats', 'aria-live': 'polite' });
  const itemField = field('Text', itemSelect);
  const datasets = new Map<DatasetId, Promise<Dataset>>();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const showStats = (): void => {
    stats.textContent = `${formatInt(store.text.length)} characters · ${store.source}`;
  };
  store.subscribe(showStats);

  const typedSource = (): string => (sourceSelect.value === 'paste' ? 'pasted text' : 'edited text');

  /** Puts a text under study: into the box when it is short, as a read-only preview when it is long. */
  const setText = (text: string, source: string): void => {
    clearTimeout(typingTimer);
    const large = text.length > LARGE_TEXT_CHARS;
    textarea.readOnly = large;
    textarea.value = large ? text.slice(0, PREVIEW_CHARS) : text;
    largeNote.hidden = !large;
    largeNote.textContent = large
      ? `The box shows the first ${formatInt(PREVIEW_CHARS)} of ${formatInt(text.length)} characters, read-only; every view works on all of them. Paste again to replace the text, or clear it to type.`
      : '';
    store.set(text, source);
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
      setText(item.text, `${dataset.title}, ${item.label}`);
    } catch (error) {
      stats.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      itemSelect.disabled = false;
    }
  }

  const choosePaste = (): void => {
    sourceSelect.value = 'paste';
    itemField.hidden = true;
  };

  sourceSelect.addEventListener('change', () => {
    const paste = sourceSelect.value === 'paste';
    itemField.hidden = paste;
    if (paste) {
      setText('', 'pasted text');
      textarea.focus();
    } else {
      void loadItem();
    }
  });
  itemSelect.addEventListener('change', () => void loadItem());
  textarea.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => store.set(textarea.value, typedSource()), TYPING_DELAY_MS);
  });
  // A paste that makes the text long is taken over before the browser puts it into the box.
  textarea.addEventListener('paste', (event) => {
    const pasted = event.clipboardData?.getData('text/plain');
    if (pasted === undefined) return;
    const next = textarea.readOnly ? pasted : textarea.value.slice(0, textarea.selectionStart) + pasted + textarea.value.slice(textarea.selectionEnd);
    if (!textarea.readOnly && next.length <= LARGE_TEXT_CHARS) return;
    event.preventDefault();
    setText(next, typedSource());
  });
  clearButton.addEventListener('click', () => {
    choosePaste();
    setText('', 'pasted text');
    textarea.focus();
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    stats.textContent = `Reading ${file.name}…`;
    file.text().then(
      (text) => {
        choosePaste();
        setText(text, `file ${file.name}`);
        fileInput.value = '';
      },
      (error: unknown) => {
        stats.textContent = `Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  });

  void loadItem();
  return h(
    'section',
    { class: 'input-panel', 'aria-labelledby': 'input-heading' },
    h('h2', { id: 'input-heading' }, 'Input'),
    field('Source', sourceSelect),
    itemField,
    field('Text under study', textarea, 'Every view below works on this text, in your browser.'),
    largeNote,
    h('div', { class: 'input-actions' }, field('Open a file', fileInput), h('div', { class: 'field' }, clearButton)),
    stats,
  );
}

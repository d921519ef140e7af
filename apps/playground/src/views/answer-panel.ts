import { ANSWER_METHODS, type AnswerMethod, type AnswerPassage, type AnswerResult, type Citation } from '@chunkwise/summarization';
import type { LlmSettings } from '../compute/answer-request.js';
import type { ComputeClient } from '../shell/compute-client.js';
import { field, formatInt, h, numberInput, readNumber, select } from '../shell/dom.js';

const METHODS = ANSWER_METHODS.map((name) => [name, name === 'extractive' ? 'extractive (offline)' : `${name} (asks the LLM)`] as const);

/** A passage of the assembled context as the panel shows it. */
export interface ShownPassage extends AnswerPassage {
  chunkIndex: number;
  start: number;
  end: number;
}

/** `[start, end)` pieces of `text` with the evidence spans marked, each followed by its marker. */
function markedPassage(text: string, citations: readonly Citation[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const sorted = [...citations].sort((a, b) => a.start - b.start || a.marker - b.marker);
  let at = 0;
  for (const citation of sorted) {
    // Two citations of overlapping evidence: the first is marked, the second only numbered.
    if (citation.start >= at) {
      fragment.append(text.slice(at, citation.start), h('mark', { class: 'evidence', 'data-marker': citation.marker }, citation.text));
      at = citation.end;
    }
    fragment.append(h('sup', { class: 'marker-ref' }, `[${String(citation.marker)}]`));
  }
  fragment.append(text.slice(at));
  return fragment;
}

/** The answer's text with each `[n]` a link to its source below. */
function answerWithLinks(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    fragment.append(text.slice(at, match.index), h('a', { href: `#answer-citation-${match[1]!}`, class: 'marker' }, match[0]));
    at = match.index + match[0].length;
  }
  fragment.append(text.slice(at));
  return fragment;
}

/**
 * The Search view's Answer panel: summarization's `answer` over the passages the context assembled,
 * extractive in the page or through a local OpenAI-compatible server, streamed as it arrives, with
 * every citation's evidence highlighted in its passage.
 */
export function createAnswerPanel(compute: ComputeClient): { element: HTMLElement; setContext(query: string, passages: readonly ShownPassage[]): void } {
  const question = h('input', { id: 'answer-question', type: 'text', autocomplete: 'off', placeholder: 'Empty: the query above' });
  const method = select('answer-method', METHODS, 'extractive');
  const words = numberInput('answer-words', 80, 10, 500);
  const llmUrl = h('input', { id: 'answer-llm-url', type: 'url', autocomplete: 'off', placeholder: 'http://localhost:11434/v1' });
  const llmModel = h('input', { id: 'answer-llm-model', type: 'text', autocomplete: 'off', placeholder: 'llama3.2' });
  const llmWindow = numberInput('answer-llm-window', 8192, 512, 1_000_000);
  const run = h('button', { type: 'submit', id: 'answer-submit' }, 'Answer');
  const stop = h('button', { type: 'button', class: 'secondary', id: 'answer-stop', disabled: true }, 'Stop');
  const status = h('p', { class: 'hint', id: 'answer-status', 'aria-live': 'polite' });
  const answerText = h('div', { class: 'answer-text', id: 'answer-text', 'aria-live': 'polite' });
  const sources = h('ol', { class: 'answer-sources', id: 'answer-sources', 'aria-label': 'Cited passages' });
  const llmFields = h(
    'div',
    { class: 'llm-fields' },
    field('LLM URL (OpenAI-compatible, local)', llmUrl, 'Ollama, llama.cpp server, vLLM, LM Studio: the server must allow this page’s origin (CORS).'),
    field('Model', llmModel),
    field('Context window (tokens)', llmWindow),
  );
  const form = h('form', { class: 'answer-form', 'aria-label': 'Answer settings' }, h('div', { class: 'field query' }, h('label', { for: question.id }, 'Question'), question), field('Method', method), field('Words at most', words), llmFields, h('div', { class: 'field buttons' }, h('div', {}, run, ' ', stop)));
  const element = h('section', { class: 'answer-panel', id: 'answer-panel', 'aria-labelledby': 'answer-heading' }, h('h3', { id: 'answer-heading' }, 'Answer'), form, status, answerText, sources);
  element.dataset.status = 'idle';

  let query = '';
  let passages: readonly ShownPassage[] = [];
  let current: { cancel(): void } | undefined;
  let generation = 0;

  const showLlmFields = (): void => {
    llmFields.hidden = method.value === 'extractive';
  };

  function showResult(result: AnswerResult): void {
    answerText.replaceChildren(answerWithLinks(result.text));
    answerText.dataset.text = result.text;
    const byPassage = new Map<string, Citation[]>();
    for (const citation of result.citations) byPassage.set(citation.sourceId, [...(byPassage.get(citation.sourceId) ?? []), citation]);
    sources.replaceChildren(
      ...[...byPassage].map(([sourceId, citations]) => {
        const passage = passages.find((candidate) => candidate.id === sourceId);
        const markers = citations.map((citation) => `[${String(citation.marker)}]`).join('');
        return h(
          'li',
          { 'data-source-id': sourceId, id: `answer-citation-${String(citations[0]!.marker)}` },
          ...citations.slice(1).map((citation) => h('span', { id: `answer-citation-${String(citation.marker)}` })),
          h('div', { class: 'meta' }, `${markers} chunk #${passage ? String(passage.chunkIndex) : sourceId} · chars ${passage ? `${formatInt(passage.start)}–${formatInt(passage.end)}` : '?'} · evidence at ${citations.map((c) => `${formatInt(c.documentStart ?? c.start)}–${formatInt(c.documentEnd ?? c.end)}`).join(', ')}`),
          h('div', { class: 'passage-text' }, passage ? markedPassage(passage.text, citations) : citations.map((c) => c.text).join(' … ')),
        );
      }),
    );
    const repairs = result.repairs.map((repair) => repair.kind).join(', ');
    status.textContent =
      `${result.answered ? 'Answered' : 'Not answered'} (${result.method}) in ${formatInt(result.words)} words with ${String(result.citations.length)} citation${result.citations.length === 1 ? '' : 's'}` +
      (result.calls > 0 ? `, ${String(result.calls)} model call${result.calls === 1 ? '' : 's'} (${formatInt(result.usage.promptTokens)} prompt + ${formatInt(result.usage.completionTokens)} completion tokens)` : ', no model call') +
      (repairs ? `; repaired: ${repairs}` : '') +
      '.';
  }

  function start(): void {
    current?.cancel();
    const mine = ++generation;
    const asked = question.value.trim() || query;
    answerText.replaceChildren();
    delete answerText.dataset.text;
    delete answerText.dataset.parts;
    sources.replaceChildren();
    if (passages.length === 0) {
      element.dataset.status = 'idle';
      status.textContent = 'Search first: the answer is built from the assembled context.';
      return;
    }
    const chosen = method.value as AnswerMethod;
    const llm: LlmSettings | null = chosen === 'extractive' ? null : { baseURL: llmUrl.value.trim(), model: llmModel.value.trim(), contextWindow: readNumber(llmWindow, 8192) };
    if (llm && (!llm.baseURL || !llm.model)) {
      element.dataset.status = 'error';
      status.textContent = `The ${chosen} method asks a model: fill in the LLM URL and the model name, or choose extractive.`;
      return;
    }
    element.dataset.status = 'busy';
    status.textContent = llm ? `Asking ${llm.model} at ${llm.baseURL}…` : 'Answering…';
    stop.disabled = false;
    let parts = 0;
    let streamed = '';
    const job = compute.run(
      {
        kind: 'answer',
        answer: { question: asked, passages: passages.map(({ id, text, docId, start }) => ({ id, text, docId, start })), method: chosen, targetWords: readNumber(words, 80), llm },
      },
      (text) => {
        if (mine !== generation) return;
        parts++;
        streamed += text;
        answerText.textContent = streamed;
        answerText.dataset.parts = String(parts);
      },
    );
    current = job;
    job.result.then(
      (result) => {
        if (mine !== generation) return;
        showResult(result);
        answerText.dataset.parts = String(parts);
        element.dataset.status = 'ready';
      },
      (error: unknown) => {
        if (mine !== generation) return;
        element.dataset.status = 'error';
        status.textContent = `No answer: ${error instanceof Error ? error.message : String(error)}`;
      },
    ).finally(() => {
      if (mine === generation) stop.disabled = true;
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  stop.addEventListener('click', () => current?.cancel());
  // A marker shows its source without touching the address (the page keeps the open tab there).
  answerText.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a.marker');
    if (!link) return;
    event.preventDefault();
    const target = document.getElementById(link.hash.slice(1))?.closest('li');
    if (!target) return;
    target.scrollIntoView({ block: 'nearest' });
    target.classList.add('flash');
    setTimeout(() => target.classList.remove('flash'), 1500);
  });
  method.addEventListener('change', showLlmFields);
  showLlmFields();

  return {
    element,
    /** New search results: extractive answers are cheap and follow at once; model answers wait for the button. */
    setContext(newQuery: string, newPassages: readonly ShownPassage[]): void {
      query = newQuery;
      passages = newPassages;
      if (method.value === 'extractive') start();
      else {
        current?.cancel();
        generation++;
        element.dataset.status = 'idle';
        answerText.replaceChildren();
        sources.replaceChildren();
        status.textContent = passages.length === 0 ? 'Search first: the answer is built from the assembled context.' : `Press Answer to ask ${llmModel.value.trim() || 'the model'} about the ${String(passages.length)} passages.`;
      }
    },
  };
}

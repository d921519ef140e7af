import { attentionSinksMask, causalMask, dhsaSelect, intersectMasks, lambdaShapedMask, slidingWindowMask, type AttentionMask } from '@chunkwise/attention';
import type { ComputeClient } from '../shell/compute-client.js';
import { field, formatInt, h, numberInput, readNumber, select } from '../shell/dom.js';
import type { Tab } from '../shell/tabs.js';
import type { TextStore } from '../shell/text-store.js';
import { ViewRunner } from '../shell/view-runner.js';
import { causalPairs, rasterizeMask } from './mask-raster.js';
import { randomEmbeddings, tokenEmbeddings } from './token-embeddings.js';

const HEADS = 4;
const HEAD_DIM = 32;

interface MaskChoice {
  id: string;
  label: string;
  about: string;
  /** Which parameter fields this mask reads. */
  params: readonly string[];
  /** Whether the mask depends on q and k (and so on the embeddings). */
  dynamic: boolean;
}

const MASKS: readonly MaskChoice[] = [
  { id: 'causal', label: 'Causal (dense)', about: 'Every query sees itself and every earlier key: the dense baseline the others are measured against.', params: [], dynamic: false },
  { id: 'window', label: 'Sliding window', about: 'Each query sees only its most recent keys (Longformer-style local attention).', params: ['window'], dynamic: false },
  { id: 'sinks', label: 'Attention sinks + window (StreamingLLM)', about: 'A recent window plus the first few "sink" tokens, which StreamingLLM (arXiv 2309.17453) found the softmax needs.', params: ['sinks', 'window'], dynamic: false },
  { id: 'lambda', label: 'Λ-shaped (LM-Infinite)', about: 'A global branch over the first tokens and a local branch of the pre-training length (arXiv 2308.16137).', params: ['global', 'local'], dynamic: false },
  { id: 'dhsa', label: 'DHSA (dynamic, from q and k)', about: 'Dynamic Hierarchical Sparse Attention (arXiv 2510.24606): keys cut into chunks where the key stream changes, chunks scored against each query block, the best kept up to a budget, plus a local window.', params: ['top', 'localTokens', 'queryBlock', 'embeddings'], dynamic: true },
];

export function createAttentionView(store: TextStore, compute: ComputeClient): Tab {
  const maskSelect = select('mask-kind', MASKS.map((m) => [m.id, m.label] as const), 'sinks');
  const lengthInput = numberInput('mask-length', 256, 16, 2048);
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {
    window: numberInput('mask-window', 48, 1, 2048),
    sinks: numberInput('mask-sinks', 4, 0, 256),
    global: numberInput('mask-global', 10, 0, 256),
    local: numberInput('mask-local', 64, 1, 2048),
    top: numberInput('mask-top', 64, 1, 2048),
    localTokens: numberInput('mask-local-tokens', 16, 0, 2048),
    queryBlock: numberInput('mask-query-block', 16, 1, 256),
    embeddings: select('mask-embeddings', [['text', "The text's own tokens"], ['random', 'Random vectors (seed 1)']], 'text'),
  };
  const labels: Record<string, string> = {
    window: 'Window (keys)',
    sinks: 'Sink tokens',
    global: 'Global tokens',
    local: 'Local window',
    top: 'Keys kept per block',
    localTokens: 'Local keys always kept',
    queryBlock: 'Query block',
    embeddings: 'Embeddings',
  };
  const paramFields = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, field(labels[name]!, input)]));
  const canvas = h('canvas', { class: 'heatmap', id: 'mask-heatmap', role: 'img' });
  const about = h('p', { class: 'about' });
  const fraction = h('output', { id: 'mask-fraction' });
  const kept = h('output', { id: 'mask-kept' });
  const positions = h('output', { id: 'mask-positions' });
  const selectorFraction = h('output', { id: 'mask-selector-fraction' });
  const selectorStat = h('div', {}, h('dt', {}, 'Kept per query block (keptFraction)'), h('dd', {}, selectorFraction));

  const panel = h(
    'section',
    { class: 'view attention-view' },
    h('p', { class: 'intro' }, 'Which (query, key) pairs a sparse attention mask keeps, computed by @chunkwise/attention over the first tokens of the text. Darker cells keep more pairs.'),
    h('form', { class: 'controls', 'aria-label': 'Mask settings' }, field('Mask', maskSelect), field('Positions (tokens)', lengthInput), ...Object.values(paramFields)),
    h(
      'div',
      { class: 'attention-layout' },
      h('figure', { class: 'heatmap-figure' }, canvas, h('figcaption', { class: 'axis-note' }, 'Rows: queries, first at the top. Columns: keys, first on the left.'), h('div', { class: 'legend', 'aria-hidden': 'true' }, 'none', h('span', { class: 'ramp' }), 'all pairs of a cell')),
      h(
        'div',
        {},
        about,
        h(
          'dl',
          { class: 'stats stats-column' },
          h('div', {}, h('dt', {}, 'Kept of the causal pairs'), h('dd', {}, fraction)),
          h('div', {}, h('dt', {}, 'Pairs kept'), h('dd', {}, kept)),
          h('div', {}, h('dt', {}, 'Positions'), h('dd', {}, positions)),
          selectorStat,
        ),
      ),
    ),
  );

  const runner = new ViewRunner(panel, async (stale) => {
    const choice = MASKS.find((m) => m.id === maskSelect.value) ?? MASKS[0]!;
    for (const [name, wrapper] of Object.entries(paramFields)) wrapper.hidden = !choice.params.includes(name);
    selectorStat.hidden = !choice.dynamic;
    about.textContent = choice.about;

    const useText = inputs.embeddings!.value === 'text';
    let n = readNumber(lengthInput, 256);
    let ids: Uint32Array | undefined;
    if (choice.dynamic && useText) {
      ids = await compute.run({ kind: 'prefix-ids', count: n }).result;
      if (stale()) return;
      if (ids.length < 2) throw new Error('The text has fewer than 2 tokens: paste more text, or use random embeddings.');
      n = ids.length;
    }
    const number = (name: string, fallback: number): number => readNumber(inputs[name] as HTMLInputElement, fallback);
    let mask: AttentionMask;
    let selected: number | undefined;
    switch (choice.id) {
      case 'window':
        mask = slidingWindowMask({ window: number('window', 48) });
        break;
      case 'sinks':
        mask = attentionSinksMask({ sinks: number('sinks', 4), window: number('window', 48) });
        break;
      case 'lambda':
        mask = lambdaShapedMask({ global: number('global', 10), local: number('local', 64) });
        break;
      case 'dhsa': {
        const embeddings = ids ? tokenEmbeddings(ids, HEADS, HEAD_DIM) : randomEmbeddings(n, HEADS, HEAD_DIM, 1);
        const selection = dhsaSelect(embeddings, embeddings, { heads: HEADS, kvHeads: HEADS, seqQ: n, seqK: n, headDim: HEAD_DIM }, {
          topTokens: number('top', 64),
          localTokens: number('localTokens', 16),
          queryBlock: number('queryBlock', 16),
        });
        selected = selection.keptFraction();
        // A selection is per query block, so early queries of a block are offered later keys;
        // the kernel's causal option removes those, and so does the picture.
        mask = intersectMasks(causalMask(), selection);
        break;
      }
      default:
        mask = causalMask();
    }

    const raster = rasterizeMask(mask, n);
    draw(canvas, raster.grid, raster.cells);
    const share = raster.kept / causalPairs(n);
    fraction.textContent = `${(share * 100).toFixed(1)}%`;
    fraction.dataset.value = String(share);
    kept.textContent = `${formatInt(raster.kept)} of ${formatInt(causalPairs(n))}`;
    kept.dataset.value = String(raster.kept);
    positions.textContent = `${formatInt(n)}${choice.dynamic ? (ids ? ' text tokens' : ' random vectors') : ''}`;
    positions.dataset.value = String(n);
    selectorFraction.textContent = selected === undefined ? '–' : `${(selected * 100).toFixed(1)}%`;
    if (selected !== undefined) selectorFraction.dataset.value = String(selected);
    canvas.setAttribute('aria-label', `Heat map of ${mask.description} over ${String(n)} positions: ${(share * 100).toFixed(1)}% of causal pairs kept.`);
  });

  for (const control of [maskSelect, lengthInput, ...Object.values(inputs)]) control.addEventListener('change', () => runner.invalidate());
  panel.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    runner.invalidate();
  });
  store.subscribe(() => runner.invalidate());
  return { id: 'attention', label: 'Attention', panel, onShow: () => runner.show() };
}

/** White (nothing kept) to the accent blue (every pair of the cell kept), one pixel per cell. */
function draw(canvas: HTMLCanvasElement, grid: number, cells: Float32Array): void {
  canvas.width = grid;
  canvas.height = grid;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(grid, grid);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    image.data[i * 4] = Math.round(255 + (31 - 255) * v);
    image.data[i * 4 + 1] = Math.round(255 + (95 - 255) * v);
    image.data[i * 4 + 2] = Math.round(255 + (191 - 255) * v);
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

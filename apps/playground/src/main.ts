import './styles.css';
import { ComputeClient } from './shell/compute-client.js';
import { h } from './shell/dom.js';
import { createInputPanel } from './shell/input-panel.js';
import { createTabs, type Tab } from './shell/tabs.js';
import { TextStore } from './shell/text-store.js';
import { createAttentionView } from './views/attention-view.js';
import { ChunkSettings } from './views/chunk-settings.js';
import { createChunksView } from './views/chunks-view.js';
import { createSearchView } from './views/search-view.js';
import { createTokensView } from './views/tokens-view.js';

// Tokenizing, chunking, indexing and answering run in a worker, so a pasted book never freezes the page.
const compute = new ComputeClient(new Worker(new URL('./worker/compute.worker.ts', import.meta.url), { type: 'module', name: 'chunkwise-compute' }), document.baseURI);
const store = new TextStore();
// Subscribed first: the worker gets each text before any view asks about it.
store.subscribe(() => compute.setText(store.text));
const chunkSettings = new ChunkSettings();
const views: Tab[] = [
  createTokensView(store, compute),
  createChunksView(store, chunkSettings, compute),
  createSearchView(store, chunkSettings, compute),
  createAttentionView(store, compute),
];

const app = document.querySelector<HTMLElement>('#app');
if (!app) throw new Error('index.html lost its #app element.');
const tabs = createTabs(views, 'Views');
app.append(createInputPanel(store), h('section', { id: 'views', class: 'views', 'aria-label': 'Views', tabindex: -1 }, tabs.element));

const requested = location.hash.slice(1);
const first = views.find((view) => view.id === requested) ?? views[0];
if (first) tabs.show(first.id);

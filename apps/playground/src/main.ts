import './styles.css';
import { h } from './shell/dom.js';
import { createInputPanel } from './shell/input-panel.js';
import { createTabs, type Tab } from './shell/tabs.js';
import { TextStore } from './shell/text-store.js';
import { createAttentionView } from './views/attention-view.js';
import { ChunkSettings } from './views/chunk-settings.js';
import { createChunksView } from './views/chunks-view.js';
import { createSearchView } from './views/search-view.js';
import { createTokensView } from './views/tokens-view.js';

const store = new TextStore();
const chunkSettings = new ChunkSettings();
const views: Tab[] = [createTokensView(store), createChunksView(store, chunkSettings), createSearchView(store, chunkSettings), createAttentionView(store)];

const app = document.querySelector<HTMLElement>('#app');
if (!app) throw new Error('index.html lost its #app element.');
const tabs = createTabs(views, 'Views');
app.append(createInputPanel(store), h('section', { id: 'views', class: 'views', 'aria-label': 'Views', tabindex: -1 }, tabs.element));

const requested = location.hash.slice(1);
const first = views.find((view) => view.id === requested) ?? views[0];
if (first) tabs.show(first.id);

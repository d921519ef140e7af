// The playground, built for production and driven in Debian's Chromium: the counts the page shows
// must be the ones the packages compute here, in Node, for the same text.
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { causalMask, dhsaSelect, intersectMasks, slidingWindowMask, type AttentionMask } from '@chunkwise/attention';
import { RecursiveChunker, TokenChunker } from '@chunkwise/chunking';
import { openAICompatible } from '@chunkwise/providers';
import { SifEmbedder, WordVectors } from '@chunkwise/providers/static';
import { createDefaultResponder, startMockOpenAIServer, type MockOpenAIServer } from '@chunkwise/providers/testing';
import { BM25Index, reciprocalRankFusion, selectContext, VectorIndex, type ContextHit, type ScoredId } from '@chunkwise/retrieval';
import { answer, type AnswerPassage, type AnswerResult } from '@chunkwise/summarization';
import { getEncoding, HfTokenizer } from '@chunkwise/tokenizers';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOVE_SUBSET_PATH } from '../src/compute/asset-paths.js';
import viteConfig from '../vite.config.js';
import { tokenEmbeddings } from '../src/views/token-embeddings.js';
import { llama3TokenizerJson, mobyDickDataset, sotuBook, sotuDataset } from '../vite-plugins/dataset-assets.js';
import { chromiumSkipReason, launchChromium } from '@chunkwise/browser-testing';
import { serveStatic, type StaticServer } from './static-server.js';

const appRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const screenshots = join(appRoot, 'test-results', 'screenshots');
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`[playground e2e] SKIPPED: ${skipReason}`);

/** A real chapter plus the characters tokenizers get wrong: accents, CJK, emoji and a ZWJ family. */
const chapter = mobyDickDataset(2).items[1]!.text;
const PASTED = `${chapter}\n\nNaïve café — 東京の鯨 🐋 👩‍👩‍👧 x² ≠ y₂.\n`;

describe.skipIf(skipReason !== undefined)('the playground in Chromium', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let llm: MockOpenAIServer;
  const pageErrors: string[] = [];
  const requested: string[] = [];
  /** What the page fetched to show its first view. */
  let firstLoad: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'chunkwise-playground-'));
    // The config object itself rather than its file: Vite would load the file with Node, which
    // cannot run the workspace packages' TypeScript sources its plugins import in this test run.
    await build({ ...viteConfig, root: appRoot, configFile: false, logLevel: 'warn', build: { ...viteConfig.build, outDir, emptyOutDir: true } });
    server = await serveStatic(outDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => requested.push(request.url()));
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`HTTP ${String(response.status())} for ${response.url()}`);
    });
    await mkdir(screenshots, { recursive: true });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    // A local OpenAI-compatible server as Ollama or llama.cpp server answer a page: CORS allowed,
    // the answer streamed word by word.
    const respond = createDefaultResponder();
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
    llm = await startMockOpenAIServer({
      respond: async (request) => {
        if (request.method === 'OPTIONS') return { status: 204, headers: cors, rawBody: '' };
        const response = await respond(request);
        return { ...response, headers: { ...response.headers, ...cors }, chunkDelayMs: 15 };
      },
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await server?.close();
    await llm?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function showView(id: string, timeout = 30_000): Promise<void> {
    await page.click(`#tab-${id}`);
    await page.waitForSelector(`#panel-${id}[data-status="ready"]`, { timeout });
  }

  async function pasteText(text: string): Promise<void> {
    await page.selectOption('#input-source', 'paste');
    await page.fill('#input-text', text);
    // The store commits after a short typing pause; its stats line proves the new text is in.
    await page.waitForFunction((length) => document.querySelector('.input-stats')?.textContent?.startsWith(`${length.toLocaleString('en-US')} characters · pasted`), text.length);
  }

  /** A real paste (clipboard, Ctrl+V), as a user pastes a book. */
  async function pasteFromClipboard(text: string): Promise<void> {
    await page.selectOption('#input-source', 'paste');
    await page.evaluate((value) => navigator.clipboard.writeText(value), text);
    await page.focus('#input-text');
    await page.keyboard.press('Control+V');
    await page.waitForFunction((length) => document.querySelector('.input-stats')?.textContent?.startsWith(`${length.toLocaleString('en-US')} characters · pasted`), text.length);
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });

  /** The chunk hits of a search as the library ranks them: ids are chunksToRecords' `text#<index>`. */
  function contextHits(chunks: readonly { text: string; start: number; end: number; index: number }[], scored: readonly ScoredId[]): ContextHit[] {
    return scored.map(({ id, score }) => {
      const chunk = chunks[Number(id.slice('text#'.length))]!;
      return { id, score, text: chunk.text, docId: 'text', start: chunk.start, end: chunk.end, chunkIndex: chunk.index };
    });
  }

  /** BM25 as the page ranks (english analyzer), with chunksToRecords' ids. */
  function bm25(chunks: readonly { text: string; index: number }[], query: string, k: number): ScoredId[] {
    const index = new BM25Index({ analyzer: 'english' });
    index.addAll(chunks.map((chunk) => ({ id: `text#${String(chunk.index)}`, doc: chunk.text })));
    return index.search(query, { k });
  }

  /** Dense search as the page runs it, from the built table: SIF fitted on the chunks, zero vectors left out, cosine. */
  async function dense(chunks: readonly { text: string; index: number }[], query: string, k: number): Promise<ScoredId[]> {
    const vectors = WordVectors.fromBytes(new Uint8Array(await readFile(join(outDir, GLOVE_SUBSET_PATH))));
    const embedder = new SifEmbedder(vectors);
    embedder.fit(chunks.map((chunk) => chunk.text));
    const embedded = await embedder.embed(chunks.map((chunk) => chunk.text));
    const index = new VectorIndex({ dimensions: vectors.dimensions, metric: 'cosine' });
    embedded.forEach((vector, i) => {
      if (vector.some((value) => value !== 0)) index.add(`text#${String(chunks[i]!.index)}`, vector);
    });
    const [q] = await embedder.embed([query]);
    return index.search(q!, { k });
  }

  const shownHits = (): Promise<{ id: string; score: number }[]> =>
    page.$$eval('#search-hits li', (items) => items.map((item) => ({ id: `text#${item.dataset.id ?? ''}`, score: Number(item.dataset.score) })));

  /** The passages of a context as the page hands them to answer(). */
  const answerPassages = (passages: readonly { id: string; text: string; docId: string | undefined; start: number | undefined }[]): AnswerPassage[] =>
    passages.map(({ id, text, docId, start }) => ({ id, text, docId, start }));

  async function expectAnswerShown(expected: AnswerResult): Promise<void> {
    await page.waitForSelector('#answer-panel[data-status="ready"]', { timeout: 60_000 });
    expect(await page.getAttribute('#answer-text', 'data-text')).toBe(expected.text);
    // Every citation's evidence is marked in its passage, and is exactly the cited span.
    const marks = await page.$$eval('#answer-sources mark.evidence', (items) => items.map((item) => ({ marker: Number(item.getAttribute('data-marker')), text: item.textContent })));
    expect(marks).toEqual(expect.arrayContaining(expected.citations.map((citation) => ({ marker: citation.marker, text: citation.text }))));
    expect(marks.length).toBeGreaterThan(0);
  }

  it('opens on a Moby Dick chapter and tokenizes it', async () => {
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    const loaded = await page.inputValue('#input-text');
    expect(loaded.startsWith('Call me Ishmael.')).toBe(true);
    const o200k = await getEncoding('o200k_base');
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(o200k.count(loaded)));
    firstLoad = [...requested];
    await shot('tokens-moby-dick-1366x768');
  });

  it('loads a State of the Union address from the built data and counts its tokens', async () => {
    const address = sotuDataset().items[3]!;
    await page.selectOption('#input-source', 'sotu');
    await page.waitForSelector(`#input-item option[value="${address.id}"]`, { state: 'attached' });
    await page.selectOption('#input-item', address.id);
    await page.waitForFunction((length) => document.querySelector('.input-stats')?.textContent?.startsWith(`${length.toLocaleString('en-US')} characters · State of the Union`), address.text.length);
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    expect(await page.inputValue('#input-text')).toBe(address.text);
    const o200k = await getEncoding('o200k_base');
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(o200k.count(address.text)));
  });

  it('shows the token counts the library computes for pasted text, in two encodings', async () => {
    await pasteText(PASTED);
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    const [o200k, cl100k] = await Promise.all([getEncoding('o200k_base'), getEncoding('cl100k_base')]);
    const expected = o200k.count(PASTED);
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(expected));
    expect(await page.textContent('#token-count')).toBe(expected.toLocaleString('en-US'));
    expect(await page.getAttribute('#token-compare-count', 'data-value')).toBe(String(cl100k.count(PASTED)));
    // The coloured pieces put the text back together exactly, emoji included.
    const drawn = await page.$$eval('#token-text .tok', (spans) => spans.map((span) => span.textContent).join(''));
    expect(drawn).toBe(PASTED);
    const firstTitle = await page.getAttribute('#token-text .tok', 'title');
    expect(firstTitle).toMatch(new RegExp(`^id ${String(o200k.encode(PASTED)[0])} `));

    await page.selectOption('#tokens-encoding', 'cl100k_base');
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(cl100k.count(PASTED)));

    // Llama 3 from its tokenizer.json: the page fetches the file and runs HfTokenizer.fromJSON.
    const llama3 = HfTokenizer.fromJSON(llama3TokenizerJson());
    await page.selectOption('#tokens-encoding', 'llama3');
    await page.waitForSelector('#panel-tokens[data-status="ready"]', { timeout: 60_000 });
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(llama3.count(PASTED)));
    const llamaPieces = await page.$$eval('#token-text .tok', (spans) => spans.map((span) => span.textContent).join(''));
    expect(llamaPieces).toBe(PASTED);
    await shot('tokens-llama3-1366x768');

    await page.selectOption('#tokens-encoding', 'o200k_base');
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    await page.evaluate(() => document.querySelector('#token-text')?.scrollTo(0, 1e6));
    await shot('tokens-pasted-1366x768');
  });

  it('shows the chunks the library computes, with their sizes, for two strategies', async () => {
    await showView('chunks');
    const o200k = await getEncoding('o200k_base');
    const recursive = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 128 }).chunk(PASTED);
    expect(await page.getAttribute('#chunk-count', 'data-value')).toBe(String(recursive.length));
    expect(await page.getAttribute('#chunk-sizes', 'data-value')).toBe(recursive.map((chunk) => chunk.tokenCount).join(','));
    expect(await page.locator('#chunk-list button').count()).toBe(recursive.length);
    expect(await page.locator('#chunk-text .boundary').count()).toBe(recursive.length);
    expect(await page.locator('.histogram .bar').count()).toBeGreaterThan(0);

    const third = recursive[2]!;
    await page.click('#chunk-list button[data-index="2"]');
    expect(await page.textContent('[data-testid="chunk-offsets"]')).toBe(`[${String(third.start)}, ${String(third.end)})`);
    expect(await page.locator('#chunk-text .seg.selected').allTextContents().then((parts) => parts.join(''))).toBe(third.text);
    await shot('chunks-recursive-1366x768');

    await page.selectOption('#chunks-strategy', 'token');
    await page.fill('#chunks-max-tokens', '64');
    await page.fill('#chunks-overlap', '16');
    await page.press('#chunks-overlap', 'Enter');
    const windows = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(PASTED);
    await page.waitForFunction((expected) => document.querySelector('#panel-chunks')?.getAttribute('data-status') === 'ready' && document.querySelector('#chunk-count')?.getAttribute('data-value') === expected, String(windows.length));
    expect(await page.getAttribute('#chunk-sizes', 'data-value')).toBe(windows.map((chunk) => chunk.tokenCount).join(','));
    expect(await page.locator('#chunk-text .seg.overlap').count()).toBeGreaterThan(0);
    await shot('chunks-token-overlap-1366x768');
  });

  it('ranks the chunks with BM25 and assembles the context selectContext picks, as the library does', async () => {
    // The Chunks tab was left on TokenChunker, 64 tokens, 16 overlap: search runs over those chunks.
    await showView('search');
    const o200k = await getEncoding('o200k_base');
    const chunks = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(PASTED);
    expect(await page.getAttribute('#search-corpus', 'data-value')).toBe(String(chunks.length));

    const query = 'whaling voyage in New Bedford';
    await page.fill('#search-query', query);
    await page.fill('#search-budget', '200');
    await page.selectOption('#search-strategy', 'knapsack');
    await page.click('#search-submit');
    await page.waitForSelector('#panel-search[data-status="ready"]');

    const expected = bm25(chunks, query, 8);
    expect(expected.length).toBeGreaterThan(1);
    expect(await shownHits()).toEqual(expected);
    expect(await page.locator('#search-hits mark').count()).toBeGreaterThan(0);

    const context = selectContext(contextHits(chunks, expected), { budgetTokens: 200, tokenizer: o200k, strategy: 'knapsack' });
    expect(await page.getAttribute('#search-context', 'data-ids')).toBe(context.passages.map((passage) => passage.id).join(','));
    expect(await page.getAttribute('#context-tokens', 'data-value')).toBe(String(context.tokens));
    expect(context.tokens).toBeLessThanOrEqual(200);
    expect(await page.locator('#search-text .hit-mark[data-rank="1"]').count()).toBeGreaterThan(0);
    await shot('search-1366x768');
  });

  it('shows the fraction of pairs each attention mask keeps, as the library decides them', async () => {
    await showView('attention');
    const pairsKept = (mask: AttentionMask, n: number): number => {
      let kept = 0;
      for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) if (mask.allows(0, q, k)) kept++;
      return kept;
    };
    const causal = pairsKept(causalMask(), 256);

    await page.selectOption('#mask-kind', 'window');
    await page.fill('#mask-length', '256');
    await page.fill('#mask-window', '32');
    await page.press('#mask-window', 'Enter');
    const windowKept = pairsKept(slidingWindowMask({ window: 32 }), 256);
    await page.waitForFunction((expected) => document.querySelector('#panel-attention')?.getAttribute('data-status') === 'ready' && document.querySelector('#mask-kept')?.getAttribute('data-value') === expected, String(windowKept));
    expect(Number(await page.getAttribute('#mask-fraction', 'data-value'))).toBeCloseTo(windowKept / causal, 12);
    await shot('attention-window-1366x768');

    // DHSA on the pasted text's own tokens: the same selection computed here, in Node.
    const ids = (await getEncoding('o200k_base')).encode(PASTED).subarray(0, 256);
    const embeddings = tokenEmbeddings(ids, 4, 32);
    const selection = dhsaSelect(embeddings, embeddings, { heads: 4, kvHeads: 4, seqQ: 256, seqK: 256, headDim: 32 }, { topTokens: 64, localTokens: 16, queryBlock: 16 });
    await page.selectOption('#mask-kind', 'dhsa');
    await page.waitForFunction((expected) => document.querySelector('#panel-attention')?.getAttribute('data-status') === 'ready' && document.querySelector('#mask-kept')?.getAttribute('data-value') === expected, String(pairsKept(intersectMasks(causalMask(), selection), 256)));
    expect(Number(await page.getAttribute('#mask-selector-fraction', 'data-value'))).toBe(selection.keptFraction());
    expect(await page.isVisible('#mask-embeddings')).toBe(true);
    await shot('attention-dhsa-1366x768');
  });

  it('is operable from the keyboard: a sensible tab order, a visible focus ring, arrow keys between tabs', async () => {
    // Clicking the heading moves the sequential focus starting point to the top of the page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('h1');
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        return { id: element.id || element.className || element.tagName, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
      expect(focused.ring, `focus ring on ${focused.id}`).toBe(true);
      order.push(focused.id);
    }
    // The input column top to bottom, then the selected tab, its panel and the panel's controls.
    expect(order).toEqual(['input-source', 'input-text', 'input-file', 'input-clear', 'tab-attention', 'panel-attention', 'mask-kind', 'mask-length']);
    // Before them all, the skip link, which shows itself when focused.
    await page.focus('#input-source');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    expect(await page.evaluate(() => document.activeElement!.getBoundingClientRect().left)).toBeGreaterThanOrEqual(0);

    await page.focus('#tab-tokens');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-chunks');
    expect(await page.isVisible('#panel-chunks')).toBe(true);
    await page.keyboard.press('End');
    const last = await page.evaluate(() => document.activeElement?.id);
    expect(last).toMatch(/^tab-/);
    expect(await page.getAttribute(`#${last!}`, 'aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-tokens');
    expect(await page.getAttribute('#tab-tokens', 'aria-selected')).toBe('true');
    // Every control has a label the accessibility tree can name.
    const unlabelled = await page.$$eval('input, select, textarea', (controls) =>
      controls.filter((control) => !control.id || !document.querySelector(`label[for="${control.id}"]`)).map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it('fits laptop and desktop screens without sideways scrolling, in every view', async () => {
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const view of ['tokens', 'chunks', 'search', 'attention']) {
        await showView(view);
        await page.evaluate(() => window.scrollTo(0, 0));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${view} at ${String(width)}×${String(height)}`).toBeLessThanOrEqual(0);
        await shot(`${view}-${String(width)}x${String(height)}`);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('shows an overlap at or over the limit as the chunker\'s error, not as silently clamped chunks', async () => {
    await showView('chunks');
    const o200k = await getEncoding('o200k_base');
    let expected = '';
    try {
      new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 64 });
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/overlap/i);
    await page.selectOption('#chunks-strategy', 'token');
    await page.fill('#chunks-max-tokens', '64');
    await page.fill('#chunks-overlap', '64');
    await page.press('#chunks-overlap', 'Enter');
    await page.waitForSelector('#panel-chunks[data-status="error"]');
    expect(await page.textContent('#panel-chunks [role="alert"]')).toContain(expected);
    await shot('chunks-overlap-error-1366x768');
    // Back under the limit, the error goes and the chunks come back.
    await page.fill('#chunks-overlap', '16');
    await page.press('#chunks-overlap', 'Enter');
    await page.waitForSelector('#panel-chunks[data-status="ready"]');
    expect(await page.isVisible('#panel-chunks [role="alert"]')).toBe(false);
  });

  it('answers from the assembled context with citations whose evidence is highlighted in its passage', async () => {
    // Chunks: TokenChunker, 64 tokens, 16 overlap (left by the overlap test) on the pasted chapter.
    await showView('search');
    const o200k = await getEncoding('o200k_base');
    const chunks = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(PASTED);
    const query = 'Nantucket whaling voyage';
    await page.selectOption('#search-retriever', 'bm25');
    await page.fill('#search-query', query);
    await page.fill('#search-budget', '400');
    await page.selectOption('#search-strategy', 'top-k');
    await page.fill('#answer-question', 'Why sail from Nantucket?');
    await page.selectOption('#answer-method', 'extractive');
    await page.click('#search-submit');
    await page.waitForSelector('#panel-search[data-status="ready"]');
    const context = selectContext(contextHits(chunks, bm25(chunks, query, 8)), { budgetTokens: 400, tokenizer: o200k, strategy: 'top-k' });
    const expected = await answer('Why sail from Nantucket?', answerPassages(context.passages), { method: 'extractive', targetWords: 80 });
    expect(expected.citations.length).toBeGreaterThan(0);
    await expectAnswerShown(expected);
    // The answer's markers link to their sources.
    const first = expected.citations[0]!;
    expect(await page.getAttribute(`#answer-text a[href="#answer-citation-${String(first.marker)}"]`, 'class')).toBe('marker');
    await page.locator('#answer-panel').scrollIntoViewIfNeeded();
    await shot('search-answer-1366x768');
  });

  it('switches the retriever: dense (GloVe + SIF, loaded on demand) and hybrid rank as the libraries do', async () => {
    await showView('search');
    // Nothing fetched the vector table while only BM25 was used.
    expect(requested.filter((url) => url.endsWith(GLOVE_SUBSET_PATH))).toEqual([]);
    const o200k = await getEncoding('o200k_base');
    const chunks = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(PASTED);
    const query = 'the sea and the ocean';
    await page.fill('#search-query', query);
    await page.selectOption('#search-retriever', 'dense');
    await page.waitForSelector('#panel-search[data-status="ready"]', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('#search-dense')?.textContent?.includes('GloVe'));
    expect(requested.filter((url) => url.endsWith(GLOVE_SUBSET_PATH))).toHaveLength(1);
    const semantic = await dense(chunks, query, 8);
    expect(semantic).toHaveLength(8);
    const shown = await shownHits();
    expect(shown.map((hit) => hit.id)).toEqual(semantic.map((hit) => hit.id));
    shown.forEach((hit, i) => expect(hit.score).toBeCloseTo(semantic[i]!.score, 5));
    console.log(`[playground e2e] dense on the pasted chapter (${String(chunks.length)} chunks): ${String(await page.getAttribute('#search-dense', 'data-ms'))} ms to the first dense result; ${String(await page.textContent('#search-dense'))}`);
    await shot('search-dense-1366x768');

    await page.selectOption('#search-retriever', 'hybrid');
    await page.waitForSelector('#panel-search[data-status="ready"]');
    const fused = reciprocalRankFusion([bm25(chunks, query, 8), semantic], { limit: 8 });
    const hybrid = await shownHits();
    expect(hybrid.map((hit) => hit.id)).toEqual(fused.map((hit) => hit.id));
    hybrid.forEach((hit, i) => expect(hit.score).toBeCloseTo(fused[i]!.score, 9));
    await page.locator('#search-retriever').scrollIntoViewIfNeeded();
    await shot('search-hybrid-1366x768');
    // The table was fetched once, whatever the retriever since.
    expect(requested.filter((url) => url.endsWith(GLOVE_SUBSET_PATH))).toHaveLength(1);
    await page.selectOption('#search-retriever', 'bm25');
    await page.waitForSelector('#panel-search[data-status="ready"]');
  });

  it('streams an answer from a local OpenAI-compatible server and checks its citations', async () => {
    await showView('search');
    const o200k = await getEncoding('o200k_base');
    const chunks = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(PASTED);
    const query = 'Nantucket whaling voyage';
    await page.fill('#search-query', query);
    await page.click('#search-submit');
    await page.waitForSelector('#panel-search[data-status="ready"]');
    await page.selectOption('#answer-method', 'compact');
    await page.fill('#answer-llm-url', llm.baseURL);
    await page.fill('#answer-llm-model', 'mock');
    await page.fill('#answer-llm-window', '4096');
    await page.waitForSelector('#answer-panel[data-status="ready"]');
    llm.reset();
    await page.click('#answer-submit');
    await expect.poll(() => llm.requests.some((request) => request.method === 'POST')).toBe(true);
    await page.waitForSelector('#answer-panel[data-status="ready"]', { timeout: 60_000 });

    const context = selectContext(contextHits(chunks, bm25(chunks, query, 8)), { budgetTokens: 400, tokenizer: o200k, strategy: 'top-k' });
    const model = openAICompatible({ baseURL: llm.baseURL, model: 'mock', contextWindow: 4096 });
    const browserRequests = llm.requests.filter((request) => request.method === 'POST');
    expect(browserRequests).toHaveLength(1);
    expect((browserRequests[0]!.body as { stream?: boolean }).stream).toBe(true);
    const expected = await answer('Why sail from Nantucket?', answerPassages(context.passages), { method: 'compact', model, targetWords: 80 });
    await expectAnswerShown(expected);
    // The text arrived in pieces as the server wrote them, before the checked result.
    expect(Number(await page.getAttribute('#answer-text', 'data-parts'))).toBeGreaterThan(1);
    await page.selectOption('#answer-method', 'extractive');
  });

  it('chunks a pasted whole book (all 233 SOTU addresses, 10.8 M characters) while the page keeps answering', async () => {
    const book = sotuBook();
    expect(book.length).toBeGreaterThan(10_000_000);
    await showView('chunks');
    await page.selectOption('#chunks-strategy', 'recursive');
    await page.fill('#chunks-max-tokens', '128');
    await page.fill('#chunks-overlap', '0');
    await page.press('#chunks-overlap', 'Enter');
    await page.waitForSelector('#panel-chunks[data-status="ready"]');
    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await pasteFromClipboard(book);
    await page.waitForSelector('#panel-chunks[data-status="busy"]', { state: 'attached' });
    await page.waitForTimeout(300);
    // A user switches tabs while the book is being chunked: the click is answered at once, while
    // the chunks are still being computed (off the main thread).
    await page.click('#tab-tokens');
    expect(await page.getAttribute('#tab-tokens', 'aria-selected')).toBe('true');
    expect(await page.getAttribute('#panel-chunks', 'data-status')).toBe('busy');
    await page.click('#tab-chunks');
    await page.waitForSelector('#panel-chunks[data-status="ready"]', { timeout: 600_000 });

    const o200k = await getEncoding('o200k_base');
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 128 }).chunk(book);
    expect(await page.getAttribute('#chunk-count', 'data-value')).toBe(String(chunks.length));
    expect(await page.getAttribute('#chunk-sizes', 'data-value')).toBe(chunks.map((chunk) => chunk.tokenCount).join(','));
    // The text box shows a preview, and the page draws a window of the chunks, not 10.8 M characters of spans.
    expect(await page.evaluate(() => (document.querySelector('#input-text') as HTMLTextAreaElement).value.length)).toBeLessThan(100_000);
    expect(await page.isVisible('#input-large-note')).toBe(true);
    expect(await page.locator('#chunk-list button').count()).toBe(200);
    expect(await page.textContent('#chunk-window')).toBe(`Chunks 1–200 of ${chunks.length.toLocaleString('en-US')}`);
    await page.click('#chunk-window-next');
    expect(await page.getAttribute('#chunk-list button >> nth=0', 'data-index')).toBe('200');
    await page.click('#chunk-list button[data-index="203"]');
    expect(await page.textContent('[data-testid="chunk-offsets"]')).toBe(`[${String(chunks[203]!.start)}, ${String(chunks[203]!.end)})`);
    expect(await page.locator('#chunk-text .seg.selected').allTextContents().then((parts) => parts.join(''))).toBe(chunks[203]!.text);
    await page.click('#chunk-window-previous');
    await page.evaluate(() => window.scrollTo(0, 0));
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(
      `[playground e2e] SOTU book: ${String(chunks.length)} chunks; ${String(await page.getAttribute('#chunk-timing', 'data-value'))} ms from the paste to the drawn chunks (${String(await page.textContent('#chunk-exactness'))}); longest main-thread task ${String(Math.round(Math.max(0, ...longTasks)))} ms over ${String(longTasks.length)} long tasks`,
    );
    await shot('chunks-sotu-book-1366x768');
  }, 900_000);

  it('searches the pasted book with BM25 and dense search: every chunk is indexable', async () => {
    // The worker may still be tokenizing the book for the Tokens tab the last test visited.
    await showView('search', 600_000);
    const book = sotuBook();
    const o200k = await getEncoding('o200k_base');
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 128 }).chunk(book);
    const query = 'income tax on railroads';
    await page.fill('#search-query', query);
    await page.fill('#answer-question', 'What was proposed about income taxes?');
    await page.click('#search-submit');
    await page.waitForSelector('#panel-search[data-status="ready"]', { timeout: 300_000 });
    expect(await page.getAttribute('#search-corpus', 'data-value')).toBe(String(chunks.length));
    const expected = bm25(chunks, query, 8);
    expect(expected).toHaveLength(8);
    expect(await shownHits()).toEqual(expected);
    await shot('search-sotu-book-1366x768');
    await page.waitForSelector('#answer-panel[data-status="ready"]', { timeout: 60_000 });
    expect(await page.locator('#answer-sources mark.evidence').count()).toBeGreaterThan(0);
    await page.locator('#answer-panel').scrollIntoViewIfNeeded();
    await shot('search-answer-sotu-book-1366x768');
    await page.evaluate(() => window.scrollTo(0, 0));

    await page.selectOption('#search-retriever', 'dense');
    await page.waitForSelector('#panel-search[data-status="ready"]', { timeout: 600_000 });
    const semantic = await dense(chunks, query, 8);
    const shown = await shownHits();
    expect(shown.map((hit) => hit.id)).toEqual(semantic.map((hit) => hit.id));
    console.log(`[playground e2e] dense on the SOTU book (${String(chunks.length)} chunks): ${String(await page.getAttribute('#search-dense', 'data-ms'))} ms to the first dense result; ${String(await page.textContent('#search-dense'))}`);
    await shot('search-dense-sotu-book-1366x768');
    await page.selectOption('#search-retriever', 'bm25');
    await page.waitForSelector('#panel-search[data-status="ready"]', { timeout: 300_000 });
  }, 900_000);

  it('builds a small default page: answering, dense search and their data load only when needed', async () => {
    const files = await readdir(join(outDir, 'assets'));
    const sizeOf = async (pattern: RegExp): Promise<number> => {
      const name = files.find((file) => pattern.test(file));
      expect(name, String(pattern)).toBeDefined();
      return (await stat(join(outDir, 'assets', name!))).size;
    };
    const sizes = {
      main: await sizeOf(/^index-.*\.js$/),
      worker: await sizeOf(/^compute\.worker-.*\.js$/),
      answer: await sizeOf(/^answer-request-.*\.js$/),
      dense: await sizeOf(/^dense-index-.*\.js$/),
      table: (await stat(join(outDir, GLOVE_SUBSET_PATH))).size,
    };
    // What the first view (Tokens, on a Moby Dick chapter) made the page fetch, in bytes on disk and gzipped.
    const fetched = await Promise.all(
      firstLoad.map(async (url) => {
        const path = new URL(url).pathname;
        const bytes = await readFile(join(outDir, path.endsWith('/') ? `${path}index.html` : path));
        return { path, bytes: bytes.length, gzip: gzipSync(bytes).length };
      }),
    );
    const total = (key: 'bytes' | 'gzip'): number => fetched.reduce((sum, file) => sum + file[key], 0);
    console.log(`[playground e2e] built sizes (bytes): ${JSON.stringify(sizes)}; first view fetched ${String(fetched.length)} files, ${String(total('bytes'))} bytes (${String(total('gzip'))} gzipped): ${fetched.map((file) => `${file.path} ${String(file.bytes)}`).join(', ')}`);
    expect(fetched.some((file) => file.path.endsWith('.cwv'))).toBe(false);
    expect(fetched.some((file) => /answer-request|dense-index/.test(file.path))).toBe(false);
    // The page's own script stays a small fraction of what loads on demand.
    expect(sizes.main).toBeLessThan(100_000);
    expect(sizes.table).toBeGreaterThan(1_000_000);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

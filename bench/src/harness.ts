import { performance } from 'node:perf_hooks';

/** One implementation measured in a case: ours, or a peer. */
export interface Contender {
  name: string;
  ours?: boolean;
  /** Runs once before warm-up, outside the timings (load data, build an index…). */
  setup?(): unknown | Promise<unknown>;
  /** The measured work. Its result is kept alive so the engine cannot drop the work. */
  run(): unknown | Promise<unknown>;
}

export interface BenchCase {
  name: string;
  contenders: Contender[];
  /** Bytes of input one run processes: adds MB/s. */
  bytes?: number;
  /** Items one run processes: adds items/s. */
  items?: number;
  /** Measured runs per contender (default 7). */
  iterations?: number;
  /** Unmeasured runs per contender first (default 2). */
  warmup?: number;
}

export interface Suite {
  name: string;
  description: string;
  cases(): BenchCase[] | Promise<BenchCase[]>;
  /** Extra Markdown for the report: correctness tables, recall, memory… */
  notes?(): string | Promise<string>;
}

export interface Measurement {
  contender: string;
  ours: boolean;
  /** Median wall time of one run, ms. */
  wallMs: number;
  /** Median CPU time (user + system) of one run, ms. */
  cpuMs: number;
  /** Fastest and slowest measured run, ms. */
  minMs: number;
  maxMs: number;
  runs: number;
  mbPerSec?: number;
  itemsPerSec?: number;
  /** Median wall time of ours divided by this contender's: below 1 means ours is faster. */
  ratioOursToThis?: number;
}

export interface CaseResult {
  name: string;
  measurements: Measurement[];
}

export interface SuiteResult {
  suite: string;
  description: string;
  cases: CaseResult[];
  notes: string;
}

export let sink: unknown;
/** Keeps a value reachable so benchmarked work is not optimised away. */
export function blackhole(value: unknown): void {
  sink = value;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeOnce(contender: Contender): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = contender.run();
  blackhole(result instanceof Promise ? await result : result);
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * Measures one case: set-up for each contender, then warm-up runs, then measured runs that
 * alternate between contenders (A B C A B C …) so drift on a shared machine hits all alike.
 */
export async function runCase(benchCase: BenchCase, log: (line: string) => void = () => {}): Promise<CaseResult> {
  const iterations = benchCase.iterations ?? 7;
  const warmup = benchCase.warmup ?? 2;
  for (const contender of benchCase.contenders) await contender.setup?.();
  for (let i = 0; i < warmup; i++) {
    for (const contender of benchCase.contenders) await timeOnce(contender);
  }
  const walls = benchCase.contenders.map(() => [] as number[]);
  const cpus = benchCase.contenders.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    // Rotate the starting contender so none always runs first after a GC pause.
    for (let j = 0; j < benchCase.contenders.length; j++) {
      const index = (i + j) % benchCase.contenders.length;
      const { wall, cpu } = await timeOnce(benchCase.contenders[index]!);
      walls[index]!.push(wall);
      cpus[index]!.push(cpu);
    }
  }
  const measurements: Measurement[] = benchCase.contenders.map((contender, index) => {
    const wallMs = median(walls[index]!);
    const measurement: Measurement = {
      contender: contender.name,
      ours: contender.ours === true,
      wallMs,
      cpuMs: median(cpus[index]!),
      minMs: Math.min(...walls[index]!),
      maxMs: Math.max(...walls[index]!),
      runs: iterations,
    };
    if (benchCase.bytes !== undefined) measurement.mbPerSec = benchCase.bytes / 1e6 / (wallMs / 1000);
    if (benchCase.items !== undefined) measurement.itemsPerSec = benchCase.items / (wallMs / 1000);
    return measurement;
  });
  const ours = measurements.find((m) => m.ours);
  if (ours) {
    for (const measurement of measurements) measurement.ratioOursToThis = ours.wallMs / measurement.wallMs;
  }
  log(formatCaseTable({ name: benchCase.name, measurements }));
  return { name: benchCase.name, measurements };
}

export async function runSuite(suite: Suite, log: (line: string) => void = () => {}): Promise<SuiteResult> {
  const cases: CaseResult[] = [];
  for (const benchCase of await suite.cases()) {
    log(`\n${suite.name} › ${benchCase.name}`);
    cases.push(await runCase(benchCase, log));
  }
  const notes = suite.notes ? await suite.notes() : '';
  return { suite: suite.name, description: suite.description, cases, notes };
}

function formatNumber(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatRate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return formatNumber(value);
}

/** A Markdown table for one case; the ratio column reads "ours / peer" in median wall time. */
export function formatCaseTable(result: CaseResult): string {
  const hasBytes = result.measurements.some((m) => m.mbPerSec !== undefined);
  const hasItems = result.measurements.some((m) => m.itemsPerSec !== undefined);
  const header = ['implementation', 'median ms', 'CPU ms', 'min–max ms'];
  if (hasBytes) header.push('MB/s');
  if (hasItems) header.push('items/s');
  header.push('time ours/peer');
  const rows = result.measurements.map((m) => {
    const row = [m.ours ? `**${m.contender}** (ours)` : m.contender, formatNumber(m.wallMs), formatNumber(m.cpuMs), `${formatNumber(m.minMs)}–${formatNumber(m.maxMs)}`];
    if (hasBytes) row.push(m.mbPerSec === undefined ? '' : formatNumber(m.mbPerSec));
    if (hasItems) row.push(m.itemsPerSec === undefined ? '' : formatRate(m.itemsPerSec));
    row.push(m.ours || m.ratioOursToThis === undefined ? '—' : `${formatNumber(m.ratioOursToThis)}×`);
    return row;
  });
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The Markdown section a suite owns in docs/benchmarks.md. */
export function formatSuiteSection(result: SuiteResult, machine: string, date: string): string {
  const parts = [
    `## ${result.suite}`,
    '',
    result.description,
    '',
    // A suite without timed cases (quality) reports measurements of its own: no median sentence for it.
    `Measured ${date} on ${machine}.${result.cases.length ? ' Median of N alternating runs after warm-up; "time ours/peer" below 1 means Chunkwise is faster.' : ''} Regenerate with \`pnpm bench ${result.suite}\`.`,
  ];
  for (const caseResult of result.cases) parts.push('', `### ${caseResult.name}`, '', formatCaseTable(caseResult));
  if (result.notes.trim()) parts.push('', result.notes.trim());
  return parts.join('\n');
}

const START = (suite: string) => `<!-- bench:${suite}:start -->`;
const END = (suite: string) => `<!-- bench:${suite}:end -->`;

/** Replaces (or appends) a suite's section between its markers, leaving other suites untouched. */
export function upsertSection(document: string, suite: string, section: string): string {
  const block = `${START(suite)}\n${section}\n${END(suite)}`;
  const start = document.indexOf(START(suite));
  const end = document.indexOf(END(suite));
  if (start !== -1 && end > start) return document.slice(0, start) + block + document.slice(end + END(suite).length);
  return `${document.trimEnd()}\n\n${block}\n`;
}

import type { Command } from 'commander';
import { runAttentionBenchmark, type AttentionBenchmarkReport, type AttentionBenchmarkRow } from '@chunkwise/attention';
import { UsageError } from '../errors.js';
import { writeOutputFile } from '../output-file.js';
import { integerOption, parseIntegerList } from '../flags.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';

interface BenchOptions {
  lengths: string;
  heads: number;
  headDim: number;
  sparseKeys: number;
  sparseQueries: number;
  repeats: number;
  backends: string;
  svg: string;
  clock: string;
}

const SUITES = ['attention'] as const;

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure a package on this machine: `bench attention` times our attention kernels (GFLOP/s, sparse speed-ups) and writes an SVG chart')
    .argument('<suite>', SUITES.join(', '))
    .option('--lengths <list>', 'dense causal sequence lengths, comma-separated', '512,1024,2048')
    .addOption(integerOption('--heads <n>', 'attention heads', { min: 1, default: 8 }))
    .addOption(integerOption('--head-dim <n>', 'dimensions per head', { min: 1, default: 64 }))
    .addOption(integerOption('--sparse-keys <n>', 'keys for the sparse-mask comparison (0 skips it)', { min: 0, default: 32768 }))
    .addOption(integerOption('--sparse-queries <n>', 'query rows at the end of the sparse sequence', { min: 1, default: 1024 }))
    .addOption(integerOption('--repeats <n>', 'timed runs per row (median reported)', { min: 1, default: 3 }))
    .option('--backends <list>', 'wasm, js or both', 'wasm,js')
    .option('--svg <file>', 'where to write the chart', 'attention-bench.svg')
    .option('--clock <kind>', 'wall, or cpu (process CPU time: steadier on a shared machine)', 'wall')
    .action(async (suite: string, options: BenchOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (suite !== 'attention') throw new UsageError(`unknown bench suite ${JSON.stringify(suite)}; available: ${SUITES.join(', ')}.`);
      const backends = options.backends.split(',').map((b) => b.trim());
      for (const backend of backends) {
        if (backend !== 'wasm' && backend !== 'js') throw new UsageError(`--backends takes wasm and/or js, got ${JSON.stringify(backend)}.`);
      }
      if (options.clock !== 'wall' && options.clock !== 'cpu') throw new UsageError(`--clock takes wall or cpu, got ${JSON.stringify(options.clock)}.`);
      const clock = options.clock === 'cpu' ? cpuMilliseconds : () => performance.now();
      const lengths = parseIntegerList(options.lengths, '--lengths', { min: 1 });
      const ui = new ProgressUI({ quiet: globals.quiet === true });
      let report: AttentionBenchmarkReport;
      try {
        report = runAttentionBenchmark({
          lengths,
          heads: options.heads,
          headDim: options.headDim,
          sparseKeys: options.sparseKeys,
          sparseQueries: options.sparseQueries,
          repeats: options.repeats,
          backends: backends as ('wasm' | 'js')[],
          onProgress: ui.onProgress,
          clock,
        });
      } finally {
        ui.stop();
      }
      await writeOutputFile(options.svg, renderChart(report, options.clock));
      if (globals.json) {
        writeJson({ ...report, clock: options.clock, svg: options.svg });
        return;
      }
      print(renderTable(report) + `\ntimes on the ${options.clock === 'cpu' ? 'process CPU-time' : 'wall'} clock; chart written to ${options.svg}\n`);
    });
}

function cpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function label(row: AttentionBenchmarkRow): string {
  return `${row.mask} · ${row.backend} · ${row.seqQ}×${row.seqK}`;
}

function renderTable(report: AttentionBenchmarkReport): string {
  const header = ['mask', 'backend', 'heads', 'seqQ', 'seqK', 'ms', 'GFLOP/s', 'kept', 'speed-up', 'select ms'];
  const rows = report.rows.map((row) => [
    row.mask,
    row.backend,
    String(row.heads),
    String(row.seqQ),
    String(row.seqK),
    row.ms.toFixed(1),
    row.gflops.toFixed(2),
    row.keptFraction.toFixed(3),
    row.speedup === undefined ? '' : `${row.speedup.toFixed(2)}×`,
    row.selectMs === undefined ? '' : row.selectMs.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  const peak = report.simdPeakGflops === undefined ? 'unavailable' : `${report.simdPeakGflops.toFixed(1)} GFLOP/s`;
  return ['', line(header), ...rows.map(line), '', `single-thread WebAssembly SIMD peak: ${peak}`].join('\n');
}

/** Horizontal bars of GFLOP/s per row, with the SIMD peak as a dashed line. */
function renderChart(report: AttentionBenchmarkReport, clock: string): string {
  const barHeight = 22;
  const left = 340;
  const width = 900;
  const top = 40;
  const plot = width - left - 80;
  const max = Math.max(report.simdPeakGflops ?? 0, ...report.rows.map((r) => r.gflops), 1e-9);
  const x = (value: number) => left + (value / max) * plot;
  const height = top + report.rows.length * barHeight + 40;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">@chunkwise/attention: GFLOP/s of useful causal work (${clock === 'cpu' ? 'per CPU-second' : 'wall clock'})</text>`,
  ];
  report.rows.forEach((row, i) => {
    const y = top + i * barHeight;
    parts.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(label(row))}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(row.gflops) - left).toFixed(1)}" height="${barHeight - 6}" fill="${row.backend === 'wasm' ? '#3b6ea5' : '#c0803a'}"/>`,
      `<text x="${x(row.gflops) + 6}" y="${y + 15}">${row.gflops.toFixed(2)}${row.speedup === undefined ? '' : ` (${row.speedup.toFixed(1)}× faster, ${(100 * row.keptFraction).toFixed(0)}% kept)`}</text>`,
    );
  });
  if (report.simdPeakGflops !== undefined) {
    const px = x(report.simdPeakGflops).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${height - 30}" stroke="#a33" stroke-dasharray="4 3"/>`,
      `<text x="${px}" y="${height - 14}" text-anchor="middle" fill="#a33">SIMD peak ${report.simdPeakGflops.toFixed(1)}</text>`,
    );
  }
  parts.push('</svg>', '');
  return parts.join('\n');
}

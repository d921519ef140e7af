import { execFile } from 'node:child_process';

export type ProbeKind = 'convert' | 'load' | 'glove-embed' | 'transformers-embed' | 'baseline';

export interface ProbeResult {
  ok: boolean;
  /** Wall and CPU time of the measured step, ms. */
  ms?: number;
  cpuMs?: number;
  /** RSS of the fresh process before the step, and its peak (VmHWM) after, MiB. */
  baseMiB?: number;
  peakMiB?: number;
  /** RSS right after the step, MiB. */
  afterMiB?: number;
  /** Texts per second of the embed step (embed only, after load and fit). */
  textsPerSec?: number;
  loadMs?: number;
  fitMs?: number;
  fitCpuMs?: number;
  tableBytes?: number;
  error?: string;
}

/**
 * One measured step in a fresh Node process, so peak RSS (VmHWM, reset by exec) belongs to that
 * step and nothing else: converting the wink JSON, opening the cached table, or loading an
 * embedder and embedding the paragraphs in `textsFile`.
 */
export function probe(kind: ProbeKind, options: { cacheDir: string; textsFile: string; modelDir: string; timeoutMs: number }): Promise<ProbeResult> {
  const modules = {
    staticEntry: import.meta.resolve('@chunkwise/providers/static'),
    staticNode: import.meta.resolve('@chunkwise/providers/static/node'),
    transformers: import.meta.resolve('@chunkwise/providers/transformers'),
  };
  const script = `
    const kind = ${JSON.stringify(kind)}, modules = ${JSON.stringify(modules)}, options = ${JSON.stringify(options)};
    const { readFileSync } = await import('node:fs');
    const mib = (bytes) => bytes / 1048576;
    const peak = () => {
      const match = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      return match ? Number(match[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
    };
    const texts = kind === 'baseline' || kind === 'convert' || kind === 'load' ? [] : JSON.parse(readFileSync(options.textsFile, 'utf8'));
    const base = process.memoryUsage().rss;
    const out = { ok: true, baseMiB: mib(base) };
    const timed = async (step) => {
      const t0 = performance.now(), c0 = process.cpuUsage();
      const value = await step();
      const cu = process.cpuUsage(c0);
      return { value, ms: performance.now() - t0, cpuMs: (cu.user + cu.system) / 1000 };
    };
    if (kind === 'convert') {
      const node = await import(modules.staticNode);
      const step = await timed(() => node.loadGloveVectors({ cacheDir: options.cacheDir }));
      Object.assign(out, { ms: step.ms, cpuMs: step.cpuMs, tableBytes: step.value.toBytes().length });
    } else if (kind === 'load') {
      const node = await import(modules.staticNode);
      const step = await timed(() => node.loadGloveVectors({ cacheDir: options.cacheDir }));
      Object.assign(out, { ms: step.ms, cpuMs: step.cpuMs, tableBytes: step.value.toBytes().length });
    } else if (kind === 'glove-embed') {
      const node = await import(modules.staticNode);
      const { SifEmbedder } = await import(modules.staticEntry);
      const load = await timed(() => node.loadGloveVectors({ cacheDir: options.cacheDir }));
      const embedder = new SifEmbedder(load.value);
      const fit = await timed(() => embedder.fit(texts));
      const step = await timed(() => embedder.embed(texts));
      Object.assign(out, { ms: step.ms, cpuMs: step.cpuMs, loadMs: load.ms, fitMs: fit.ms, fitCpuMs: fit.cpuMs, textsPerSec: texts.length / (step.ms / 1000) });
    } else if (kind === 'transformers-embed') {
      const { transformersEmbedder } = await import(modules.transformers);
      const embedder = transformersEmbedder({ modelPath: options.modelDir });
      const load = await timed(() => embedder.load());
      const step = await timed(() => embedder.embed(texts));
      Object.assign(out, { ms: step.ms, cpuMs: step.cpuMs, loadMs: load.ms, textsPerSec: texts.length / (step.ms / 1000) });
      await embedder.dispose();
    }
    out.afterMiB = mib(process.memoryUsage().rss);
    out.peakMiB = mib(peak());
    process.stdout.write(JSON.stringify(out));
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: options.timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const reason = error.killed ? `timed out after ${options.timeoutMs / 1000} s` : (stderr.trim().split('\n').find((line) => /error/i.test(line)) ?? error.message).slice(0, 200);
        resolve({ ok: false, error: reason });
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ProbeResult);
      } catch {
        resolve({ ok: false, error: `unreadable output: ${stdout.slice(0, 80)}` });
      }
    });
  });
}

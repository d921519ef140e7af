import base from '@chunkwise/eslint-config';

// assembly/ is AssemblyScript (its own types and decorators), compiled by scripts/build-wasm.mjs.
export default [...base, { ignores: ['assembly/**'] }];

/**
 * Imports a peer at run time from node_modules. The bench bundle would otherwise inline it, which
 * breaks packages that locate native bindings (onnxruntime-node) or .wasm files (tfjs-backend-wasm)
 * next to their own sources; a non-literal specifier keeps esbuild from bundling it.
 */
export async function loadPeer<T>(specifier: string): Promise<T> {
  const name = specifier;
  return (await import(name)) as T;
}

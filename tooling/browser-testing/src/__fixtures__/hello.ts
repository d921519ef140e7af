(globalThis as { hello?: string }).hello = 'chunkwise-hello';

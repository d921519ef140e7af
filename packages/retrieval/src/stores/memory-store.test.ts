import { storeContract } from '../__fixtures__/store-contract.js';
import { MemoryStore } from './memory-store.js';

storeContract('MemoryStore', () => Promise.resolve(new MemoryStore()), { vectors: true });
storeContract('MemoryStore with HNSW', () => Promise.resolve(new MemoryStore({ hnsw: { M: 8 } })), { vectors: true });

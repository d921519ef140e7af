import { createHash } from 'node:crypto';
import { hashKey } from '@chunkwise/core';
import type { Suite } from '../harness.js';

/**
 * Proves the harness on something small and real: our WebCrypto `hashKey` against node:crypto
 * hashing the same JSON text. Ours does more (canonical key order, WTF-8, typed arrays), so the
 * ratio shows what that costs.
 */
const suite: Suite = {
  name: 'harness',
  description: '`hashKey` (canonical encoding + SHA-256: JS for small keys, WebCrypto for large) next to `node:crypto` SHA-256 over `JSON.stringify` of the same value.',
  cases() {
    const small = { model: 'text-embedding-3-small', input: 'Call me Ishmael.', dimensions: 384 };
    const large = { model: 'o200k_base', text: 'It is not down in any map; true places never are. '.repeat(20_000) };
    const smallBatch = 2_000;
    return [
      {
        name: `${smallBatch} small request keys`,
        items: smallBatch,
        contenders: [
          {
            name: 'hashKey',
            ours: true,
            run: async () => {
              let last = '';
              for (let i = 0; i < smallBatch; i++) last = await hashKey({ ...small, i });
              return last;
            },
          },
          {
            name: 'node:crypto sha256(JSON.stringify)',
            run: () => {
              let last = '';
              for (let i = 0; i < smallBatch; i++) last = createHash('sha256').update(JSON.stringify({ ...small, i })).digest('hex');
              return last;
            },
          },
        ],
      },
      {
        name: '1 MB text key',
        bytes: large.text.length,
        contenders: [
          { name: 'hashKey', ours: true, run: () => hashKey(large) },
          { name: 'node:crypto sha256(JSON.stringify)', run: () => createHash('sha256').update(JSON.stringify(large)).digest('hex') },
        ],
      },
    ];
  },
};

export default suite;

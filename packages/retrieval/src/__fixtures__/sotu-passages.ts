// The SOTU passages the retrieval benchmark indexes too: one packer, in @chunkwise/test-corpora.
export { sotuPassages, type SotuPassage as Passage } from '@chunkwise/test-corpora';

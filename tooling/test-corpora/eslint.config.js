export { default } from '@chunkwise/eslint-config';

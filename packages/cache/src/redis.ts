// Node-only entry: the Redis store needs ioredis (an optional peer dependency).
export { redisStore } from './stores/redis-store.js';
export type { RedisStore, RedisStoreOptions, RedisClusterNode } from './stores/redis-store.js';

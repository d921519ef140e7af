// Node-only entry: the SQLite store needs better-sqlite3 (an optional peer dependency).
export { sqliteStore } from './stores/sqlite-store.js';
export type { SqliteStore, SqliteStoreOptions } from './stores/sqlite-store.js';

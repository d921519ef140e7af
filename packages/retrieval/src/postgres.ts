export { PostgresStore, type PostgresStoreOptions, type PgQueryable } from './stores/postgres-store.js';
export type { Store, StoreRecord, StoredRecord, StoreSearchOptions, RecordMeta } from './stores/store.js';

export { PostgresStore, type PostgresStoreOptions, type PgQueryable, type PgPool } from './stores/postgres-store.js';
export type { Store, StoreRecord, StoredRecord, StoreSearchOptions, StoreRecordsOptions, SourceSyncResult, RecordMeta } from './stores/store.js';

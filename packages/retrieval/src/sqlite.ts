export { SqliteStore, type SqliteStoreOptions } from './stores/sqlite-store.js';
export type { Store, StoreRecord, StoredRecord, StoreSearchOptions, StoreRecordsOptions, SourceSyncResult, RecordMeta } from './stores/store.js';
export { verifySqliteStore, recoverSqliteStore, type SqliteStoreVerification } from './stores/verify-sqlite-store.js';

/** engine/store — SQLite evidence store (WAL, migrations, one writer) and the content-addressed blob store. */
export { openStore, DB_FILE, type Store, type OpenStoreOptions } from './store';
export { BlobStore, SMALL_BLOB_BYTES } from './blobs';
export { StoreError, type StoreErrorCode } from './errors';
export { resolveHome, defaultAppDataDir, type HomeOptions } from './home';
export { migrate, appliedVersions, type Migration } from './migrations';
export { ALL_MIGRATIONS } from './schema';
export { writeFileAtomic, writeStreamAtomic, fsyncDir, mkdirPrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, BLOB_FILE_MODE } from './atomic';
export { verifyRawChain, missingAppendOnlyGuards, type RawChainRow, type RawChainViolation, type RawChainViolationKind } from './raw-chain';

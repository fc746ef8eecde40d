/**
 * Every input limit of the engine, in one place. Chosen so that a hostile input fails fast with a
 * clear message naming the limit (exit 3) while every real document we know of passes, and so that the
 * hostile inputs of issue 8 (a 200 MB string field, a `.tar.gz` of 150 MB documents, an image of
 * zero-filled 250 MB jars, an rpmdb whose blob column is a generated `zeroblob(300000000)`) keep the
 * whole process under 768 MB of peak RSS. Hosts may raise a limit explicitly per call.
 *
 * The README ("Limits") lists the same numbers; plug-in limits live in the plug-ins (they cannot import
 * the engine) and are listed there too: lang/java archive caps, os/rpm database caps.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Documents parsed into memory whole: SBOMs (and the defaults advisory import derives from). */
export interface InputLimits {
  /** Largest document read into memory (bytes); checked against the file size before reading. */
  maxDocumentBytes: number;
  /** Deepest JSON/XML nesting accepted. */
  maxDepth: number;
  /** YAML alias expansions allowed (billion-laughs guard). */
  maxYamlAliases: number;
  /**
   * Longest single string value, checked on the raw bytes before the document is decoded or parsed:
   * a JSON string (UTF-8 bytes between its quotes, escapes counted as written), an XML text node or
   * attribute value (the run between two markup characters), or one line of a line-based format (YAML,
   * SPDX tag-value, CSV). One 200 MB field would otherwise be copied 5–7 times on its way to the store
   * (decoded text, parsed value, normalized record, canonical JSON, its bytes).
   */
  maxStringBytes: number;
}

export const DEFAULT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxDocumentBytes: 512 * MiB,
  maxDepth: 256,
  maxYamlAliases: 100,
  maxStringBytes: 8 * MiB,
});

/** Advisory import (`stella advisories import`, the app's import job). */
export interface AdvisoryImportLimits {
  /**
   * Largest single advisory document: a file, an archive member, a decompressed `.gz`, one JSONL line.
   * Checked against the declared size (file size, tar header, zip directory) before any byte is read,
   * and again while inflating. The largest real feeds (the Debian security tracker JSON, an NVD API
   * page) are well below it.
   */
  maxDocumentBytes: number;
  /** Raw bytes of the documents written in one transaction; with one batch being written while the next is read, at most two batches are in memory. */
  maxBatchBytes: number;
  /** Documents written in one transaction (whichever of the two bounds is reached first). */
  maxBatchDocuments: number;
  /** Members read from one archive (zip-bomb guard). */
  maxArchiveMembers: number;
}

export const ADVISORY_IMPORT_LIMITS: Readonly<AdvisoryImportLimits> = Object.freeze({
  maxDocumentBytes: 128 * MiB,
  maxBatchBytes: 16 * MiB,
  maxBatchDocuments: 500,
  maxArchiveMembers: 1_000_000,
});

/** Image layers, root filesystems and single files read by the scanner (`stella inventory`, scans). */
export interface ScanLimits {
  /** Ceiling on any one selected file handed to an analyzer (each plug-in manifest may set a lower `maxFileBytes`). */
  maxFileBytes: number;
  /**
   * The per-layer read budget: bytes of selected files analyzers may read from one layer (one root
   * filesystem, one file), all analyzers together. Files are admitted in a fixed order (the layer's tar
   * order; path order for a directory) while they fit; a file that does not fit — or is bigger than the
   * whole budget — becomes a located issue naming this limit and is not read.
   */
  maxSelectedBytes: number;
  /**
   * Of the admitted bytes of an image layer, how many are kept in memory while the layer streams; the
   * rest (and every file above `spoolFileBytes`) is spooled to a private temporary folder, so memory does
   * not grow with the number of big files in a layer.
   */
  maxInMemorySelectedBytes: number;
  /** Selected files larger than this are always spooled to disk rather than kept in memory. */
  spoolFileBytes: number;
  /** Largest uncompressed layer stream (gzip/zstd bomb guard). */
  maxLayerBytes: number;
  /** Most entries indexed per layer. */
  maxEntries: number;
  /** Past `ratioCheckAfterBytes` of output, a layer expanding more than this many times its stored size is a bomb. */
  maxCompressionRatio: number;
  ratioCheckAfterBytes: number;
  /** Layers analyzed at the same time (each in its own worker thread, each with its own read budget). */
  maxConcurrentLayers: number;
}

export const DEFAULT_SCAN_LIMITS: Readonly<ScanLimits> = Object.freeze({
  maxFileBytes: 256 * MiB,
  maxSelectedBytes: 512 * MiB,
  maxInMemorySelectedBytes: 64 * MiB,
  spoolFileBytes: 4 * MiB,
  maxLayerBytes: 32 * GiB,
  maxEntries: 2_000_000,
  maxCompressionRatio: 250,
  ratioCheckAfterBytes: 1 * GiB,
  maxConcurrentLayers: 2,
});

/**
 * V8 heap limits (`worker_threads` `resourceLimits`) of the worker threads. A worker that reaches them
 * is stopped by V8 (`ERR_WORKER_OUT_OF_MEMORY`); the host reports which limit was reached and what the
 * worker was doing, instead of the process swapping or dying. Buffers (file bytes) live outside the V8
 * heap: the byte limits above bound those.
 */
export interface WorkerHeapLimits {
  /** Old generation (long-lived objects). */
  maxOldGenerationSizeMb: number;
  /** Young generation (short-lived objects). */
  maxYoungGenerationSizeMb: number;
  /** Stack of the thread's main JavaScript execution. */
  stackSizeMb: number;
}

export const WORKER_HEAP_LIMITS: Readonly<{ engine: Readonly<WorkerHeapLimits>; scannerLayer: Readonly<WorkerHeapLimits> }> = Object.freeze({
  /** app/workers engine workers (the store writer and the readers): imports, scans, exports. */
  engine: Object.freeze({ maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48, stackSizeMb: 4 }),
  /** engine/scanner layer workers: the analyzer plug-ins run here, on an attacker's files. */
  scannerLayer: Object.freeze({ maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 }),
});

/** `12 MiB`, `300 MB`-style wording for messages: exact bytes plus a readable size. */
export function describeBytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n} bytes (${n / GiB} GiB)`;
  if (n >= MiB && n % MiB === 0) return `${n} bytes (${n / MiB} MiB)`;
  if (n >= KiB && n % KiB === 0) return `${n} bytes (${n / KiB} KiB)`;
  return `${n} bytes`;
}

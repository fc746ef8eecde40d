/** Serializable shapes shared by the scanner, its workers and its cache. */
import type { AnalyzerResult, IssueSeverity } from '../../../plugins/sdk';

/** A located problem found while reading a target: which layer, which path, what was expected. */
export interface ScanIssue {
  severity: IssueSeverity;
  message: string;
  /** Absolute path inside the image/rootfs (`/var/lib/dpkg/status`), or the target file. */
  path?: string;
  /** Layer diffID (or blob digest when the diffID is unknown). */
  layer?: string;
  /** Analyzer that reported it (`os/dpkg@1`). */
  plugin?: string;
  line?: number;
}

/** Entry kinds in a layer's file index. */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'whiteout' | 'opaque';

/** [root-relative path, kind, size, link target] — compact because a layer has tens of thousands. */
export type IndexEntry = [path: string, kind: EntryKind, size: number, link?: string];

/** A related file an analyzer opened through the filesystem view. */
export interface ViewRead {
  /** Absolute path as resolved. */
  path: string;
  /** Images: how many layers below the analyzed one the file came from (0 = that layer); absent = not found. */
  depth?: number;
}

export interface AnalyzerRun {
  foundBy: string;
  result: AnalyzerResult;
  /** Related files read through the view (for the staleness check across layers). */
  reads?: ViewRead[];
}

/** Everything the squash needs from one layer (or one rootfs / one file): cacheable per layer digest. */
export interface LayerScan {
  entries: IndexEntry[];
  analyzers: AnalyzerRun[];
  /** Contents of OS identification files present in this layer, by root-relative path. */
  osFiles: Record<string, string>;
  issues: ScanIssue[];
  /** sha256 of the uncompressed tar stream (images only). */
  diffId?: string;
  /** sha256 of the bytes as stored (images only). */
  blobDigest?: string;
  /** False when the stream ended in an error: the index and results are partial and never cached. */
  complete: boolean;
  /**
   * An analyzer's view lookup needed the layers below this one: the results depend on them too, so they
   * are cached under the layer chain (this layer and every one below), not the layer digest alone.
   */
  dependsOnLower?: boolean;
}

/** The limits live with every other limit in engine/core/limits.ts. */
export { DEFAULT_SCAN_LIMITS, type ScanLimits } from '../../core';

/** Root-relative paths of files whose content OS detection reads. */
export const OS_FILES = ['etc/os-release', 'usr/lib/os-release', 'etc/debian_version', 'etc/alpine-release', 'etc/lsb-release', 'etc/redhat-release'];

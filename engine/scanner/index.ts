/** engine/scanner — image readers, layer walk + whiteouts, the analyzer plug-in host and the layer cache. */
export {
  inventoryTarget,
  detectTargetKind,
  type TargetKind,
  type InventoryOptions,
  type InventoryResult,
  type InventoryDocument,
  type InventoryPackage,
  type InventoryProgress,
  type ImageInfo,
  type ScanIssue,
  type ScanLimits,
  type OsInfo,
} from './inventory';
export { loadPlugins, loadPluginsUncached, loadVerifiedPlugins, describePlugins, defaultPluginsDir, type PluginSet, type LoadedAnalyzer, type RefusedPlugin, type VerifiedEntry } from './plugins';
export { ScannerError, type ScannerErrorCode } from './errors';
export { imageProperties, imageFromProperties, type ImageDetails, type ImageLayerDetails } from './image-properties';
export { openSqliteReadOnly } from './_internal/sqlite';

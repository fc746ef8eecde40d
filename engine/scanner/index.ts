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
export {
  loadPlugins,
  loadPluginsUncached,
  loadVerifiedPlugins,
  describePlugins,
  defaultPluginsDir,
  readPluginFolder,
  builtinPluginNames,
  type PluginFolder,
  type PluginSet,
  type PluginSources,
  type PluginOrigin,
  type PluginRefusalCode,
  type PluginListing,
  type PluginsDescription,
  type LoadedAnalyzer,
  type RefusedPlugin,
  type VerifiedEntry,
} from './plugins';
export {
  PLUGIN_LAYOUT,
  PLUGIN_PREDICATE_TYPE,
  thirdPartyPluginsDir,
  type BuiltinPluginDigest,
  type PluginPredicate,
  type PluginSignatureCheck,
  type PluginSignatureInput,
  type PluginSignatureRefusal,
  type PluginSignatureVerifier,
} from './plugin-layout';
export { ScannerError, type ScannerErrorCode } from './errors';
export { imageProperties, imageFromProperties, type ImageDetails, type ImageLayerDetails } from './image-properties';
export { openSqliteReadOnly } from './_internal/sqlite';
/** The built-in plug-ins' digests, compiled into the engine at build time (build/scripts/build-plugins.mjs). */
export { BUILTIN_PLUGINS } from './_internal/builtin-plugins.gen';

/**
 * Channel and event names as plain data, without zod: the sandboxed Electron preload can't load
 * node_modules, so it checks its allow-list against these. channels.ts asserts they match the schemas.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'files.open',
  'sbom.import',
  'sbom.list',
  'sbom.get',
  'sbom.export',
  'advisories.import',
  'advisories.snapshot',
  'advisories.linkset',
  'advisories.search',
  'scan.run',
  'scan.target',
  'scan.list',
  'findings.list',
  'findings.explain',
  'export.evidence',
  'export.verify',
  'export.file',
  'report.html',
  'jobs.list',
  'jobs.cancel',
  'plugins.list',
] as const;

export const EVENT_NAMES = ['job.progress', 'job.finished', 'store.changed', 'files.dropped'] as const;

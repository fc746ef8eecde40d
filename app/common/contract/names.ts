/**
 * Channel and event names as plain data, without zod: the sandboxed Electron preload can't load
 * node_modules, so it checks its allow-list against these. channels.ts asserts they match the schemas.
 */
/** Image view, keys, trust roots, attestations, the transparency log, the audit trail, VEX trust settings. */
export const IMAGE_AND_TRUST_CHANNEL_NAMES = [
  'image.get',
  'keys.list',
  'keys.generate',
  'keys.exportPublic',
  'trust.list',
  'trust.add',
  'trust.remove',
  'attest.list',
  'attest.verify',
  'log.info',
  'log.proof',
  'audit.list',
  'audit.verify',
] as const;

/**
 * What a file is for, where the UI names it: the native open dialog's filters (`files.open`) and the
 * drop zone a file was dropped on (`data-drop-purpose`, reported with `files.dropped`).
 */
export const FILE_PURPOSES = ['sbom', 'advisories', 'image', 'attestation', 'artifact', 'trust-root', 'key', 'vex', 'kit', 'bundle'] as const;

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
  'files.chooseFolder',
  'kits.import',
  'kits.build',
  'mirror.export',
  'media.write',
  'kits.status',
  'kits.quarantine',
  'feeds.age',
  'notify.rules',
  'notify.setRules',
  'notify.test',
  'notify.since',
  'vex.import',
  'vex.statements',
  'vex.consensus',
  'vex.unmatched',
  'vex.triage',
  'vex.export',
  'vex.trust',
  'vex.trust.set',
  'policy.lint',
  'policy.test',
  'policy.compile',
  'policy.evaluate',
  'policy.explain',
  'policy.simulate',
  'policy.packs',
  'policy.history',
  'policy.active',
  'policy.approve',
  'policy.activate',
  'policy.import',
  'policy.reevaluate',
  'plugins.list',
  'media.list',
  'firstrun.inventory',
  ...IMAGE_AND_TRUST_CHANNEL_NAMES,
] as const;

export const EVENT_NAMES = ['job.progress', 'job.finished', 'store.changed', 'files.dropped', 'notify.desktop'] as const;

/**
 * Pure logic of the Export wizard: what each bundle type needs before it can start, the step order, and
 * the request each type sends. The target comes from `media.list` (granted folders) or, in Electron,
 * `files.chooseFolder`; the exports folder itself is a target too (then there is nothing to read back).
 */
import type { FileRef, FolderRef, MediaVolumeView } from '../../../common/contract';

export type BundleType = 'evidence' | 'mirror' | 'kit';
export const STEPS = ['type', 'target', 'progress', 'result'] as const;
export type Step = (typeof STEPS)[number];

export interface WizardForm {
  type: BundleType;
  // evidence
  scanId: string;
  pack: string;
  // mirror
  mirrorMode: 'full' | 'delta';
  since: string;
  // kit
  channel: 'stable' | 'edge';
  version: string;
  feeds: (FileRef | FolderRef)[];
  vex: (FileRef | FolderRef)[];
  plugins: FolderRef[];
  policyPacks: (FileRef | FolderRef)[];
  // all signed types
  key: string;
}

export function initialForm(scanId = ''): WizardForm {
  return { type: 'evidence', scanId, pack: '', mirrorMode: 'full', since: '', channel: 'stable', version: '', feeds: [], vex: [], plugins: [], policyPacks: [], key: '' };
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** What is still missing for step 1 (empty when the type's form is complete). The passphrase is checked at submit. */
export function typeProblems(f: WizardForm): string[] {
  const out: string[] = [];
  switch (f.type) {
    case 'evidence':
      if (!f.scanId) out.push('choose the scan to export');
      break;
    case 'mirror':
      if (f.mirrorMode === 'delta' && f.since.trim().length < 8) out.push('a delta needs the snapshot it starts from (the feed snapshot id an earlier bundle printed)');
      break;
    case 'kit':
      if (!SEMVER.test(f.version.trim())) out.push('the kit version must be a semantic version such as 1.4.0');
      if (f.feeds.length === 0) out.push('add at least one advisory feed (files or folders)');
      break;
  }
  return out;
}

/** The file or folder name the build writes in the exports folder. */
export function outputName(f: WizardForm): string {
  switch (f.type) {
    case 'evidence':
      return `stella-evidence-${f.scanId}.tar.gz`;
    case 'mirror':
      return `stella-mirror-${f.mirrorMode}`;
    case 'kit':
      return `stella-kit-${f.channel}-${f.version.trim()}.tar.gz`;
  }
}

/** A target's free-space line (null when the OS did not say). */
export function freeSpaceText(v: Pick<MediaVolumeView, 'freeBytes' | 'sizeBytes'>, fmt: (n: number) => string): string | null {
  if (v.freeBytes === null) return null;
  return `${fmt(v.freeBytes)} free${v.sizeBytes !== null ? ` of ${fmt(v.sizeBytes)}` : ''}`;
}

/** Whether the target is the exports folder itself (the build's own output: no copy, no read-back). */
export function isExportsTarget(target: FolderRef, exportsDir: FolderRef | undefined): boolean {
  return !!exportsDir && target.path === exportsDir.path;
}

/** The next step a keyboard user may go to (never past a step whose prerequisites are missing). */
export function canAdvance(step: Step, f: WizardForm, target: FolderRef | null): boolean {
  switch (step) {
    case 'type':
      return typeProblems(f).length === 0;
    case 'target':
      return target !== null;
    case 'progress':
    case 'result':
      return false;
  }
}

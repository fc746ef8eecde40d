/** Native open dialogs: per-purpose filters; chosen paths are granted so the renderer may name them. */
import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import type { FileRef, FolderRef } from '../../common/contract';
import type { PathGrants } from '../host/files';

export type OpenPurpose = 'sbom' | 'advisories' | 'image';

const FILTERS: Record<OpenPurpose, { title: string; filters: { name: string; extensions: string[] }[] }> = {
  sbom: {
    title: 'Open SBOM',
    filters: [
      { name: 'SBOM documents (CycloneDX, SPDX, Syft, Trivy)', extensions: ['json', 'xml', 'spdx', 'yaml', 'yml', 'jsonld', 'cdx'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  advisories: {
    title: 'Import advisories',
    filters: [
      { name: 'Advisory feeds (OSV, GHSA, CVE 5, CSAF, distro feeds, KEV, EPSS)', extensions: ['json', 'jsonl', 'xml', 'csv', 'yaml', 'yml', 'zip', 'tar', 'gz', 'tgz', 'bz2', 'zst'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  image: {
    title: 'Open container image',
    filters: [
      { name: 'Image archives (docker save, OCI layout tar)', extensions: ['tar', 'gz', 'tgz'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

export function openDialogOptions(purpose: OpenPurpose, multiple: boolean): OpenDialogOptions {
  const f = FILTERS[purpose];
  return {
    title: f.title,
    buttonLabel: purpose === 'advisories' ? 'Import' : 'Open',
    filters: f.filters,
    properties: ['openFile', ...(multiple ? (['multiSelections'] as const) : []), 'dontAddToRecent'],
  };
}

export async function openFiles(dialog: Pick<Dialog, 'showOpenDialog'>, window: BaseWindow | null, grants: PathGrants, purpose: OpenPurpose, multiple = false): Promise<FileRef[]> {
  const opts = openDialogOptions(purpose, multiple);
  const r = window ? await dialog.showOpenDialog(window, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return [];
  return r.filePaths.map((p) => grants.grant(p));
}

export type FolderPurpose = 'media' | 'kit-inputs' | 'output';

const FOLDER_TITLES: Record<FolderPurpose, { title: string; button: string }> = {
  media: { title: 'Choose the removable medium (or a folder on it)', button: 'Write here' },
  'kit-inputs': { title: 'Choose feed, VEX, plug-in or policy-pack folders', button: 'Choose' },
  output: { title: 'Choose where to write', button: 'Choose' },
};

/** A native folder dialog; the chosen folders are granted (jobs may read or write below them). */
export async function chooseFolders(dialog: Pick<Dialog, 'showOpenDialog'>, window: BaseWindow | null, grants: PathGrants, purpose: FolderPurpose, multiple = false): Promise<FolderRef[]> {
  const t = FOLDER_TITLES[purpose];
  const opts: OpenDialogOptions = { title: t.title, buttonLabel: t.button, properties: ['openDirectory', 'createDirectory', ...(multiple ? (['multiSelections'] as const) : []), 'dontAddToRecent'] };
  const r = window ? await dialog.showOpenDialog(window, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return [];
  return r.filePaths.map((p) => grants.grantFolder(p));
}

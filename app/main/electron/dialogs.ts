/** Native open dialogs: per-purpose filters; chosen paths are granted so the renderer may name them. */
import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import type { FilePurpose, FileRef, FolderRef } from '../../common/contract';
import type { PathGrants } from '../host/files';

export type OpenPurpose = FilePurpose;

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
  attestation: {
    title: 'Open attestation',
    filters: [
      { name: 'Sigstore bundles, DSSE envelopes, in-toto bundles', extensions: ['json', 'jsonl', 'sigstore', 'intoto', 'dsse'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  artifact: { title: 'Choose the artifact the attestation is about', filters: [{ name: 'All files', extensions: ['*'] }] },
  kit: {
    title: 'Open an Offline Update Kit',
    filters: [
      { name: 'Offline Update Kits (.tar.gz, or the first .part000 of a split kit)', extensions: ['gz', 'tgz', 'part000'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  bundle: {
    title: 'Open an evidence bundle',
    filters: [
      { name: 'Evidence bundles (.tar.gz)', extensions: ['gz', 'tgz'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  key: {
    title: 'Choose a public key',
    filters: [
      { name: 'PEM public keys', extensions: ['pem', 'pub'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  vex: {
    title: 'Import VEX documents',
    filters: [
      { name: 'VEX documents (OpenVEX, CSAF VEX, CycloneDX VEX)', extensions: ['json', 'xml', 'cdx'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  'trust-root': {
    title: 'Add a trust root',
    filters: [
      { name: 'PEM public keys and trusted_root.json', extensions: ['pem', 'pub', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

const BUTTONS: Record<OpenPurpose, string> = { sbom: 'Open', advisories: 'Import', image: 'Open', attestation: 'Verify', artifact: 'Choose', 'trust-root': 'Add', key: 'Choose', vex: 'Import', kit: 'Open', bundle: 'Verify' };

/**
 * `directory`: a folder dialog (an OCI layout or root filesystem for `image`). Linux and Windows dialogs
 * cannot offer files and folders at once, so the UI asks for one or the other.
 */
export function openDialogOptions(purpose: OpenPurpose, multiple: boolean, directory = false): OpenDialogOptions {
  const f = FILTERS[purpose];
  if (directory) {
    return { title: purpose === 'image' ? 'Open an OCI layout or root filesystem folder' : f.title, buttonLabel: BUTTONS[purpose], properties: ['openDirectory', ...(multiple ? (['multiSelections'] as const) : []), 'dontAddToRecent'] };
  }
  return {
    title: f.title,
    buttonLabel: BUTTONS[purpose],
    filters: f.filters,
    properties: ['openFile', ...(multiple ? (['multiSelections'] as const) : []), 'dontAddToRecent'],
  };
}

export async function openFiles(dialog: Pick<Dialog, 'showOpenDialog'>, window: BaseWindow | null, grants: PathGrants, purpose: OpenPurpose, multiple = false, directory = false): Promise<FileRef[]> {
  const opts = openDialogOptions(purpose, multiple, directory);
  const r = window ? await dialog.showOpenDialog(window, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return [];
  return r.filePaths.map((p) => grants.grant(p, { directory }));
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

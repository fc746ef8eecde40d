/**
 * Which OS package installed a language package. OS analyzers record the files each package installed
 * (apk `R:` lines and rpm file lists on the record itself; dpkg's `info/<pkg>.list` as `installedFiles`,
 * which may sit in another layer than the status file and are joined here from the topmost layer where the
 * list is still visible). A language package whose every location (its METADATA / PKG-INFO, jar, binary…)
 * was installed by an OS package **from the distro vendor** is attributed to that package (`ownedBy`): the
 * distro's advisories speak for it, because the distro backports fixes the upstream version number does
 * not show. Packages from third-party repositories stay plain language packages (as Trivy tells them
 * apart, trivy#9916).
 *
 * Vendor: deb — a Maintainer address at debian.org (including lists. and tracker.) / ubuntu.com /
 * canonical.com; rpm — a Vendor naming a distribution vendor; apk — the database records no repository,
 * so an apk package on an Alpine, Wolfi or Chainguard system is taken as the distro's.
 */
import type { OsInfo } from './os';
import type { FinalPackage, LayerView, Squash } from './squash';

const rel = (p: string): string => p.replace(/^\/+/, '');

const DEB_VENDOR_MAIL = /<[^>]*@(?:[a-z0-9-]+\.)*(?:debian\.org|ubuntu\.com|canonical\.com)>/i;
const RPM_VENDORS = /^(?:Red Hat|Fedora Project|CentOS|AlmaLinux|Rocky Enterprise Software Foundation|Rocky Linux|SUSE|openSUSE|Oracle America|Amazon(?:\.com| Linux)|VMware|Broadcom|Microsoft|Mariner|openEuler|Mageia|Photon)/i;
const APK_DISTROS = new Set(['alpine', 'wolfi', 'chainguard']);

/** Is this OS package the distribution vendor's own (not a third-party repository's)? */
export function isDistroVendorPackage(p: FinalPackage, os: OsInfo | null): boolean {
  const props = p.record.properties ?? {};
  switch (p.record.purl.type) {
    case 'deb':
      return DEB_VENDOR_MAIL.test(props.maintainer ?? '');
    case 'rpm':
      return RPM_VENDORS.test((props.vendor ?? '').trim());
    case 'apk':
      return os !== null && APK_DISTROS.has(os.id.toLowerCase());
    default:
      return false;
  }
}

/**
 * Files installed by each final OS package: its record's own `files`, else the `installedFiles` list of the
 * same analyzer for the same package from the topmost layer where that list file is still visible.
 */
export function installedFilesOf(sq: Squash, packages: readonly FinalPackage[]): Map<FinalPackage, string[]> {
  const lists = new Map<string, string[]>();
  sq.layers.forEach((view: LayerView, i) => {
    for (const run of view.scan.analyzers) {
      for (const l of run.result.installedFiles ?? []) {
        if (sq.visible(i, rel(l.source))) lists.set(`${run.foundBy}\0${l.package}`, l.paths);
      }
    }
  });
  const out = new Map<FinalPackage, string[]>();
  for (const p of packages) {
    if (!p.record.distroBound) continue;
    const files = p.record.files ?? lists.get(`${p.foundBy}\0${p.record.id}`) ?? lists.get(`${p.foundBy}\0${p.record.name}`);
    if (files?.length) out.set(p, files);
  }
  return out;
}

/** Language package → purl of the distro-vendor OS package that installed all its locations. */
export function ownersOf(packages: readonly FinalPackage[], files: ReadonlyMap<FinalPackage, string[]>, os: OsInfo | null): Map<FinalPackage, string> {
  const ownerOfPath = new Map<string, FinalPackage>();
  // Deterministic when two packages list the same path (shared directories): the first by purl wins.
  const owners = [...files.keys()].filter((p) => isDistroVendorPackage(p, os)).sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  for (const o of owners) for (const f of files.get(o) ?? []) if (!ownerOfPath.has(f)) ownerOfPath.set(f, o);
  const out = new Map<FinalPackage, string>();
  if (!ownerOfPath.size) return out;
  for (const p of packages) {
    if (p.record.distroBound || !p.locations.length) continue;
    if (!p.locations.every((l) => ownerOfPath.has(l))) continue;
    const primary = ownerOfPath.get(p.record.locations[0] ?? '') ?? ownerOfPath.get(p.locations[0] as string);
    if (primary) out.set(p, primary.purl);
  }
  return out;
}

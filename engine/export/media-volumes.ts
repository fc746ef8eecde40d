/**
 * Which removable media the operating system has mounted, and how much room each has — what the export
 * wizard offers as targets. Linux: `/proc/mounts` joined with `/sys/class/block/<dev>` (the disk's
 * `removable` flag; udisks mount points under /media and /run/media count too, since USB disks often
 * report `removable = 0`); macOS: `/Volumes/*` except the boot volume; Windows: logical disks of drive
 * type 2 (removable) from PowerShell's `Win32_LogicalDisk`. Folders the host allows (the app's exports
 * folder, `--media DIR`) are listed beside them. The parsers are pure; the file system is injected.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface MediaVolume {
  /** Absolute path of the folder to write into (a mount point, or an allowed folder). */
  path: string;
  /** What the user knows it by: the volume label / mount point name, or the folder's name. */
  label: string;
  /** `removable`: a mounted medium the OS reports; `folder`: a folder the host allows (`--media`); `exports`: the home's exports folder. */
  kind: 'removable' | 'folder' | 'exports';
  device: string | null;
  fsType: string | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  writable: boolean;
}

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
}

/** `/proc/mounts` lines → entries (`\040`-style octal escapes decoded). */
export function parseProcMounts(text: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mountPoint, fsType] = line.trim().split(/\s+/);
    if (!device || !mountPoint || !fsType) continue;
    out.push({ device: unescape(device), mountPoint: unescape(mountPoint), fsType });
  }
  return out;
}

/** File systems that are never a medium to carry data out on. */
const VIRTUAL_FS = new Set(['proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore', 'bpf', 'debugfs', 'tracefs', 'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'autofs', 'overlay', 'squashfs', 'nsfs', 'binfmt_misc', 'efivarfs', 'ramfs', 'rpc_pipefs', 'nfsd']);

export interface SysBlock {
  /** `/sys/class/block/<name>/removable` of the whole disk the partition `<name>` is on; null when unknown. */
  removable(devName: string): boolean | null;
}

/** The real sysfs: a partition's disk is the parent folder of its `/sys/class/block/<dev>` link target. */
export const realSysBlock: SysBlock = {
  removable(devName) {
    try {
      const link = realpathSync(join('/sys/class/block', devName));
      const disk = existsSync(join(link, 'partition')) ? dirname(link) : link;
      return readFileSync(join(disk, 'removable'), 'utf8').trim() === '1';
    } catch {
      return null;
    }
  },
};

/** Removable mounts among `/proc/mounts` entries: a block device whose disk is removable, or a udisks mount point. */
export function removableMounts(mounts: readonly MountEntry[], sys: SysBlock): MountEntry[] {
  const seen = new Set<string>();
  const out: MountEntry[] = [];
  for (const m of mounts) {
    if (VIRTUAL_FS.has(m.fsType) || !m.device.startsWith('/dev/') || seen.has(m.mountPoint)) continue;
    const automounted = /^\/(run\/)?media\//.test(m.mountPoint);
    if (automounted || sys.removable(basename(m.device)) === true) {
      seen.add(m.mountPoint);
      out.push(m);
    }
  }
  return out.sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}

interface WinDisk {
  DeviceID?: unknown;
  DriveType?: unknown;
  VolumeName?: unknown;
  FileSystem?: unknown;
  Size?: unknown;
  FreeSpace?: unknown;
}

/** PowerShell's `Win32_LogicalDisk | ConvertTo-Json` → removable drives (DriveType 2). */
export function parseWindowsDisks(json: string): MediaVolume[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const list = (Array.isArray(parsed) ? parsed : [parsed]) as WinDisk[];
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  return list
    .filter((d) => d && d.DriveType === 2 && typeof d.DeviceID === 'string')
    .map((d) => ({
      path: `${d.DeviceID as string}\\`,
      label: typeof d.VolumeName === 'string' && d.VolumeName ? `${d.VolumeName} (${d.DeviceID as string})` : (d.DeviceID as string),
      kind: 'removable' as const,
      device: d.DeviceID as string,
      fsType: typeof d.FileSystem === 'string' ? d.FileSystem : null,
      sizeBytes: num(d.Size),
      freeBytes: num(d.FreeSpace),
      writable: true,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function space(path: string): { sizeBytes: number | null; freeBytes: number | null } {
  try {
    const s = statfsSync(path);
    return { sizeBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  } catch {
    return { sizeBytes: null, freeBytes: null };
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function mountVolume(m: MountEntry): MediaVolume {
  return { path: m.mountPoint, label: basename(m.mountPoint) || m.mountPoint, kind: 'removable', device: m.device, fsType: m.fsType, ...space(m.mountPoint), writable: writable(m.mountPoint) };
}

async function windowsRemovable(signal?: AbortSignal): Promise<MediaVolume[]> {
  const script = 'Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType,VolumeName,FileSystem,Size,FreeSpace | ConvertTo-Json -Compress';
  return new Promise((done) => {
    execFile('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { timeout: 10_000, windowsHide: true, ...(signal ? { signal } : {}) }, (err, stdout) => done(err ? [] : parseWindowsDisks(stdout)));
  });
}

function macVolumes(): MediaVolume[] {
  let names: string[] = [];
  try {
    names = readdirSync('/Volumes');
  } catch {
    return [];
  }
  const root = statSync('/').dev;
  const out: MediaVolume[] = [];
  for (const name of names.sort()) {
    const p = join('/Volumes', name);
    try {
      // the boot volume appears in /Volumes as a link to /
      if (statSync(p).dev === root) continue;
    } catch {
      continue;
    }
    out.push({ path: p, label: name, kind: 'removable', device: null, fsType: null, ...space(p), writable: writable(p) });
  }
  return out;
}

export interface ListMediaOptions {
  platform?: NodeJS.Platform;
  /** Linux: the mount table (default: `/proc/mounts`). */
  procMounts?: () => string;
  sys?: SysBlock;
  signal?: AbortSignal;
}

/** The mounted removable media the OS reports (sorted by path), best effort: a platform that says nothing gives none. */
export async function listRemovableMedia(opts: ListMediaOptions = {}): Promise<MediaVolume[]> {
  const platform = opts.platform ?? process.platform;
  switch (platform) {
    case 'linux': {
      let text = '';
      try {
        text = (opts.procMounts ?? (() => readFileSync('/proc/mounts', 'utf8')))();
      } catch {
        return [];
      }
      return removableMounts(parseProcMounts(text), opts.sys ?? realSysBlock).map(mountVolume);
    }
    case 'darwin':
      return macVolumes();
    case 'win32':
      return windowsRemovable(opts.signal);
    default:
      return [];
  }
}

/** A folder the host allows as a target, described like a medium (absent folders are left out). */
export function folderVolume(path: string, label?: string): MediaVolume | null {
  const p = resolve(path);
  try {
    if (!statSync(p).isDirectory()) return null;
  } catch {
    return null;
  }
  return { path: p, label: label ?? basename(p), kind: 'folder', device: null, fsType: null, ...space(p), writable: writable(p) };
}

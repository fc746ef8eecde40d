import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderVolume, listRemovableMedia, parseProcMounts, parseWindowsDisks, removableMounts, type SysBlock } from './media-volumes';

const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid 0 0',
  'proc /proc proc rw 0 0',
  '/dev/nvme0n1p2 / ext4 rw,relatime 0 0',
  'tmpfs /run tmpfs rw 0 0',
  '/dev/sdb1 /run/media/alice/USB\\040STICK vfat rw,nosuid 0 0',
  '/dev/sdc1 /mnt/backup ext4 rw 0 0',
  '/dev/sdd1 /mnt/card exfat rw 0 0',
  '/dev/sdd1 /mnt/card exfat rw 0 0',
  'overlay /var/lib/docker/overlay2/x overlay rw 0 0',
].join('\n');

const sys = (removable: Record<string, boolean>): SysBlock => ({ removable: (dev) => removable[dev] ?? null });

test('parseProcMounts decodes octal escapes and skips blank lines', () => {
  const m = parseProcMounts(`${MOUNTS}\n\n`);
  assert.equal(m.length, 9);
  assert.deepEqual(m[4], { device: '/dev/sdb1', mountPoint: '/run/media/alice/USB STICK', fsType: 'vfat' });
});

const cases: { name: string; removable: Record<string, boolean>; expect: string[] }[] = [
  { name: 'udisks mount points count even when the disk says not removable', removable: { sdb1: false }, expect: ['/run/media/alice/USB STICK'] },
  { name: 'a removable disk mounted anywhere counts, once', removable: { sdd1: true }, expect: ['/mnt/card', '/run/media/alice/USB STICK'] },
  { name: 'fixed disks, the root and virtual file systems never do', removable: { nvme0n1p2: false, sdc1: false }, expect: ['/run/media/alice/USB STICK'] },
];
for (const c of cases) {
  test(`removableMounts: ${c.name}`, () => {
    assert.deepEqual(
      removableMounts(parseProcMounts(MOUNTS), sys(c.removable)).map((m) => m.mountPoint),
      c.expect,
    );
  });
}

test('parseWindowsDisks keeps drive type 2 with label and space; a single object or bad JSON works', () => {
  const json = JSON.stringify([
    { DeviceID: 'C:', DriveType: 3, VolumeName: 'OS', FileSystem: 'NTFS', Size: 500, FreeSpace: 100 },
    { DeviceID: 'E:', DriveType: 2, VolumeName: 'KIT', FileSystem: 'FAT32', Size: 64, FreeSpace: 32 },
  ]);
  assert.deepEqual(parseWindowsDisks(json), [{ path: 'E:\\', label: 'KIT (E:)', kind: 'removable', device: 'E:', fsType: 'FAT32', sizeBytes: 64, freeBytes: 32, writable: true }]);
  assert.equal(parseWindowsDisks(JSON.stringify({ DeviceID: 'F:', DriveType: 2 })).length, 1);
  assert.deepEqual(parseWindowsDisks('not json'), []);
});

test('listRemovableMedia on Linux with an injected mount table; folderVolume of a real folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stella-vol-'));
  try {
    const vols = await listRemovableMedia({ platform: 'linux', procMounts: () => `/dev/sdz1 ${dir} vfat rw 0 0\n`, sys: sys({ sdz1: true }) });
    assert.equal(vols.length, 1);
    assert.equal(vols[0]?.path, dir);
    assert.equal(vols[0]?.writable, true);
    assert.ok((vols[0]?.freeBytes ?? 0) > 0, 'free space from statfs');
    assert.deepEqual(await listRemovableMedia({ platform: 'aix' }), []);
    assert.equal(folderVolume(join(dir, 'absent')), null);
    assert.equal(folderVolume(dir)?.kind, 'folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

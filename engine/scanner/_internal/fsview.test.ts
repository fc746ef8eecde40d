import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../build/test-support/fixtures';
import { ReadBudget } from './budget';
import { createFsView, DiskBackend, LayeredBackend } from './fsview';
import { readLayer } from './layer-read';
import type { LayerSource } from './layer';
import { viewOf } from './squash';
import { makeTar } from './testkit';
import { DEFAULT_SCAN_LIMITS, type ViewRead } from './types';

const limits = (over: Partial<{ maxFileBytes: number; maxFiles: number; budget: number }> = {}) => ({
  maxFileBytes: over.maxFileBytes ?? 1024,
  maxFiles: over.maxFiles ?? 100,
  budget: new ReadBudget(over.budget ?? 10_000, 1 << 30),
});

async function text(r: Awaited<ReturnType<ReturnType<typeof createFsView>['open']>>): Promise<string> {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.file.readText();
}

function rootfs(): string {
  const root = tempDir();
  mkdirSync(join(root, 'app', 'req'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'app', 'requirements.txt'), '-r req/base.txt\n');
  writeFileSync(join(root, 'app', 'req', 'base.txt'), 'django==2.2\n');
  writeFileSync(join(root, 'etc', 'secret'), 'inside the root');
  writeFileSync(join(root, 'app', 'big.txt'), 'x'.repeat(2000));
  symlinkSync('/etc/secret', join(root, 'app', 'abs-link'));
  symlinkSync('../../../../../../etc/passwd', join(root, 'app', 'climb'));
  return root;
}

test('fs view over a directory: relative paths, symlinks resolved inside the root, .. clamped at the root', async () => {
  const reads: ViewRead[] = [];
  const fs = createFsView(new DiskBackend(rootfs()), limits(), reads);
  assert.equal(await text(await fs.open('/app/req/../req/base.txt')), 'django==2.2\n');
  // an absolute link target starts at the target's root, never the host's
  assert.equal(await text(await fs.open('/app/abs-link')), 'inside the root');
  // climbing above the root stays at the root: /etc/passwd of the target (absent), not of this machine
  const climb = await fs.open('/app/climb');
  assert.equal(climb.ok, false);
  assert.equal(!climb.ok && climb.reason, 'not-found');
  assert.equal((await fs.open('/../../../etc/secret')).ok, true);
  assert.deepEqual(await fs.list('/app'), ['abs-link', 'big.txt', 'climb', 'req', 'requirements.txt']);
  assert.deepEqual(await fs.stat('/app/req'), { path: '/app/req', kind: 'dir', size: 0 });
  const dir = await fs.open('/app/req');
  assert.equal(!dir.ok && dir.reason, 'not-a-file');
  assert.deepEqual(reads.map((r) => r.path), ['/app/req/base.txt', '/etc/secret', '/app/climb', '/etc/secret', '/app/req']);
});

test('fs view limits: per file, per call, and the byte budget shared with the selected files', async () => {
  const root = rootfs();
  const big = await createFsView(new DiskBackend(root), limits({ maxFileBytes: 1000 }), []).open('/app/big.txt');
  assert.equal(!big.ok && big.reason, 'too-large');
  const count = createFsView(new DiskBackend(root), limits({ maxFiles: 1 }), []);
  assert.equal((await count.open('/app/requirements.txt')).ok, true);
  const second = await count.open('/app/req/base.txt');
  assert.equal(!second.ok && second.reason, 'budget-exhausted');
  // the host already spent most of the budget on the files it selected
  const budget = new ReadBudget(20, 1 << 30);
  assert.ok(budget.admit(10).ok);
  const shared = createFsView(new DiskBackend(root), { maxFileBytes: 1000, maxFiles: 10, budget }, []);
  const over = await shared.open('/app/req/base.txt');
  assert.equal(!over.ok && over.reason, 'budget-exhausted');
  assert.match(!over.ok ? over.message : '', /^\/app\/req\/base\.txt: related file is 12 bytes; only 10 bytes are left of the layer's read budget/);
  assert.equal(budget.spent, 10, 'a refused read charges nothing');
  assert.equal((await shared.open('/app/abs-link')).ok, false, '15 bytes do not fit either');
});

test('fs view of a single file: its directory, mounted where --as puts the file, and nothing else', async () => {
  const root = rootfs();
  const fs = createFsView(new DiskBackend(join(root, 'app'), 'srv/project'), limits(), []);
  assert.equal(await text(await fs.open('/srv/project/req/base.txt')), 'django==2.2\n');
  assert.deepEqual(await fs.list('/'), ['srv']);
  assert.deepEqual(await fs.list('/srv'), ['project']);
  // the directory above the file's is not part of the view, even through a link
  assert.equal((await fs.open('/srv/project/../../etc/secret')).ok, false);
  assert.equal((await fs.open('/srv/project/abs-link')).ok, false);
});

async function layerFile(entries: Parameters<typeof makeTar>[0], label: string): Promise<LayerSource> {
  const bytes = await makeTar(entries);
  const file = join(tempDir(), `${label}.tar`);
  writeFileSync(file, bytes);
  return { file, start: 0, size: bytes.length, label };
}

test('fs view of an image layer: the layer over the ones below, lower layers read only when needed, layers named', async () => {
  const l1 = await layerFile(
    [
      { name: 'app/', type: 'directory' },
      { name: 'app/base.txt', body: 'django==2.2\n' },
      { name: 'app/old.txt', body: 'gone\n' },
      { name: 'app/dir/', type: 'directory' },
      { name: 'app/dir/f', body: 'under an opaque dir' },
      { name: 'etc/', type: 'directory' },
      { name: 'etc/real', body: 'real' },
    ],
    'sha256:l1',
  );
  const l2 = await layerFile(
    [
      { name: 'app/', type: 'directory' },
      { name: 'app/requirements.txt', body: '-r base.txt\n' },
      { name: 'app/.wh.old.txt' },
      { name: 'app/dir/', type: 'directory' },
      { name: 'app/dir/.wh..wh..opq' },
      { name: 'app/link', type: 'symlink', linkname: '/etc/real' },
      { name: 'app/hard', type: 'link', linkname: 'app/requirements.txt' },
    ],
    'sha256:l2',
  );
  const own = await readLayer(l2, { index: true, keep: (p) => p === 'app/requirements.txt', maxLayerBytes: 1e9, maxKeptBytes: 1e9, maxEntries: 1000 });
  const backend = new LayeredBackend(
    [
      { label: l1.label, source: l1, kept: new Map() },
      { label: l2.label, source: l2, view: viewOf({ entries: own.entries, analyzers: [], osFiles: {}, issues: [], complete: true }, l2.label), kept: own.kept },
    ],
    DEFAULT_SCAN_LIMITS,
  );
  const reads: ViewRead[] = [];
  const fs = createFsView(backend, limits(), reads, 1);
  // answered by the analyzed layer alone: no pass over the layer below
  const req = await fs.open('/app/requirements.txt');
  assert.ok(req.ok);
  assert.equal(req.file.layer, 'sha256:l2');
  assert.equal(await req.file.readText(), '-r base.txt\n');
  assert.equal(backend.usedLower, false);
  assert.equal((await fs.open('/app/old.txt')).ok, false, 'whited out by the analyzed layer');
  assert.equal(backend.usedLower, false);
  // falls through to layer 1
  const base = await fs.open('/app/base.txt');
  assert.ok(base.ok);
  assert.equal(base.file.layer, 'sha256:l1');
  assert.equal(await base.file.readText(), 'django==2.2\n');
  assert.equal(backend.usedLower, true);
  assert.equal((await fs.open('/app/dir/f')).ok, false, 'hidden by the opaque directory');
  assert.equal(await text(await fs.open('/app/link')), 'real', 'a link of layer 2 to a file of layer 1');
  assert.equal(await text(await fs.open('/app/hard')), '-r base.txt\n');
  assert.deepEqual(await fs.list('/app'), ['base.txt', 'dir', 'hard', 'link', 'requirements.txt']);
  assert.deepEqual(
    reads.map((r) => `${r.path}@${r.depth ?? '-'}`),
    ['/app/requirements.txt@0', '/app/old.txt@-', '/app/base.txt@1', '/app/dir/f@-', '/etc/real@1', '/app/hard@0'],
  );
});

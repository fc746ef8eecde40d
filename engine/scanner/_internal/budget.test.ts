import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadBudget } from './budget';

test('the read budget admits files in call order while they fit and names the limit when one does not', () => {
  const b = new ReadBudget(1000, 600);
  const steps: [size: number, fileMax: number | undefined, admitted: boolean, message?: RegExp][] = [
    [400, undefined, true],
    [700, undefined, false, /700 bytes, over the 600 bytes per-file limit \(maxFileBytes\)/],
    [300, 200, false, /300 bytes, over the 200 bytes per-file limit \(maxFileBytes\)/],
    [500, undefined, true],
    [200, undefined, false, /only 100 bytes are left of the layer's read budget of 1000 bytes \(maxSelectedBytes\)/],
    [100, undefined, true],
    [0, undefined, true],
    [1, undefined, false, /only 0 bytes are left/],
  ];
  for (const [size, fileMax, admitted, message] of steps) {
    const r = b.admit(size, fileMax);
    assert.equal(r.ok, admitted, `${size} bytes`);
    if (!r.ok) assert.match(r.message, message as RegExp);
  }
  assert.equal(b.spent, 1000);
  assert.equal(b.remaining, 0);
});

test('a file larger than the whole budget is refused as such (with a per-file ceiling above the budget)', () => {
  const r = new ReadBudget(1024 * 1024, 4 * 1024 * 1024).admit(2 * 1024 * 1024);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /more than the layer's whole read budget of 1048576 bytes \(1 MiB\) \(maxSelectedBytes\)/);
});

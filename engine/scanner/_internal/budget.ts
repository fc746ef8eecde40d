/**
 * The per-layer read budget: how many bytes of selected files the analyzers of one layer (one root
 * filesystem, one single file) may read, all analyzers together, plus the per-file ceiling.
 *
 * It is a host-side object shared by everything that hands file bytes to analyzers in that layer —
 * the layer walk (files the selectors chose) and any read-only view of related files — so that no path
 * into an analyzer escapes it. Admission is deterministic: it depends only on the sizes and the order
 * of the calls (tar order, path order), never on timing or on how much memory happens to be free, so
 * the same layer always yields the same results and issues (and may be cached).
 */
import { describeBytes } from '../../core';

export type Admission = { ok: true } | { ok: false; message: string };

export class ReadBudget {
  private spentBytes = 0;

  constructor(
    /** `maxSelectedBytes`: the budget of the layer. */
    readonly limitBytes: number,
    /** `maxFileBytes`: the host's ceiling on one file. */
    readonly maxFileBytes: number,
  ) {}

  get spent(): number {
    return this.spentBytes;
  }

  get remaining(): number {
    return this.limitBytes - this.spentBytes;
  }

  /**
   * Admit `size` bytes for reading, charging the budget, or say why not (a located issue's message,
   * naming the limit). `fileMax` is the tightest `maxFileBytes` of the plug-ins that selected the file.
   */
  admit(size: number, fileMax: number = this.maxFileBytes): Admission {
    const max = Math.min(fileMax, this.maxFileBytes);
    if (size > max) return { ok: false, message: `selected file is ${size} bytes, over the ${describeBytes(max)} per-file limit (maxFileBytes); not analyzed` };
    if (size > this.limitBytes) {
      return { ok: false, message: `selected file is ${size} bytes, more than the layer's whole read budget of ${describeBytes(this.limitBytes)} (maxSelectedBytes); not analyzed` };
    }
    if (this.spentBytes + size > this.limitBytes) {
      return {
        ok: false,
        message: `selected file is ${size} bytes; only ${this.remaining} bytes are left of the layer's read budget of ${describeBytes(this.limitBytes)} (maxSelectedBytes); not analyzed`,
      };
    }
    this.spentBytes += size;
    return { ok: true };
  }
}

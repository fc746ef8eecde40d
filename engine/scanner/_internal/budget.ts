/**
 * A byte budget one scan step draws from. The layer walk charges every selected file it keeps in memory,
 * and the filesystem view charges every related file an analyzer reads, against the same budget object —
 * so an analyzer reading related files cannot take a layer past its limit (`ScanLimits.maxSelectedBytes`),
 * and any other host-side limit can be expressed as one more budget handed to both.
 */
export class ByteBudget {
  private usedBytes = 0;

  constructor(
    readonly limit: number,
    /** What the budget covers, for messages (`selected and related files of layer sha256:…`). */
    readonly what: string,
  ) {}

  get used(): number {
    return this.usedBytes;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.usedBytes);
  }

  /** Charge `bytes` when they fit; false (and nothing charged) when they do not. */
  take(bytes: number): boolean {
    if (bytes < 0 || this.usedBytes + bytes > this.limit) return false;
    this.usedBytes += bytes;
    return true;
  }
}

/**
 * Comparing a replay with its manifest: each input as recorded and as used by the replay, each output
 * digest, and — when the recorded outputs themselves are at hand (the stored scan, checked against the
 * manifest's digests first) — the JSON pointer of the first difference inside the outputs.
 */
import { canonicalJson, digestJson, type Digest } from '../core';
import { firstDifference, valueAt } from './diff';
import type { ReplayInputs, ReplayManifest } from './manifest';
import { outputDigests, type ScanOutputs } from './outputs';

export type ReplayResult = 'identical' | 'different';

/** The inputs as the replay used them (engine included), in the manifest's shape. */
export interface ReplayedInputs {
  engine: ReplayManifest['engine'];
  inputs: ReplayInputs;
}

export type InputName = 'engine' | keyof ReplayInputs;

export interface InputComparison {
  name: InputName;
  /** `same`, `different` (the store or engine no longer gives what was recorded), or `overridden` (the caller asked for another value). */
  status: 'same' | 'different' | 'overridden';
  recorded: string;
  replayed: string;
  /** Where the input first differs, as a pointer into the manifest (`/inputs/advisories/snapshot`). */
  path?: string;
}

export type OutputName = keyof ScanOutputs;

export interface OutputComparison {
  name: OutputName;
  recorded: Digest | null;
  replayed: Digest | null;
  same: boolean;
}

export interface FirstDifference {
  /** JSON pointer into the outputs document `{findings, summary, verdict}`. */
  path: string;
  /** True when found inside the recorded outputs; false when only the member's digest was known. */
  precise: boolean;
  /** The values at `path` (omitted when absent or larger than MAX_SHOWN_BYTES as JSON). */
  recorded?: unknown;
  replayed?: unknown;
}

export interface ReplayReport {
  result: ReplayResult;
  manifest: Digest;
  scanId: string;
  firstDifference: FirstDifference | null;
  inputs: InputComparison[];
  outputs: OutputComparison[];
}

/** Values larger than this (as JSON) are not copied into the report. */
export const MAX_SHOWN_BYTES = 4096;

const INPUT_ORDER: readonly InputName[] = ['engine', 'sbom', 'target', 'plugins', 'advisories', 'vex', 'policy', 'evaluationDate', 'options'];
const OUTPUT_ORDER: readonly OutputName[] = ['findings', 'summary', 'verdict'];

/** A one-line label of an input, for people. */
export function inputLabel(name: InputName, v: unknown): string {
  if (v === null || v === undefined) return 'none';
  const o = v as Record<string, unknown>;
  switch (name) {
    case 'engine':
      return `${String(o.name)}@${String(o.version)}`;
    case 'sbom':
      return `${String(o.id)} ${String(o.digest)}`;
    case 'target': {
      const image = o.image as { digest: string } | null;
      return image ? `${String(o.kind)} ${image.digest}` : String(o.kind);
    }
    case 'plugins':
      return String(o.fingerprint);
    case 'advisories':
      return String(o.snapshot);
    case 'vex':
      return String(o.setDigest);
    case 'policy':
      return `${String(o.name)}@${String(o.version)} ${String(o.digest)}`;
    case 'evaluationDate':
      return String(v);
    case 'options':
      return canonicalJson(v);
  }
}

function shown(v: unknown): { value?: unknown } {
  if (v === undefined) return {};
  const json = canonicalJson(v);
  return Buffer.byteLength(json) <= MAX_SHOWN_BYTES ? { value: v } : {};
}

/**
 * Compare a replay with its manifest. `recordedOutputs` are the outputs as stored at the time (the
 * stored scan); each member is used for the precise pointer only if it still has the recorded digest.
 */
export function compareReplay(
  manifest: ReplayManifest,
  manifestDigest: Digest,
  replayed: { inputs: ReplayedInputs; outputs: ScanOutputs },
  recordedOutputs: Partial<ScanOutputs> | null,
  overridden: ReadonlySet<InputName> = new Set(),
): ReplayReport {
  const recordedInputs: Record<InputName, unknown> = { engine: manifest.engine, ...manifest.inputs };
  const replayedInputs: Record<InputName, unknown> = { engine: replayed.inputs.engine, ...replayed.inputs.inputs };
  const inputs: InputComparison[] = INPUT_ORDER.map((name) => {
    const base = name === 'engine' ? '/engine' : `/inputs/${name}`;
    const path = firstDifference(recordedInputs[name], replayedInputs[name], base);
    return {
      name,
      status: path === null ? 'same' : overridden.has(name) ? 'overridden' : 'different',
      recorded: inputLabel(name, recordedInputs[name]),
      replayed: inputLabel(name, replayedInputs[name]),
      ...(path !== null ? { path } : {}),
    };
  });
  const now = outputDigests(replayed.outputs);
  const digestOf = (d: { digest: Digest } | null): Digest | null => (d ? d.digest : null);
  const outputs: OutputComparison[] = OUTPUT_ORDER.map((name) => {
    const recorded = digestOf(manifest.outputs[name]);
    const again = digestOf(now[name]);
    return { name, recorded, replayed: again, same: recorded === again };
  });
  let first: FirstDifference | null = null;
  for (const o of outputs) {
    if (o.same) continue;
    const original = recordedOutputs?.[o.name];
    const usable = original !== undefined && (original === null ? o.recorded === null : digestJson(original) === o.recorded);
    if (usable) {
      const path = firstDifference(original, replayed.outputs[o.name], `/${o.name}`);
      if (path !== null) {
        const doc = { [o.name]: original };
        const again = { [o.name]: replayed.outputs[o.name] };
        const r = shown(valueAt(doc, path));
        const p = shown(valueAt(again, path));
        first = { path, precise: true, ...('value' in r ? { recorded: r.value } : {}), ...('value' in p ? { replayed: p.value } : {}) };
        break;
      }
    }
    first = { path: `/${o.name}`, precise: false };
    break;
  }
  return {
    result: outputs.every((o) => o.same) ? 'identical' : 'different',
    manifest: manifestDigest,
    scanId: manifest.scan.id,
    firstDifference: first,
    inputs,
    outputs,
  };
}

/**
 * in-toto Statement v1 (https://in-toto.io/Statement/v1): subjects (resource descriptors with digest
 * sets) plus one typed predicate. Statements we write are canonical JSON, so the same inputs give the
 * same payload bytes; statements we read may be v1 or v0.1 (older provenance), any key order.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { canonicalJson } from '../core';
import { AttestError } from './errors';

export const STATEMENT_TYPE_V1 = 'https://in-toto.io/Statement/v1';
export const STATEMENT_TYPE_V01 = 'https://in-toto.io/Statement/v0.1';

export type DigestSet = Record<string, string>;

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest: DigestSet;
  annotations?: Record<string, unknown>;
}

export interface Statement {
  _type: string;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: unknown;
}

const HEX_ALGS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128, sha1: 40, sha224: 56, 'sha512_224': 56, 'sha512_256': 64, sha3_224: 56, sha3_256: 64, sha3_384: 96, sha3_512: 128, gitCommit: 40, gitTree: 40, gitBlob: 40, md5: 32 };

function invalid(what: string, path: string, expected: string): never {
  throw new AttestError('invalid-statement', `${what}: ${path} — expected ${expected}`, { details: { file: what, path, expected } });
}

function checkDigestSet(d: unknown, what: string, path: string): DigestSet {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) invalid(what, path, 'a digest set object');
  const entries = Object.entries(d as Record<string, unknown>);
  if (entries.length === 0) invalid(what, path, 'at least one digest');
  for (const [alg, v] of entries) {
    if (typeof v !== 'string' || v === '') invalid(what, `${path}/${alg}`, 'a non-empty string');
    const len = HEX_ALGS[alg];
    if (len !== undefined && !new RegExp(`^[0-9a-f]{${len}}$`).test(v as string)) invalid(what, `${path}/${alg}`, `${len} lowercase hex digits`);
  }
  return d as DigestSet;
}

/** A Statement v1 with sorted, de-duplicated subjects (by name, then sha256). */
export function buildStatement(subjects: readonly ResourceDescriptor[], predicateType: string, predicate: unknown): Statement {
  if (subjects.length === 0) throw new AttestError('invalid-statement', 'a statement needs at least one subject');
  subjects.forEach((s, i) => checkDigestSet(s.digest, 'statement', `/subject/${i}/digest`));
  const seen = new Set<string>();
  const sorted = [...subjects]
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || canonicalJson(a.digest).localeCompare(canonicalJson(b.digest)))
    .filter((s) => {
      const k = canonicalJson(s);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  return { _type: STATEMENT_TYPE_V1, subject: sorted, predicateType, predicate };
}

/** The payload bytes of a statement we sign (canonical JSON). */
export function statementBytes(s: Statement): Buffer {
  return Buffer.from(canonicalJson(s), 'utf8');
}

/** Parse and check a statement (v1 or v0.1) from payload bytes or a parsed value. */
export function parseStatement(input: Uint8Array | unknown, what = 'statement'): Statement {
  let v: unknown = input;
  if (input instanceof Uint8Array) {
    try {
      v = JSON.parse(Buffer.from(input).toString('utf8'));
    } catch (cause) {
      throw new AttestError('invalid-statement', `${what}: the payload is not JSON (${(cause as Error).message})`, { cause, details: { file: what } });
    }
  }
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) invalid(what, '/', 'an in-toto statement object');
  if (o._type !== STATEMENT_TYPE_V1 && o._type !== STATEMENT_TYPE_V01) invalid(what, '/_type', `${STATEMENT_TYPE_V1} (or ${STATEMENT_TYPE_V01})`);
  if (typeof o.predicateType !== 'string' || o.predicateType === '') invalid(what, '/predicateType', 'a non-empty type URI');
  if (!Array.isArray(o.subject) || o.subject.length === 0) invalid(what, '/subject', 'a non-empty array of resource descriptors');
  const subject = (o.subject as unknown[]).map((s, i): ResourceDescriptor => {
    const so = s as Record<string, unknown> | null;
    if (so === null || typeof so !== 'object' || Array.isArray(so)) invalid(what, `/subject/${i}`, 'a resource descriptor object');
    if (so.name !== undefined && typeof so.name !== 'string') invalid(what, `/subject/${i}/name`, 'a string');
    checkDigestSet(so.digest, what, `/subject/${i}/digest`);
    return so as unknown as ResourceDescriptor;
  });
  return { _type: o._type as string, subject, predicateType: o.predicateType as string, predicate: o.predicate };
}

export interface ArtifactDigests {
  sha256: string;
  sha512?: string;
}

/** sha256 and sha512 of a file, streamed (artifacts can be large). */
export async function digestFile(path: string): Promise<ArtifactDigests> {
  const h256 = createHash('sha256');
  const h512 = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    h256.update(chunk as Buffer);
    h512.update(chunk as Buffer);
  }
  return { sha256: h256.digest('hex'), sha512: h512.digest('hex') };
}

/** A subject for a file: its base name and sha256. */
export async function subjectForFile(path: string, name = basename(path)): Promise<ResourceDescriptor> {
  return { name, digest: { sha256: (await digestFile(path)).sha256 } };
}

/** The subjects of `s` whose digest set agrees with the artifact on every algorithm both have (at least one). */
export function subjectsMatching(s: Statement, artifact: ArtifactDigests): ResourceDescriptor[] {
  return s.subject.filter((sub) => {
    let common = 0;
    for (const [alg, want] of Object.entries(artifact) as [string, string | undefined][]) {
      const have = sub.digest[alg];
      if (want === undefined || have === undefined) continue;
      if (have.toLowerCase() !== want) return false;
      common++;
    }
    return common > 0;
  });
}

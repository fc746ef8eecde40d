/**
 * Spawned by tlog.test.ts and engine/audit/audit.test.ts: appends to the embedded log (and the audit
 * trail) of the home in argv[2] in a loop, printing each checkpoint after its transaction committed,
 * until the parent kills it with SIGKILL.
 */
import { systemClock } from '../../core';
import { openStore } from '../../store';
import { appendAudit } from '../../audit';
import { hashedrekordBody } from '../rekor';
import { appendEntry } from '../tlog';
import { createMemoryKey } from '../kms';
import { createHash } from 'node:crypto';

const home = process.argv[2] as string;
const store = openStore({ home });
const key = createMemoryKey('p256');
for (let i = 0; ; i++) {
  const artifact = Buffer.from(`${process.pid} ${i}`);
  const digest = createHash('sha256').update(artifact).digest();
  const e = appendEntry(store, hashedrekordBody({ digest, signature: key.signSync(artifact), publicKeyPem: key.publicKey() }), { clock: systemClock });
  const a = appendAudit(store, { kind: 'test.appended', subject: String(e.index), details: { i } }, { clock: systemClock });
  process.stdout.write(`${JSON.stringify({ size: e.inclusionProof.treeSize, root: e.inclusionProof.rootHash.toString('base64'), auditSeq: a.seq, auditHash: a.entryHash })}\n`);
}

/**
 * External material decided by `attest verify` (the job the CLI calls): Sigstore public-good and
 * staging bundles from sigstore-python's test assets, GitHub Actions / npm / Bazel provenance from
 * slsa-verifier's test data, a Google VSA with its key, gcloud (GCB) provenance without its key. Each
 * case names the checks that must fail (none = verified).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFixtureTarball, fixture, needsFixtures, tempDir } from '../../build/test-support/fixtures';
import { jobContext } from '../jobs/context';
import { attestVerifyJob, type AttestVerifyInput } from '../jobs/attest';
import { openStore } from '../store';
import type { CheckName } from './verify';

const SP = needsFixtures('attest', 'sigstore-python');
const SLSA = needsFixtures('attest', 'slsa-verifier-testdata.tar.gz');

const sp = (...p: string[]): string => fixture('attest', 'sigstore-python', ...p) as string;
const PROD = (): string => sp('tuf-store', 'production-tuf-repo-cdn.sigstore.dev', 'trusted_root.json');
const STAGING = (): string => sp('tuf-store', 'staging-tuf-repo-cdn.sigstage.dev', 'trusted_root.json');
const slsa = (...p: string[]): string => join(extractFixtureTarball('attest', 'slsa-verifier-testdata.tar.gz'), 'slsa-verifier-testdata', ...p);

const GH = 'https://token.actions.githubusercontent.com';
const GH_OAUTH = 'https://github.com/login/oauth';

interface Case {
  name: string;
  bundle: () => string;
  artifact: () => string;
  root?: () => string;
  key?: () => string;
  identity?: [string, string];
  tlogThreshold?: number;
  /** Per item: the checks that must fail ([] = that item verifies). */
  expect: CheckName[][];
}

const SIGSTORE_PYTHON: Case[] = [
  { name: 'staging v0.1 bundle, file artifact', bundle: () => sp('assets', 'bundle.txt.sigstore'), artifact: () => sp('assets', 'bundle.txt'), root: STAGING, identity: ['a@tny.town', GH_OAUTH], expect: [[]] },
  { name: 'staging v0.3 bundle', bundle: () => sp('assets', 'bundle_v3.txt.sigstore'), artifact: () => sp('assets', 'bundle_v3.txt'), root: STAGING, identity: ['william@yossarian.net', GH_OAUTH], expect: [[]] },
  { name: 'staging v0.3 bundle (alt)', bundle: () => sp('assets', 'bundle_v3_alt.txt.sigstore'), artifact: () => sp('assets', 'bundle_v3_alt.txt'), root: STAGING, identity: ['william@yossarian.net', GH_OAUTH], expect: [[]] },
  { name: 'staging Rekor v2 (hashedrekord 0.0.2, RFC 3161 timestamp)', bundle: () => sp('assets', 'staging-rekor-v2.txt.sigstore.json'), artifact: () => sp('assets', 'staging-rekor-v2.txt'), root: STAGING, identity: ['jku@goto.fi', GH_OAUTH], expect: [[]] },
  {
    name: 'production GitHub Actions bundle, artifact given by digest only (ECDSA over the digest)',
    bundle: () => sp('assets', 'bundle_v3_github.whl.sigstore'),
    artifact: () => 'sha256:c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201',
    root: PROD,
    identity: ['https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2', GH],
    expect: [[]],
  },
  {
    name: 'production v0.1 bundle with a checkpoint-less inclusion proof (Python 3.12.5 release)',
    bundle: () => sp('assets', 'integration', 'Python-3.12.5.tgz.sigstore'),
    artifact: () => 'sha256:38dc4e2c261d49c661196066edbfb70fdb16be4a79cc8220c224dfeb5636d405',
    root: PROD,
    identity: ['thomas@python.org', 'https://accounts.google.com'],
    expect: [[]],
  },
  { name: 'wrong identity', bundle: () => sp('assets', 'bundle_v3.txt.sigstore'), artifact: () => sp('assets', 'bundle_v3.txt'), root: STAGING, identity: ['mallory@example.com', GH_OAUTH], expect: [['certificate-identity']] },
  { name: 'no identity given', bundle: () => sp('assets', 'bundle_v3.txt.sigstore'), artifact: () => sp('assets', 'bundle_v3.txt'), root: STAGING, expect: [['certificate-identity']] },
  { name: 'another artifact', bundle: () => sp('assets', 'bundle_v3.txt.sigstore'), artifact: () => sp('assets', 'bundle.txt'), root: STAGING, identity: ['william@yossarian.net', GH_OAUTH], expect: [['signature', 'artifact-digest']] },
  { name: 'staging bundle against the production root', bundle: () => sp('assets', 'bundle_v3.txt.sigstore'), artifact: () => sp('assets', 'bundle_v3.txt'), root: PROD, identity: ['william@yossarian.net', GH_OAUTH], expect: [['timestamp', 'certificate-chain', 'tlog-inclusion', 'certificate-identity']] },
  { name: 'CVE-2022-36056: the log entry is for another signature', bundle: () => sp('assets', 'bundle_cve_2022_36056.txt.sigstore'), artifact: () => sp('assets', 'bundle_cve_2022_36056.txt'), root: STAGING, identity: ['william@yossarian.net', GH_OAUTH], expect: [['timestamp', 'certificate-chain', 'tlog-inclusion']] },
  { name: 'no log entry', bundle: () => sp('assets', 'bundle_no_log_entry.txt.sigstore'), artifact: () => sp('assets', 'bundle_no_log_entry.txt'), root: STAGING, identity: ['a@tny.town', GH_OAUTH], expect: [['timestamp', 'certificate-chain', 'tlog-inclusion', 'certificate-identity']] },
  { name: 'no signed time', bundle: () => sp('assets', 'bundle_v3_no_signed_time.txt.sigstore.json'), artifact: () => sp('assets', 'bundle_v3_no_signed_time.txt'), root: PROD, identity: ['x', GH], expect: [['timestamp', 'certificate-chain', 'certificate-identity']] },
  { name: 'DSSE bundle logged as a hashedrekord entry', bundle: () => sp('assets', 'a.dsse.staging-rekor-v2.txt.sigstore.json'), artifact: () => 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf', root: STAGING, identity: ['https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main', GH], expect: [['tlog-inclusion', 'statement']] },
  { name: 'v0.1 bundle without a certificate', bundle: () => sp('assets', 'bundle_no_cert_v1.txt.sigstore'), artifact: () => sp('assets', 'bundle_no_cert_v1.txt'), root: STAGING, expect: [['signature']] },
  { name: 'v0.2 bundle without a checkpoint', bundle: () => sp('assets', 'bundle_no_checkpoint.txt.sigstore'), artifact: () => sp('assets', 'bundle_no_checkpoint.txt'), root: STAGING, expect: [['signature']] },
  { name: 'invalid media type', bundle: () => sp('assets', 'bundle_invalid_version.txt.sigstore'), artifact: () => sp('assets', 'bundle_invalid_version.txt'), root: STAGING, expect: [['signature']] },
  // The test TSA in trust_config.json did not issue these timestamps (other serial), so they cannot verify.
  { name: 'RFC 3161 timestamp from a TSA the trust config does not hold', bundle: () => sp('assets', 'tsa', 'bundle.txt.sigstore'), artifact: () => sp('assets', 'tsa', 'bundle.txt'), root: () => sp('assets', 'tsa', 'trust_config.json'), identity: ['x', GH], expect: [['timestamp', 'certificate-chain', 'certificate-identity']] },
];

const SLSA_CASES: Case[] = [
  {
    name: 'slsa-github-generator v2.1.0 generic provenance (bundle in .intoto.jsonl)',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'gha_generic', 'v2.1.0', 'binary-linux-amd64-workflow_dispatch.intoto.jsonl'),
    artifact: () => 'sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa',
    root: PROD,
    identity: ['https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0', GH],
    expect: [[]],
  },
  {
    name: 'Bazel Central Registry provenance v1',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'bcr', 'MODULE.bazel.intoto.jsonl'),
    artifact: () => 'sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b',
    root: PROD,
    identity: ['https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1', GH],
    expect: [[]],
  },
  {
    name: 'generic generator v0.3 bundle',
    bundle: () => slsa('verifiers', 'internal', 'gha', 'testdata', 'bundle', 'valid-v0.3.intoto.sigstore'),
    artifact: () => 'sha256:2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd',
    root: PROD,
    identity: ['https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main', GH],
    expect: [[]],
  },
  {
    name: 'a draft statement with an empty predicateType: the crypto holds, the statement does not',
    bundle: () => slsa('verifiers', 'internal', 'gha', 'testdata', 'bundle', 'valid.intoto.sigstore'),
    artifact: () => 'sha256:975a0582b8c9607f3f20a6b8cfef01b25823e68c5c3658e6e1ccaaced2a3255d',
    root: PROD,
    identity: ['https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_docker-based_slsa3.yml@refs/heads/main', GH],
    expect: [['statement', 'artifact-digest']],
  },
  ...(['invalid-dsse-sig', 'invalid-set'] as const).map(
    (f): Case => ({
      name: `${f}: the signed entry timestamp does not verify`,
      bundle: () => slsa('verifiers', 'internal', 'gha', 'testdata', 'bundle', `${f}.intoto.sigstore`),
      artifact: () => 'sha256:092b220688ee737c66882a74ae8bfe3e2b35df60b92404b552ebe905a2d633ce',
      root: PROD,
      identity: ['https://github.com/laurentsimon/slsa-delegator/.github/workflows/delegator_generic_slsa3.yml@refs/heads/main', GH],
      expect: [['timestamp', 'certificate-chain', 'tlog-inclusion']],
    }),
  ),
  {
    name: 'log entry of another envelope',
    bundle: () => slsa('verifiers', 'internal', 'gha', 'testdata', 'bundle', 'mismatch-tlog.intoto.sigstore'),
    artifact: () => 'sha256:2e38b952523576057f5ca8cf6d179ad6b66f6d0221b9a0eb621caf3507773c71',
    root: PROD,
    expect: [['timestamp', 'certificate-chain', 'tlog-inclusion', 'certificate-identity']],
  },
  {
    name: "npm: provenance verifies; the publish attestation needs npm's registry key",
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'npm', 'gha', 'gundam-visor-cli-v1-tag.tgz.json'),
    artifact: () => 'sha512:8d9d7972f676516c75014aa074e11ae604d98f0b64ec6725a61e2838ff3dab162118fa71433fb31e1550d30bd0dec9d086ce032b94457b583900c507acf39c40',
    root: PROD,
    identity: ['https://github.com/ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml@refs/tags/v1.0.1', GH],
    expect: [['signer-key', 'signature', 'certificate-identity'], []],
  },
  {
    name: 'npm: provenance with a broken signature',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'npm', 'gha', 'gundam-visor-cli-v1-tag-invalidsigprov.tgz.json'),
    artifact: () => 'sha512:8d9d7972f676516c75014aa074e11ae604d98f0b64ec6725a61e2838ff3dab162118fa71433fb31e1550d30bd0dec9d086ce032b94457b583900c507acf39c40',
    root: PROD,
    identity: ['https://github.com/ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml@refs/tags/v1.0.1', GH],
    expect: [['signer-key', 'signature', 'certificate-identity'], ['timestamp', 'certificate-chain', 'tlog-inclusion', 'signature']],
  },
  {
    name: 'Google VSA (DSSE envelope) with its published key, no log required',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'vsa', 'gce', 'v1', 'gke-gce-pre.bcid-vsa.jsonl'),
    artifact: () => 'gce_image_id:8970095005306000053',
    key: () => slsa('cli', 'slsa-verifier', 'testdata', 'vsa', 'gce', 'v1', 'vsa_signing_public_key.pem'),
    tlogThreshold: 0,
    expect: [[]],
  },
  {
    name: 'Google VSA without its key',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'vsa', 'gce', 'v1', 'gke-gce-pre.bcid-vsa.jsonl'),
    artifact: () => 'gce_image_id:8970095005306000053',
    tlogThreshold: 0,
    expect: [['signer-key', 'signature']],
  },
  {
    name: "gcloud (GCB) provenance: Google's builder keys are not in the workstation's trust",
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'gcb_container', 'v0.3', 'gcloud-container-github.json'),
    artifact: () => 'sha256:f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7',
    tlogThreshold: 0,
    expect: [['signer-key', 'signature']],
  },
  {
    name: 'pre-bundle GitHub provenance (certificate in the envelope) cannot be checked offline',
    bundle: () => slsa('cli', 'slsa-verifier', 'testdata', 'gha_go', 'v1.2.2', 'binary-linux-amd64-workflow_dispatch.intoto.jsonl'),
    artifact: () => 'sha256:3e74797065520c7d1129d91f5322917be3f0ab92e5b01c52b5cc2459fb73cb70',
    root: PROD,
    expect: [['signer-key', 'signature', 'certificate-chain', 'tlog-inclusion']],
  },
];

async function decide(c: Case): Promise<CheckName[][]> {
  const store = openStore({ home: tempDir() });
  try {
    const input: AttestVerifyInput = {
      bundleFile: c.bundle(),
      artifact: c.artifact(),
      ...(c.root ? { trustedRootFile: c.root() } : {}),
      ...(c.key ? { keyFile: c.key() } : {}),
      ...(c.identity ? { identity: { subjectAlternativeName: c.identity[0], issuer: c.identity[1] } } : {}),
      tlogThreshold: c.tlogThreshold ?? 1,
    };
    const r = await attestVerifyJob(store, input, jobContext());
    assert.equal(r.verified, c.expect.every((e) => e.length === 0), `${c.name}: overall decision`);
    return r.items.map((i) => i.checks.filter((k) => k.status === 'fail').map((k) => k.name));
  } finally {
    store.close();
  }
}

for (const c of SIGSTORE_PYTHON) {
  test(`sigstore-python: ${c.name}`, SP, async () => {
    assert.deepEqual(await decide(c), c.expect);
  });
}

for (const c of SLSA_CASES) {
  test(`slsa-verifier: ${c.name}`, SLSA, async () => {
    assert.deepEqual(await decide(c), c.expect);
  });
}

test('a changed byte in a public-good bundle is refused', SP, async () => {
  const text = readFileSync(sp('assets', 'bundle_v3.txt.sigstore'), 'utf8');
  const b = JSON.parse(text) as { messageSignature: { signature: string } };
  const sig = Buffer.from(b.messageSignature.signature, 'base64');
  sig[10] = (sig[10] as number) ^ 1;
  b.messageSignature.signature = sig.toString('base64');
  const f = join(tempDir(), 'x.sigstore');
  writeFileSync(f, JSON.stringify(b));
  const got = await decide({ name: 'tampered', bundle: () => f, artifact: () => sp('assets', 'bundle_v3.txt'), root: STAGING, identity: ['william@yossarian.net', GH_OAUTH], expect: [['x' as CheckName]] });
  assert.ok(got[0]?.includes('signature'), `signature fails: ${JSON.stringify(got)}`);
  assert.ok(got[0]?.includes('tlog-inclusion'), 'the log entry no longer matches the signature');
});

/** Finding a policy pack by the digest of its compiled IR (what replay manifests and scan verdicts record). */
import type { Store } from '../../store';
import { builtinPackNames, listPackVersions, loadPack, loadStoredPack, type UsablePack } from '../../policy';

/** The pack with this digest among the shipped packs and the versions imported into the store, or null. */
export async function packByDigest(store: Store, digest: string): Promise<UsablePack | null> {
  for (const name of builtinPackNames()) {
    const p = await loadPack(`builtin:${name}`);
    if (p.digest === digest && p.ir && p.manifest) return p as UsablePack;
  }
  const stored = listPackVersions(store).find((v) => v.digest === digest);
  return stored ? loadStoredPack(store, stored) : null;
}

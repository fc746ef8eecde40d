/** Finding a policy pack by the digest of its compiled IR (what replay manifests and verdicts record). */
import { builtinPackNames, loadPack, type UsablePack } from '../../policy';

/** The pack with this digest among the packs this workstation has, or null. */
export async function packByDigest(digest: string): Promise<UsablePack | null> {
  for (const name of builtinPackNames()) {
    const p = await loadPack(`builtin:${name}`);
    if (p.digest === digest && p.ir && p.manifest) return p as UsablePack;
  }
  return null;
}

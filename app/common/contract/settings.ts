/**
 * Contract part: VEX issuer trust (a tier and a weight per issuer class, overridable per issuer) and the
 * triage identity. Request schemas, result types and result schemas, merged into channels.ts /
 * results.ts. Channel names and shapes are the VEX/policy integration's (`vex.trust`, `vex.trust.set`),
 * so the Settings screen and the VEX screens speak one contract.
 */
import { z } from 'zod';

export const VEX_ISSUER_CLASS_NAMES = ['vendor', 'distro', 'internal', 'community'] as const;
export type VexIssuerClassName = (typeof VEX_ISSUER_CLASS_NAMES)[number];

const issuerClass = z.enum(VEX_ISSUER_CLASS_NAMES);
const tier = z.number().int().min(0).max(100);
const weight = z.number().min(0).max(1);

export const settingsRequestSchemas = {
  'vex.trust': z.object({}).strict(),
  /** Set (or, with neither tier nor weight nor class, reset) the trust of an issuer class or one issuer, or the triage identity (writer). */
  'vex.trust.set': z
    .object({
      target: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('class'), issuerClass, tier: tier.optional(), weight: weight.optional() }).strict(),
        z.object({ kind: z.literal('issuer'), issuer: z.string().min(1).max(500), issuerClass: issuerClass.optional(), tier: tier.optional(), weight: weight.optional() }).strict(),
        z.object({ kind: z.literal('identity'), name: z.string().min(1).max(500) }).strict(),
      ]),
    })
    .strict(),
} as const;

const trustLevel = z.object({ tier: z.number(), weight: z.number() }).strict();
const vexTrustViewSchema = z
  .object({
    /** Every class with its effective tier and weight (defaults where nothing is set). */
    classes: z.object({ vendor: trustLevel, distro: trustLevel, internal: trustLevel, community: trustLevel }).strict(),
    /** Per-issuer overrides. */
    issuers: z.array(z.object({ issuer: z.string(), class: issuerClass.optional(), tier: z.number().optional(), weight: z.number().optional() }).strict()),
    /** The issuer name of this workstation's triage statements. */
    identity: z.string(),
  })
  .strict();
export type VexTrustView = z.infer<typeof vexTrustViewSchema>;

export interface SettingsChannelResults {
  'vex.trust': VexTrustView;
  'vex.trust.set': VexTrustView;
}

export const settingsResultSchemas = {
  'vex.trust': vexTrustViewSchema,
  'vex.trust.set': vexTrustViewSchema,
} as const;

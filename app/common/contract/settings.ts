/**
 * Contract part: workstation settings beyond keys and trust roots — VEX issuer trust (a tier and a
 * weight per issuer class, overridable per issuer) and the triage identity. Request schemas, result
 * types and result schemas, merged into channels.ts / results.ts.
 */
import { z } from 'zod';

export const VEX_ISSUER_CLASS_NAMES = ['vendor', 'distro', 'internal', 'community'] as const;
export type VexIssuerClassName = (typeof VEX_ISSUER_CLASS_NAMES)[number];

const tier = z.number().int().min(0).max(100);
const weight = z.number().min(0).max(1);

export const settingsRequestSchemas = {
  'vex.trust.get': z.object({}).strict(),
  /**
   * Change issuer trust: a class's tier/weight; an issuer's class and/or tier/weight (an issuer with
   * none of them drops its override); or the name triage statements are issued under.
   */
  'vex.trust.set': z.discriminatedUnion('action', [
    z.object({ action: z.literal('set-class'), issuerClass: z.enum(VEX_ISSUER_CLASS_NAMES), tier: tier.optional(), weight: weight.optional() }).strict(),
    z.object({ action: z.literal('set-issuer'), issuer: z.string().min(1).max(500), issuerClass: z.enum(VEX_ISSUER_CLASS_NAMES).optional(), tier: tier.optional(), weight: weight.optional() }).strict(),
    z.object({ action: z.literal('set-identity'), name: z.string().min(1).max(500) }).strict(),
  ]),
} as const;

export interface VexTrustView {
  /** Every class with its effective tier and weight (defaults where nothing is set). */
  classes: { issuerClass: VexIssuerClassName; tier: number; weight: number }[];
  /** Per-issuer overrides. */
  issuers: { issuer: string; issuerClass?: VexIssuerClassName; tier?: number; weight?: number }[];
  /** The issuer name of this workstation's triage statements. */
  identity: string;
}

export interface SettingsChannelResults {
  'vex.trust.get': VexTrustView;
  'vex.trust.set': VexTrustView;
}

const vexTrustView = z
  .object({
    classes: z.array(z.object({ issuerClass: z.enum(VEX_ISSUER_CLASS_NAMES), tier: z.number(), weight: z.number() }).strict()),
    issuers: z.array(z.object({ issuer: z.string(), issuerClass: z.enum(VEX_ISSUER_CLASS_NAMES).optional(), tier: z.number().optional(), weight: z.number().optional() }).strict()),
    identity: z.string(),
  })
  .strict();

export const settingsResultSchemas = {
  'vex.trust.get': vexTrustView,
  'vex.trust.set': vexTrustView,
} as const;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _settingsOk: Same<z.infer<typeof vexTrustView>, VexTrustView> = true;
void _settingsOk;

/**
 * Version comparators per ecosystem (OSV spelling). PLACEHOLDER SIGNATURES — being implemented; the
 * exported names and shapes below are the contract other modules code against.
 */
export type CompareResult = -1 | 0 | 1;

/** Parse `Debian:12` → { ecosystem: 'Debian', release: '12' }; ecosystem names as OSV spells them. */
export declare function parseEcosystem(name: string): { ecosystem: string; release?: string };

/** Compare two versions of one ecosystem. Throws MatchError('invalid-version' | 'unknown-ecosystem'). */
export declare function compareVersions(ecosystem: string, a: string, b: string): CompareResult;

/** Is this version valid in that ecosystem? */
export declare function isValidVersion(ecosystem: string, v: string): boolean;

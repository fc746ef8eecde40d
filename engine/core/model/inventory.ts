/**
 * The normalized inventory: what every SBOM format, every image analysis and every scan reduces to.
 * Nothing format-specific lives here; format-only data is kept in `properties`/`extra` so a round trip
 * loses nothing.
 */

export type ComponentType =
  | 'application'
  | 'framework'
  | 'library'
  | 'container'
  | 'platform'
  | 'operating-system'
  | 'device'
  | 'device-driver'
  | 'firmware'
  | 'file'
  | 'machine-learning-model'
  | 'data'
  | 'cryptographic-asset';

export type ComponentScope = 'required' | 'optional' | 'excluded';

export interface Hash {
  /** Algorithm in CycloneDX spelling: MD5, SHA-1, SHA-256, SHA-384, SHA-512, SHA3-256, BLAKE2b-256, BLAKE3, … */
  alg: string;
  /** Lowercase hex. */
  content: string;
}

export interface License {
  /** A full SPDX license expression (`MIT OR Apache-2.0`) when the source gave one or an id. */
  expression?: string;
  /** A license that is not an SPDX id: its name as given. */
  name?: string;
  url?: string;
  /** Full text when the source embedded it. */
  text?: string;
  /** `declared` | `concluded` (SPDX) or CycloneDX 1.6 acknowledgement. */
  acknowledgement?: 'declared' | 'concluded';
}

export interface OrganizationalEntity {
  name?: string;
  url?: string[];
  contact?: { name?: string; email?: string; phone?: string }[];
}

/** Upstream / source package a binary package was built from (Debian `Source:`, RPM sourcerpm, purl `upstream=`). */
export interface SourcePackage {
  name: string;
  version?: string;
}

/** Where a component was seen: a file path and, for images, the layer that introduced it. */
export interface EvidenceLocation {
  path: string;
  /** Layer diffID (`sha256:…`) for image scans. */
  layer?: string;
  /** Line range for lockfiles/manifests. */
  line?: number;
}

export interface Property {
  name: string;
  value: string;
}

export interface ExternalReference {
  type: string;
  url: string;
  comment?: string;
}

export interface Component {
  /** Document-unique reference (CycloneDX bom-ref, SPDXID, or a content-derived id). */
  ref: string;
  type: ComponentType;
  name: string;
  group?: string;
  version?: string;
  /** Canonical purl string (built with the purl library); absent when the source had none. */
  purl?: string;
  cpes: string[];
  hashes: Hash[];
  licenses: License[];
  supplier?: OrganizationalEntity;
  author?: string;
  publisher?: string;
  copyright?: string;
  description?: string;
  scope?: ComponentScope;
  source?: SourcePackage;
  locations: EvidenceLocation[];
  externalReferences: ExternalReference[];
  properties: Property[];
  /** Ref of the component this one is nested in (CycloneDX `components[].components[]`). */
  parent?: string;
  /** Analyzer that found it (`os/dpkg@1`) for image/rootfs scans. */
  foundBy?: string;
  /** Layer diffID that introduced the component (image scans). */
  layer?: string;
  /** Is this a declared (lockfile/manifest) rather than installed package? */
  declared?: boolean;
  /**
   * purl of the distro-vendor OS package that installed every file this (language) package was read from
   * (`pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?arch=all&distro=debian-12`). Such a package is matched
   * through that OS package's distro advisories only, unless a scan asks for comprehensive detection.
   */
  ownedBy?: string;
  /**
   * The project itself as its lockfile names it (Syft's convention: npm `packages[""]`, the go.mod module,
   * the POM's own coordinates, …), not a dependency: kept in the inventory, never matched.
   */
  root?: boolean;
  /**
   * Fields of the source format this model does not name, kept verbatim (JSON values) keyed by
   * `<format>:<field>` so that exporters to the same family can put them back.
   */
  extra: Record<string, unknown>;
}

export interface DependencyEdge {
  ref: string;
  dependsOn: string[];
}

export type SbomFormat =
  | 'cyclonedx-json'
  | 'cyclonedx-xml'
  | 'spdx-json'
  | 'spdx-tag-value'
  | 'spdx-yaml'
  | 'spdx-xml'
  | 'spdx3-jsonld'
  | 'syft-json'
  | 'trivy-json'
  | 'stella-inventory';

export interface DocumentInfo {
  format: SbomFormat;
  specVersion: string;
  /** CycloneDX serialNumber / SPDX documentNamespace. */
  serialNumber?: string;
  name?: string;
  created?: string;
  tools: { vendor?: string; name: string; version?: string }[];
  authors: string[];
  /** Document-level properties and unknown document fields (round-trip). */
  properties: Property[];
  extra: Record<string, unknown>;
}

export interface Inventory {
  document: DocumentInfo;
  /** The thing the SBOM describes (CycloneDX metadata.component, SPDX documentDescribes). */
  subject?: Component;
  /** Every component, nested ones flattened (with `parent`), the subject excluded. Sorted by ref by normalizers. */
  components: Component[];
  dependencies: DependencyEdge[];
  /** Operating system of an image/rootfs scan (`debian` `12`). */
  os?: { id: string; versionId?: string; name?: string };
}

/** A fresh component with empty collections. */
export function newComponent(init: Pick<Component, 'ref' | 'name' | 'type'> & Partial<Component>): Component {
  return {
    cpes: [],
    hashes: [],
    licenses: [],
    locations: [],
    externalReferences: [],
    properties: [],
    extra: {},
    ...init,
  };
}

/**
 * How normalized fields that a target format has no slot for travel through an export and come back
 * on re-import. Exporters write them as `stella:*` properties (CycloneDX `properties`, SPDX package
 * annotations with comment `<name>=<value>`); importers of every format read them back with
 * `applyStellaProperties`. Keeping both directions here is what makes the round trip lossless.
 */
import type { Component, Property } from '../../core';

export const STELLA_PROP = {
  sourceName: 'stella:source:name',
  sourceVersion: 'stella:source:version',
  layer: 'stella:layer',
  foundBy: 'stella:foundBy',
  declared: 'stella:declared',
  parent: 'stella:parent',
  /** `stella:extra:<key>` = canonical JSON of extra[key]. */
  extraPrefix: 'stella:extra:',
} as const;

/** The stella:* properties for a component, sorted by name then value. */
export function componentToStellaProperties(c: Component): Property[] {
  const out: Property[] = [];
  if (c.source?.name) out.push({ name: STELLA_PROP.sourceName, value: c.source.name });
  if (c.source?.version) out.push({ name: STELLA_PROP.sourceVersion, value: c.source.version });
  if (c.layer) out.push({ name: STELLA_PROP.layer, value: c.layer });
  if (c.foundBy) out.push({ name: STELLA_PROP.foundBy, value: c.foundBy });
  if (c.declared !== undefined) out.push({ name: STELLA_PROP.declared, value: String(c.declared) });
  for (const key of Object.keys(c.extra).sort()) {
    out.push({ name: `${STELLA_PROP.extraPrefix}${key}`, value: JSON.stringify(c.extra[key]) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/**
 * Moves stella:* properties into the component's fields; returns the properties that are not ours
 * (to keep in `component.properties`).
 */
export function applyStellaProperties(c: Component, props: readonly Property[]): Property[] {
  const rest: Property[] = [];
  let sourceName: string | undefined;
  let sourceVersion: string | undefined;
  for (const p of props) {
    switch (p.name) {
      case STELLA_PROP.sourceName:
        sourceName = p.value;
        break;
      case STELLA_PROP.sourceVersion:
        sourceVersion = p.value;
        break;
      case STELLA_PROP.layer:
        c.layer = p.value;
        break;
      case STELLA_PROP.foundBy:
        c.foundBy = p.value;
        break;
      case STELLA_PROP.declared:
        c.declared = p.value === 'true';
        break;
      case STELLA_PROP.parent:
        c.parent = p.value;
        break;
      default:
        if (p.name.startsWith(STELLA_PROP.extraPrefix)) {
          try {
            c.extra[p.name.slice(STELLA_PROP.extraPrefix.length)] = JSON.parse(p.value);
          } catch {
            rest.push(p);
          }
        } else {
          rest.push(p);
        }
    }
  }
  if (sourceName) c.source = sourceVersion ? { name: sourceName, version: sourceVersion } : { name: sourceName };
  return rest;
}

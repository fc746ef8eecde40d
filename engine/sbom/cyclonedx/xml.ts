/**
 * CycloneDX XML → the CycloneDX JSON shape, so one normalizer serves both encodings. Element lists
 * (`<components><component/>…`) become arrays, attributes become keys, text-with-attributes nodes
 * become the JSON spelling (`<hash alg>` → `{alg, content}`, `<property name>` → `{name, value}`).
 * Elements the mapping does not know are converted generically (attributes + children + `#text`).
 */
import { isObject } from '../_internal/common';
import { parseSafeXml } from '../_internal/xml';

/** wrapper element → item element(s) that form a JSON array. */
const LISTS: Record<string, string[]> = {
  components: ['component'],
  services: ['service'],
  hashes: ['hash'],
  externalReferences: ['reference'],
  properties: ['property'],
  dependencies: ['dependency'],
  authors: ['author'],
  ancestors: ['component'],
  descendants: ['component'],
  variants: ['component'],
  commits: ['commit'],
  patches: ['patch'],
  resolves: ['issue'],
  vulnerabilities: ['vulnerability'],
  compositions: ['composition'],
  annotations: ['annotation'],
  occurrences: ['occurrence'],
  tags: ['tag'],
  lifecycles: ['lifecycle'],
  endpoints: ['endpoint'],
  data: ['classification', 'dataflow'],
  identity: ['identity'],
  assemblies: ['assembly'],
  subjects: ['subject'],
  annotators: ['annotator'],
  contact: ['contact'],
  ratings: ['rating'],
  cwes: ['cwe'],
  advisories: ['advisory'],
  affects: ['target'],
  versions: ['version'],
  references: ['reference'],
  credits: [],
  notes: ['note'],
  aliases: ['alias'],
  resolvesIssues: ['issue'],
};

const ALWAYS_ARRAY_CHILDREN = new Set(['url', 'email', 'phone', 'contact']);

export function cycloneDxXmlItemIsArray(name: string, jpath: string): boolean {
  const parts = jpath.split('.');
  const parent = parts[parts.length - 2];
  if (parent === 'licenses' && (name === 'license' || name === 'expression')) return true;
  if (parent === 'tools' && name === 'tool') return true;
  if (parent === 'dependency' && name === 'dependency') return true;
  if (parent === 'supplier' || parent === 'manufacturer' || parent === 'manufacture' || parent === 'provider' || parent === 'organization') {
    if (ALWAYS_ARRAY_CHILDREN.has(name)) return true;
  }
  return parent !== undefined && (LISTS[parent]?.includes(name) ?? false);
}

type Node = Record<string, unknown> | string;

/** Plain assignment, except that an element or attribute named `__proto__` stays data instead of becoming a prototype. */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function attrs(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (!k.startsWith('@_')) continue;
    const name = k.slice(2);
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.includes(':')) continue;
    setKey(out, name, v);
  }
  return out;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v['#text'] === 'string') return v['#text'];
  if (isObject(v)) return '';
  return undefined;
}

/** Generic element → JSON value. */
function convert(v: unknown, name: string): unknown {
  if (Array.isArray(v)) return v.map((x) => convert(x, name));
  if (!isObject(v)) return v === undefined ? '' : v;
  switch (name) {
    case 'hash':
      return { alg: v['@_alg'], content: textOf(v) ?? '' };
    case 'property':
      return { name: v['@_name'], value: textOf(v) ?? '' };
    case 'text':
      return { ...attrs(v), content: textOf(v) ?? '' };
    default:
      break;
  }
  const out: Record<string, unknown> = attrs(v);
  for (const [k, child] of Object.entries(v)) {
    if (k.startsWith('@_')) continue;
    if (k === '#text') {
      if (Object.keys(out).length === 0 && Object.keys(v).length === 1) return child;
      out.content = child;
      continue;
    }
    setKey(out, k, convertChild(k, child));
  }
  return out;
}

function convertChild(k: string, child: unknown): unknown {
  if (k === 'licenses') {
    const node = isObject(child) ? child : {};
    const list: unknown[] = [];
    for (const l of (node.license as unknown[] | undefined) ?? []) {
      const lic = convert(l, 'license') as Record<string, unknown>;
      const { acknowledgement, ...rest } = isObject(lic) ? lic : {};
      list.push(acknowledgement !== undefined ? { license: { ...rest, acknowledgement } } : { license: rest });
    }
    for (const e of (node.expression as unknown[] | undefined) ?? []) {
      const text = textOf(e) ?? '';
      const a = isObject(e) ? attrs(e) : {};
      list.push({ ...a, expression: text });
    }
    return list;
  }
  if (k === 'tools' && isObject(child)) {
    if (Array.isArray(child.tool)) return child.tool.map((t) => convert(t, 'tool'));
    return convert(child, 'tools');
  }
  if (k === 'dependencies' && isObject(child)) {
    return ((child.dependency as unknown[] | undefined) ?? []).map(convertDependency);
  }
  const items = LISTS[k];
  if (items && items.length && isObject(child)) {
    const list: unknown[] = [];
    for (const item of items) for (const x of (child[item] as unknown[] | undefined) ?? []) list.push(convert(x, item));
    const others = Object.keys(child).filter((c) => !items.includes(c) && !c.startsWith('@_'));
    if (others.length === 0) return list;
  }
  if (items && items.length && typeof child === 'string' && child === '') return [];
  return convert(child, k);
}

function convertDependency(d: unknown): Record<string, unknown> {
  if (!isObject(d)) return {};
  const out: Record<string, unknown> = { ref: d['@_ref'] };
  const kids = (d.dependency as unknown[] | undefined) ?? [];
  if (kids.length) out.dependsOn = kids.map((k) => (isObject(k) ? k['@_ref'] : undefined)).filter((x) => typeof x === 'string');
  const provides = d.provides;
  if (provides !== undefined) out.provides = (Array.isArray(provides) ? provides : [provides]).map((p) => (isObject(p) ? p['@_ref'] : undefined)).filter((x) => typeof x === 'string');
  return out;
}

export interface CycloneDxXmlDocument {
  json: Record<string, unknown>;
}

export function readCycloneDxXml(text: string, file: string, maxDepth?: number): CycloneDxXmlDocument {
  const parsed = parseSafeXml(text, file, { isArray: cycloneDxXmlItemIsArray, ...(maxDepth !== undefined ? { maxDepth } : {}) });
  const root = parsed.bom;
  const node: Node = isObject(root) ? root : {};
  const body = convert(node, 'bom');
  const json: Record<string, unknown> = { bomFormat: 'CycloneDX', ...(isObject(body) ? body : {}) };
  if (typeof json.version === 'string' && /^\d+$/.test(json.version)) json.version = Number(json.version);
  return { json };
}

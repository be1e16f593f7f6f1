import { sha256 } from '../../files.js';
import { compareGoStrings, getPath, isObject, type JsonValue } from '../../json/value.js';
import type { Resource } from '../resource.js';
import type { ResMap } from '../resmap.js';

/**
 * Appends `-<hash>` to the name of every resource a generator marked for it, at the very end of
 * a build so the hash covers the final content. The old id is kept so references get fixed.
 */
export function hashSuffixTransformer(resources: ResMap): void {
  for (const r of resources) {
    if (!r.state.needsHashSuffix) continue;
    const hash = contentHash(r);
    r.storePreviousId();
    r.setName(`${r.name}-${hash}`);
  }
}

/**
 * kustomize's content hash: sha256 of a Go-JSON document holding the kind, the data maps and
 * (for Secrets) the type, as 10 hex digits with 0, 1, 3, a and e replaced so the suffix never
 * reads as a number or word. The name slot is always empty: kustomize looks the name up with a
 * path its lookup does not split, so the name never influences the hash.
 */
export function contentHash(r: Resource): string {
  return encodeHex(sha256(goJson(hashedDocument(r))));
}

function hashedDocument(r: Resource): JsonValue {
  const field = (name: string): JsonValue => hashedFieldValue(getPath(r.obj, [name]));
  switch (r.kind) {
    case 'ConfigMap': {
      const doc: Record<string, JsonValue> = { kind: 'ConfigMap', name: '', data: field('data') };
      if (isObject(r.obj.binaryData)) doc.binaryData = field('binaryData');
      return doc;
    }
    case 'Secret': {
      const doc: Record<string, JsonValue> = { kind: 'Secret', type: field('type'), name: '', data: field('data') };
      if (isObject(r.obj.stringData)) doc.stringData = field('stringData');
      return doc;
    }
    default:
      // kustomize hashes its YAML node structure here, which has no stable equivalent;
      // the object itself is the closest stand-in.
      return r.obj;
  }
}

/** How kustomize reads a hashed field: missing is "", a scalar is its text, a map stays a map. */
function hashedFieldValue(v: JsonValue | undefined): JsonValue {
  if (v === undefined || v === null) return '';
  if (isObject(v)) return v;
  if (Array.isArray(v)) return null;
  return String(v);
}

const HEX_REPLACEMENTS: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

function encodeHex(hex: string): string {
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => HEX_REPLACEMENTS[c]!);
}

/** Go's encoding/json output: map keys in byte order, HTML-safe escaping, no spaces. */
export function goJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(Number(v));
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort(compareGoStrings);
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k]!)}`).join(',')}}`;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

function goJsonString(s: string): string {
  return `"${s.replace(/["\\\n\r\t\b\f<>&\u2028\u2029]|[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    const known = JSON_ESCAPES[c];
    if (known) return known;
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : '\ufffd';
  })}"`;
}

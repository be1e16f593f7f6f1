import { isClusterScoped, type ResId } from '../resid.js';

/** Go's `%q` for the strings kustomize quotes in generator errors. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's `%#v` of a kustomize ResId, as printed by its generator merge errors. */
export function goResIdRepr(id: ResId): string {
  const gvk = `resid.Gvk{Group:${goQuote(id.group)}, Version:${goQuote(id.version)}, Kind:${goQuote(id.kind)}, isClusterScoped:${isClusterScoped(id)}}`;
  return `resid.ResId{Gvk:${gvk}, Name:${goQuote(id.name)}, Namespace:${goQuote(id.namespace)}}`;
}

import { goQuote } from '../go-strings.js';
import { isClusterScoped, type ResId } from '../resid.js';

/** Go's `%#v` of a kustomize ResId, as printed by its generator merge errors. */
export function goResIdRepr(id: ResId): string {
  const gvk = `resid.Gvk{Group:${goQuote(id.group)}, Version:${goQuote(id.version)}, Kind:${goQuote(id.kind)}, isClusterScoped:${isClusterScoped(id)}}`;
  return `resid.ResId{Gvk:${gvk}, Name:${goQuote(id.name)}, Namespace:${goQuote(id.namespace)}}`;
}

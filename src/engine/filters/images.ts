import { BuildError } from '../../errors.js';
import { goRegExp } from '../go-regexp.js';
import { visitFieldSpec, wrongNodeKind, type FieldRef, type FieldSpec } from '../fieldspec.js';
import { isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import type { Image, Transformer } from '../types.js';

/** An image reference split as kustomize splits it: `[host[:port]/]path[:tag][@digest]`. */
export interface ImageReference {
  name: string;
  tag: string;
  digest: string;
}

/** kustomize's image.Split: the tag and digest are searched for after the first `/` only. */
export function splitImageReference(ref: string): ImageReference {
  const slash = ref.indexOf('/');
  const start = slash > 0 ? slash : 0;
  const rest = ref.slice(start);
  const at = rest.indexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 && colon < 0) return { name: ref, tag: '', digest: '' };
  if (at >= 0 && (colon < 0 || at < colon)) {
    return { name: ref.slice(0, start + at), tag: '', digest: ref.slice(start + at + 1) };
  }
  if (at >= 0) {
    return { name: ref.slice(0, start + colon), tag: ref.slice(start + colon + 1, start + at), digest: ref.slice(start + at + 1) };
  }
  return { name: ref.slice(0, start + colon), tag: ref.slice(start + colon + 1), digest: '' };
}

/**
 * kustomize's IsImageMatched: the image name is used as a regular expression (so `.` matches any
 * character), followed by an optional tag and sha256 digest.
 */
export function imageNameMatcher(name: string): RegExp {
  try {
    // the group lets a quantifier at the start of the name repeat the anchor, as Go's regexp allows (`*` matches every image)
    return goRegExp(name, '(?:^)', '(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$');
  } catch {
    throw new BuildError(`invalid image name '${name}': not a valid regular expression`);
  }
}

/** The new reference for a matched one: a new name, and a new tag and/or digest or a tag suffix. */
export function rewriteImageReference(ref: string, image: Image): string {
  let { name, tag, digest } = splitImageReference(ref);
  if (image.newName) name = image.newName;
  if (image.newTag) {
    tag = image.newTag;
    digest = image.digest ?? '';
  } else if (image.digest) {
    tag = '';
    digest = image.digest;
  } else if (image.tagSuffix) {
    tag += image.tagSuffix;
    digest = '';
  }
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

/**
 * kustomize's ImageTagTransformer for one `images:` entry. It makes two passes: first over the
 * `image` of every element of any `containers` or `initContainers` list anywhere in the object,
 * then over the field specs (never created). A pod's containers are thus visited twice, which is
 * harmless except for `tagSuffix`, added twice as kustomize does. CustomResourceDefinitions are
 * never touched.
 */
export function imageTransformer(image: Image, fieldSpecs: readonly FieldSpec[]): Transformer {
  const matcher = imageNameMatcher(image.name);
  const update = (ref: FieldRef): void => {
    const v = ref.value;
    if (isObject(v) || Array.isArray(v)) throw wrongNodeKind('ScalarNode', v);
    if (!matcher.test(String(v))) return;
    ref.set(rewriteImageReference(String(v), image));
  };
  return (resources) => {
    const eligible = resources.resources().filter((r) => r.kind !== 'CustomResourceDefinition');
    for (const r of eligible) visitContainerImages(r.obj, update);
    for (const r of eligible) for (const fs of fieldSpecs) visitFieldSpec(r.obj, r.gvk, fs, update);
  };
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers']);

/** Visits `image` of container-list elements anywhere in the value, innermost fields first. */
function visitContainerImages(v: JsonValue, update: (ref: FieldRef) => void): void {
  if (Array.isArray(v)) {
    for (const e of v) visitContainerImages(e, update);
    return;
  }
  if (!isObject(v)) return;
  for (const [key, child] of Object.entries(v)) {
    visitContainerImages(child, update);
    if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
      for (const container of child) if (isObject(container) && container.image !== undefined) update(imageRef(container));
    }
  }
}

function imageRef(container: JsonObject): FieldRef {
  return {
    get value() {
      return container.image!;
    },
    set: (v) => {
      container.image = v;
    },
    path: ['image'],
  };
}

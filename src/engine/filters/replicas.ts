import { BuildError } from '../../errors.js';
import { fieldSpecMatches, visitFieldSpec, wrongNodeKind, type FieldSpec } from '../fieldspec.js';
import { isObject } from '../../json/value.js';
import { gvkString } from '../resid.js';
import type { Replica, Transformer } from '../types.js';

/**
 * kustomize's ReplicaCountTransformer for one `replicas:` entry: for each field spec, the resources
 * whose current or any earlier id has the entry's name and a kind the spec selects get the count
 * at the spec's path (created if missing). Matching nothing at all is an error.
 */
export function replicaCountTransformer(replica: Replica, fieldSpecs: readonly FieldSpec[]): Transformer {
  return (resources) => {
    let found = false;
    for (const fs of fieldSpecs) {
      const matched = resources
        .resources()
        .filter((r) => [...r.state.previousIds, r.curId()].some((id) => id.name === replica.name && fieldSpecMatches(fs, id)));
      for (const r of matched) {
        found = true;
        visitFieldSpec(
          r.obj,
          r.gvk,
          fs,
          (ref) => {
            if (isObject(ref.value) || Array.isArray(ref.value)) throw wrongNodeKind('ScalarNode', ref.value);
            ref.set(replica.count);
          },
          'scalar',
        );
      }
    }
    if (!found) {
      const kinds = fieldSpecs.map((fs) => gvkString({ group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' }));
      throw new BuildError(`resource with name ${replica.name} does not match a config with the following GVK [${kinds.join(' ')}]`);
    }
  };
}

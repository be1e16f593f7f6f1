import { BuildError } from '../../errors.js';
import { resolveNumber, timestampToRfc3339 } from '../../yaml/scalar-resolve.js';
import { compareGoStrings, isObject, setKey } from '../../json/value.js';
import { visitFieldSpec, wrongNodeKind, type FieldSpec } from '../fieldspec.js';
import type { Resource } from '../resource.js';
import { checkFreshNodesReadableBack } from '../resources.js';

/**
 * Sets string entries in the maps the field specs reach (creating them where a spec says so), as
 * kustomize's label and annotation filters do: keys in Go's sorted order, each through every
 * spec in turn.
 */
export function setMapEntries(r: Resource, entries: Record<string, string>, fieldSpecs: readonly FieldSpec[]): void {
  const gvk = r.gvk;
  for (const key of Object.keys(entries).sort(compareGoStrings)) {
    for (const fs of fieldSpecs) {
      visitFieldSpec(
        r.obj,
        gvk,
        fs,
        (ref) => {
          const map = ref.value;
          if (map === null) return; // a null kustomize does not create stays null
          // kustomize treats an empty key as "set this scalar", which a map is not
          if (!isObject(map) || key === '') throw wrongNodeKind(isObject(map) ? 'ScalarNode' : 'MappingNode', map);
          if (readsAsNonString(key)) throw unprintableKey(key);
          setKey(map, key, checkFreshNodesReadableBack(entries[key]!));
        },
        'map',
      );
    }
  }
}

/**
 * kustomize writes the new key as an untagged plain scalar and later reads the object back with
 * YAML 1.2 rules, so a key such as `true`, `1` or `null` turns into a non-string map key, which it
 * cannot convert to JSON: the build fails.
 */
function unprintableKey(key: string): BuildError {
  return new BuildError(`key ${JSON.stringify(key)} reads back as a non-string YAML key: json: unsupported type: map[interface {}]interface {}`);
}

const YAML12_NON_STRING_WORDS = new Set([
  '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
]);
/** True when go-yaml v3 (kustomize's reader) resolves the plain scalar `s` to something other than a string. */
function readsAsNonString(s: string): boolean {
  return YAML12_NON_STRING_WORDS.has(s) || timestampToRfc3339(s) !== undefined || resolveNumber(s) !== undefined;
}

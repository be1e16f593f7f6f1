/**
 * Post-build substitution as kustomize-controller v1.9 runs it (fluxcd/pkg/kustomize
 * kustomize_varsub.go): variables from `substituteFrom` ConfigMaps and Secrets in the
 * Kustomization's namespace, then `substitute` over them, newlines stripped from every value; each
 * object's YAML expanded by Flux's envsubst and read back, unless the object opts out. Strict mode
 * (the StrictPostBuildSubstitutions feature gate, on by default since v1.9) fails on a variable
 * that is unset and has no default.
 */
import { BuildError } from '../errors.js';
import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import type { Resource } from '../engine/resource.js';
import { emitDocument } from '../yaml/emit.js';
import { decodeGoYamlV2 } from '../yaml/go-yaml-v2.js';
import { joinPointer } from '../json/pointer.js';
import { parseDocuments } from '../yaml/parse.js';
import { isSopsEncrypted } from '../kubernetes/sops.js';
import { envsubst, EnvsubstError } from './envsubst.js';
import type { RepoFiles } from './repo-files.js';

export const SUBSTITUTE_OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute';
const VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

/** What a Flux Kustomization's `postBuild` asks for. */
export interface PostBuild {
  substitute: Map<string, string>;
  substituteFrom: { kind: string; name: string; optional: boolean }[];
  /** `substituteStrategy: Always`: substitute even with no variables (defaults still apply). */
  always: boolean;
}

export function postBuildOf(spec: JsonObject): PostBuild | undefined {
  const pb = spec.postBuild;
  if (!isObject(pb)) return undefined;
  const substitute = new Map<string, string>();
  if (isObject(pb.substitute)) for (const [k, v] of Object.entries(pb.substitute)) if (typeof v === 'string') substitute.set(k, v);
  const substituteFrom = (Array.isArray(pb.substituteFrom) ? pb.substituteFrom : []).filter(isObject).map((r) => ({
    kind: String(r.kind ?? ''),
    name: String(r.name ?? ''),
    optional: r.optional === true,
  }));
  return { substitute, substituteFrom, always: pb.substituteStrategy === 'Always' };
}

/**
 * The variables of a postBuild: `find` looks a ConfigMap or Secret up among the objects of the
 * cluster the Kustomization lives in. `missing` says, in Flux's words, which references that are
 * not optional it did not find: Flux fails on them unless something outside the repository creates
 * them, and the variables they would give are unknown.
 */
export function postBuildVariables(pb: PostBuild, find: (kind: 'ConfigMap' | 'Secret', name: string) => Resource | undefined): Variables & { missing: string[] } {
  const vars = new Map<string, string>();
  const opaque = new Set<string>();
  const missing: string[] = [];
  for (const ref of pb.substituteFrom) {
    if (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') continue;
    const found = find(ref.kind, ref.name);
    if (!found) {
      if (!ref.optional) missing.push(`substitute from '${ref.kind}/${ref.name}' error: ${ref.kind.toLowerCase()} "${ref.name}" not found`);
      continue;
    }
    const encrypted = isSopsEncrypted(found.obj);
    for (const [k, v] of dataOf(found)) {
      if (encrypted) {
        vars.delete(k);
        opaque.add(k);
      } else {
        vars.set(k, stripNewlines(v));
        opaque.delete(k);
      }
    }
  }
  for (const [k, v] of pb.substitute) {
    vars.set(k, stripNewlines(v));
    opaque.delete(k);
  }
  return { vars, opaque, missing };
}

/** What a postBuild substitutes. */
export interface Variables {
  vars: ReadonlyMap<string, string>;
  /** Variables that are set but whose values are not known here: keys of SOPS-encrypted Secrets, which Flux decrypts. */
  opaque: ReadonlySet<string>;
}

function stripNewlines(v: string): string {
  return v.replaceAll('\n', '');
}

/** A ConfigMap's `data`; a Secret's `data` decoded, with `stringData` over it as the API server merges them. */
function dataOf(r: Resource): Map<string, string> {
  const out = new Map<string, string>();
  const data = r.obj.data;
  const secret = r.kind === 'Secret';
  if (isObject(data)) for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out.set(k, secret ? Buffer.from(v, 'base64').toString('utf8') : v);
  if (secret && isObject(r.obj.stringData)) for (const [k, v] of Object.entries(r.obj.stringData)) if (typeof v === 'string') out.set(k, v);
  return out;
}

/** A reason Flux would refuse the build, at the file and line a person edits. */
export interface SubstitutionProblem {
  message: string;
  /** The variable that is unset (strict mode), for those problems. */
  variable?: string;
  file?: string;
  line?: number;
}

/**
 * What becomes of a variable that is unset and has no default: `report`, strict mode (it stays as
 * written and is a problem at the line that uses it); `empty`, Flux's lenient mode; `keep`, it
 * stays as written, for when the variables are not all known.
 */
export type UnsetVariables = 'report' | 'empty' | 'keep';

/**
 * Reads an object's YAML back after substitution as Flux does (decodeGoYamlV2, whose BuildError
 * says what is wrong); a memo of earlier runs may answer instead, with a value of its own.
 */
export type SubstitutedDecoder = (text: string) => JsonValue;

/** Substitutes into each resource in place; text Flux cannot parse leaves the object as it was. */
export function substituteResources(
  resources: readonly Resource[],
  { vars, opaque }: Variables,
  options: {
    unset: UnsetVariables;
    always: boolean;
    files: RepoFiles;
    decode?: SubstitutedDecoder;
    /** The i-th object as emitDocument writes it, from a caller that keeps it (the same objects substituted for many clusters). */
    emitted?: (i: number) => string;
  },
): SubstitutionProblem[] {
  if (vars.size + opaque.size === 0 && !options.always) return [];
  const invalid = [...vars.keys(), ...opaque].find((k) => !VARIABLE_NAME.test(k));
  if (invalid !== undefined) return [{ message: `'${invalid}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'` }];
  const problems: SubstitutionProblem[] = [];
  // an opaque variable is handed to `unset`, which keeps it as written
  const lookup = options.unset === 'empty' ? (n: string) => vars.get(n) ?? (opaque.has(n) ? undefined : '') : (n: string) => vars.get(n);
  const located = new Locator(options.files);
  for (const [i, r] of resources.entries()) {
    if (r.labels()[SUBSTITUTE_OPT_OUT] === 'disabled' || r.annotations()[SUBSTITUTE_OPT_OUT] === 'disabled') continue;
    const unset = new Set<string>();
    let text: string;
    try {
      text = envsubst(options.emitted?.(i) ?? emitDocument(r.obj), lookup, (name) => {
        if (!opaque.has(name)) unset.add(name);
        return `\${${name}}`;
      });
    } catch (e) {
      if (!(e instanceof EnvsubstError)) throw e;
      problems.push({ message: `post build failed for '${describe(r)}': envsubst error: variable substitution failed: ${e.message}`, ...located.at(r, /\$\{(?![\p{L}\p{Nd}_#])/u) });
      continue;
    }
    for (const name of options.unset === 'report' ? unset : []) {
      problems.push({
        message: `post build failed for '${describe(r)}': variable not set (strict mode): "${name}"`,
        variable: name,
        ...located.at(r, new RegExp(`\\$\\{#?${name}(?![\\p{L}\\p{Nd}_])`, 'u')),
      });
    }
    let value: JsonValue;
    try {
      value = (options.decode ?? decodeGoYamlV2)(text);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      problems.push({ message: `post build failed for '${describe(r)}': YAMLToJSON: ${e.message}`, ...located.at(r) });
      continue;
    }
    if (isObject(value)) r.obj = value;
  }
  return problems;
}

function describe(r: Resource): string {
  const g = r.gvk;
  return `${g.group ? `${g.group}_` : ''}${g.version}_${g.kind}/${r.name}`;
}

/** Finds the line of the first string of a resource that matches, in the file it was read from. */
class Locator {
  private readonly parsed = new Map<string, ReturnType<typeof parseDocuments> | null>();

  constructor(private readonly files: RepoFiles) {}

  at(r: Resource, pattern?: RegExp): { file?: string; line?: number } {
    const source = r.state.source;
    if (!source) return {};
    const pointer = pattern ? pointerOf(r.obj, pattern, '') : undefined;
    if (pointer === undefined) return { ...source };
    const doc = this.docs(source.file)?.find((d) => d.line === source.line);
    return { file: source.file, line: doc?.lines.get(pointer) ?? source.line };
  }

  private docs(file: string): ReturnType<typeof parseDocuments> | null {
    if (!this.parsed.has(file)) {
      let docs: ReturnType<typeof parseDocuments> | null = null;
      try {
        docs = parseDocuments(this.files.read(file), file);
      } catch {
        // unreadable, or no YAML: the document's own line is all we can say
      }
      this.parsed.set(file, docs);
    }
    return this.parsed.get(file)!;
  }
}

/** JSON pointer of the first string value (or key) matching `pattern`, depth first. */
function pointerOf(v: JsonValue, pattern: RegExp, at: string): string | undefined {
  if (typeof v === 'string') return pattern.test(v) ? at : undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = pointerOf(v[i]!, pattern, joinPointer(at, i));
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (!isObject(v)) return undefined;
  for (const [k, item] of Object.entries(v)) {
    const child = joinPointer(at, k);
    if (pattern.test(k)) return child;
    const p = pointerOf(item, pattern, child);
    if (p !== undefined) return p;
  }
  return undefined;
}

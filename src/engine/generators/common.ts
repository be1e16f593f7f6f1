import { BuildError } from '../../errors.js';
import { compareGoStrings, type JsonObject } from '../../json/value.js';
import type { Loader } from '../loader.js';
import { emptyBuildState, Resource, type GenerationBehavior } from '../resource.js';
import { checkFreshNodesReadableBack } from '../resources.js';
import type { GeneratorArgs, GeneratorOptions } from '../types.js';
import { loadKvPairs } from './kv.js';
import { mergeGeneratorOptions } from './options.js';

/** What every generated object starts as: `apiVersion: v1`, the kind, name and namespace. */
export function baseObject(kind: 'ConfigMap' | 'Secret', args: GeneratorArgs): JsonObject {
  // kustomize says "configmap" for secrets too
  if (!args.name) throw new BuildError('a configmap must have a name');
  const metadata: JsonObject = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: 'v1', kind, metadata };
}

/** The generator's pairs by key, sorted by key; a key given twice is an error. */
export function validatedDataMap(args: GeneratorArgs, loader: Loader): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const { key, value } of loadKvPairs(args, loader)) {
    if (data.has(key)) throw new BuildError(`configmap ${args.name ?? ''} illegally repeats the key \`${key}\``);
    data.set(key, value);
  }
  return new Map([...data].sort(([a], [b]) => compareGoStrings(a, b)));
}

/**
 * Base64 as kustomize writes generated values: one line when shorter than 70 characters,
 * otherwise 70-character lines each ending in a newline.
 */
export function encodeBase64(value: Buffer): string {
  const encoded = value.toString('base64');
  const lineLength = 70;
  if (encoded.length < lineLength) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += lineLength) out += `${encoded.slice(i, i + lineLength)}\n`;
  return out;
}

/** Labels, annotations and `immutable` from the generator options. */
export function applyOptions(obj: JsonObject, options: GeneratorOptions | undefined): void {
  const metadata = obj.metadata as JsonObject;
  if (options?.labels && Object.keys(options.labels).length > 0) metadata.labels = { ...options.labels };
  if (options?.annotations && Object.keys(options.annotations).length > 0) metadata.annotations = { ...options.annotations };
  if (options?.immutable) obj.immutable = true;
}

/** An unknown behavior string is "unspecified": it creates, but cannot coexist with an existing object. */
function parseBehavior(behavior: string | undefined): GenerationBehavior | undefined {
  return behavior === 'create' || behavior === 'merge' || behavior === 'replace' ? behavior : undefined;
}

export function generatedResource(obj: JsonObject, args: GeneratorArgs, options: GeneratorOptions | undefined): Resource {
  checkFreshNodesReadableBack(obj);
  const state = emptyBuildState();
  state.needsHashSuffix = !options?.disableNameSuffixHash;
  const behavior = parseBehavior(args.behavior);
  if (behavior) state.behavior = behavior;
  return new Resource(obj, state);
}

/** Runs one generator per args entry, each with its options merged with the kustomization's. */
export function generateAll<A extends GeneratorArgs>(
  argsList: A[] | undefined,
  globalOptions: GeneratorOptions | undefined,
  make: (args: A, options: GeneratorOptions | undefined) => Resource,
): Resource[] {
  return (argsList ?? []).map((args) => make(args, mergeGeneratorOptions(args.options, globalOptions)));
}

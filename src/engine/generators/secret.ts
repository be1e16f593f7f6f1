import type { JsonObject } from '../../json/value.js';
import type { Loader } from '../loader.js';
import type { Resource } from '../resource.js';
import type { GeneratorOptions, SecretArgs } from '../types.js';
import { applyOptions, baseObject, encodeBase64, generateAll, generatedResource, validatedDataMap } from './common.js';

/**
 * kustomize's secretGenerator: every value base64-encoded in `data` (which is present even when
 * empty), `type` defaulting to Opaque.
 */
export function generateSecrets(
  argsList: SecretArgs[] | undefined,
  globalOptions: GeneratorOptions | undefined,
  loader: Loader,
): Resource[] {
  return generateAll(argsList, globalOptions, (args, options) => makeSecret(args, options, loader));
}

function makeSecret(args: SecretArgs, options: GeneratorOptions | undefined, loader: Loader): Resource {
  const obj = baseObject('Secret', args);
  obj.type = args.type || 'Opaque';
  const data: JsonObject = {};
  for (const [key, value] of validatedDataMap(args, loader)) data[key] = encodeBase64(value);
  obj.data = data;
  applyOptions(obj, options);
  return generatedResource(obj, args, options);
}

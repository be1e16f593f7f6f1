import { isUtf8 } from 'node:buffer';
import type { JsonObject } from '../../json/value.js';
import type { Loader } from '../loader.js';
import type { Resource } from '../resource.js';
import type { GeneratorArgs, GeneratorOptions } from '../types.js';
import { applyOptions, baseObject, encodeBase64, generateAll, generatedResource, validatedDataMap } from './common.js';

/**
 * kustomize's configMapGenerator. Values that are valid UTF-8 go to `data` as text; anything
 * else goes to `binaryData`, base64-encoded. Without any value there is no `data` field at all.
 */
export function generateConfigMaps(
  argsList: GeneratorArgs[] | undefined,
  globalOptions: GeneratorOptions | undefined,
  loader: Loader,
): Resource[] {
  return generateAll(argsList, globalOptions, (args, options) => makeConfigMap(args, options, loader));
}

function makeConfigMap(args: GeneratorArgs, options: GeneratorOptions | undefined, loader: Loader): Resource {
  const obj = baseObject('ConfigMap', args);
  for (const [key, value] of validatedDataMap(args, loader)) {
    const field = isUtf8(value) ? 'data' : 'binaryData';
    const map = (obj[field] ??= {}) as JsonObject;
    map[key] = field === 'data' ? value.toString('utf8') : encodeBase64(value);
  }
  applyOptions(obj, options);
  return generatedResource(obj, args, options);
}

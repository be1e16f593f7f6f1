import { createRequire } from 'node:module';
import type * as AjvLibrary from 'ajv';
import type * as GlobLibrary from 'glob';
import type * as YamlLibrary from 'yaml';

const requireFromHere = createRequire(import.meta.url);

/*
 * Libraries loaded on first use rather than at start-up: each takes about a tenth of a second to
 * load, and a validation of plain manifest files with a warm schema cache needs neither (cached
 * schema code runs without ajv, plain block YAML is read without the yaml library).
 */

let ajv: typeof AjvLibrary | undefined;
let yaml: typeof YamlLibrary | undefined;
let glob: typeof GlobLibrary | undefined;

export function ajvLibrary(): typeof AjvLibrary {
  ajv ??= requireFromHere('ajv') as typeof AjvLibrary;
  return ajv;
}

export function yamlLibrary(): typeof YamlLibrary {
  yaml ??= requireFromHere('yaml') as typeof YamlLibrary;
  return yaml;
}

/** Only a run that excludes paths needs it. */
export function globLibrary(): typeof GlobLibrary {
  glob ??= requireFromHere('glob') as typeof GlobLibrary;
  return glob;
}

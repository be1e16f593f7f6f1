import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { BuildError } from '../../errors.js';
import { exampleFleet } from '../../fleet/example.js';
import { FLEET_SCHEMA_FILE, FLEET_SCHEMA_PACKAGE_PATH } from '../../fleet/schema.js';
import { writeFileAtomic } from '../../files.js';
import { nonEmptyPath } from '../io.js';

interface InitArgs {
  file: string;
  force: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [file]',
  describe: 'Write a commented example fleet spec to start from',
  builder: (y) =>
    y
      .positional('file', { type: 'string', default: 'fleet.yaml', coerce: nonEmptyPath('the spec to write'), describe: 'the spec to write' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite the file if it exists' }),
  handler: (args) => {
    const file = path.resolve(args.file);
    if (!args.force && fs.existsSync(file)) throw new BuildError('already exists; use --force to overwrite it', args.file);
    writeFileAtomic(file, exampleFleet(schemaRef(path.dirname(file))));
    process.stdout.write(`wrote ${args.file}\n`);
  },
};

/**
 * Where editors beside the spec find its schema: this capifleet's copy when it is installed
 * under the spec's folder (node_modules), else where a project-local install puts it.
 */
function schemaRef(dir: string): string {
  const rel = path.relative(dir, FLEET_SCHEMA_FILE);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return `./node_modules/capifleet/${FLEET_SCHEMA_PACKAGE_PATH}`;
  return `./${rel.split(path.sep).join('/')}`;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { loadCatalog, LOCAL_SCHEMAS_DIR, type SchemaEntry } from '../../schemas/catalog.js';
import { convertCrdDocuments, readCrdDocuments } from '../../schemas/crd-files.js';
import { addToCatalog, compareRecords, type StoredSchema } from '../../schemas/store.js';
import { BuildError } from '../../errors.js';
import { fileKind } from '../../files.js';
import { nonEmptyPath, nonEmptyPaths } from '../io.js';

interface ImportArgs {
  inputs: string[];
  'project-dir': string;
}

interface ListArgs {
  'project-dir': string;
  output: 'table' | 'json';
}

const projectDirOption = {
  type: 'string',
  default: '.',
  coerce: nonEmptyPath('--project-dir'),
  describe: `project whose catalog (${LOCAL_SCHEMAS_DIR}) is used`,
} as const;

/** The project folder, resolved; a file or a special file there is refused in one line. */
function projectDirOf(dir: string): string {
  const stats = fs.statSync(dir, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) throw new BuildError(`--project-dir ${dir}: it is ${fileKind(stats)}, not a folder`);
  return path.resolve(dir);
}

/** Imported CRDs have no upstream release; their source names the file they came from. */
const IMPORTED = { project: 'local', tag: 'imported' };

const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <inputs..>',
  describe: `convert CustomResourceDefinitions (files, directories or - for stdin) into the project catalog (${LOCAL_SCHEMAS_DIR})`,
  builder: (y) =>
    y
      // yargs would otherwise drop a lone `-` (stdin) from the positionals
      .parserConfiguration({ 'unknown-options-as-args': true })
      .positional('inputs', { type: 'string', array: true, demandOption: true, coerce: nonEmptyPaths('a CRD file or folder'), describe: 'CRD YAML files, directories or -' })
      .option('project-dir', projectDirOption),
  handler: (args) => {
    const projectDir = projectDirOf(args['project-dir']);
    const converted = convertCrdDocuments(readCrdDocuments(args.inputs, () => fs.readFileSync(0, 'utf8')));
    const schemas: StoredSchema[] = converted.map((c) => {
      const file = c.file === '<stdin>' ? c.file : path.relative(projectDir, path.resolve(c.file)).split(path.sep).join('/');
      const stored: StoredSchema = {
        apiVersion: c.apiVersion,
        kind: c.kind,
        deprecated: c.deprecated,
        source: { ...IMPORTED, file },
        schema: c.schema,
      };
      if (c.deprecationWarning !== undefined) stored.deprecationWarning = c.deprecationWarning;
      return stored;
    });
    const records = addToCatalog(path.join(projectDir, LOCAL_SCHEMAS_DIR), schemas);
    for (const r of [...records].sort(compareRecords)) process.stdout.write(`imported ${r.apiVersion} ${r.kind}\n`);
  },
};

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'show every known schema: apiVersion, kind, source, the release it comes from, deprecated',
  builder: (y) =>
    y.option('project-dir', projectDirOption).option('output', {
      alias: 'o',
      choices: ['table', 'json'] as const,
      default: 'table' as const,
      describe: 'table for people, json for tools',
    }),
  handler: (args) => {
    const entries = loadCatalog({ projectDir: projectDirOf(args['project-dir']) }).entries().sort(compareRecords);
    process.stdout.write(args.output === 'json' ? `${JSON.stringify(entries.map(listRecord), null, 2)}\n` : formatTable(entries));
  },
};

function listRecord(e: SchemaEntry): object {
  return { apiVersion: e.apiVersion, kind: e.kind, source: e.source, ...(e.release ? { release: e.release } : {}), deprecated: e.deprecated };
}

/** An upstream release reads best as project@tag; an imported CRD by the file it came from. */
function sourceText(e: SchemaEntry): string {
  return e.source.project === IMPORTED.project ? `${IMPORTED.project}:${e.source.file}` : `${e.source.project}@${e.source.tag}`;
}

/** Columns padded to their widest cell, as kubectl prints tables. */
export function formatTable(entries: readonly SchemaEntry[]): string {
  const rows = [['APIVERSION', 'KIND', 'SOURCE', 'RELEASE', 'DEPRECATED'], ...entries.map((e) => [e.apiVersion, e.kind, sourceText(e), e.release ?? '-', String(e.deprecated)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('   ')).join('\n') + '\n';
}

export const schemasCommand: CommandModule = {
  command: 'schemas <command>',
  describe: 'manage the schemas validate uses (bundled CAPI/CAPZ/Flux/Kubernetes plus imported CRDs)',
  builder: (y: Argv) => y.command(importCommand).command(listCommand).demandCommand(1, 'name a schemas command'),
  handler: () => {},
};


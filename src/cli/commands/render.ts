import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { BuildError, NestedTooDeepForThisThread } from '../../errors.js';
import { renderMany } from '../../engine/render-many.js';
import { renderYaml } from '../../engine/output.js';
import { render } from '../../engine/target.js';
import type { Resource } from '../../engine/resource.js';
import { writeFileAtomic, writeFilesInside } from '../../files.js';
import { nonEmptyPath, nonEmptyPaths, printWarning, Progress } from '../io.js';
import { JOBS_OPTION, jobsLimit } from '../jobs.js';
import { BUILD_OPTIONS, buildOptions, type BuildArgs } from '../options.js';
import { warnIfInterruptedRun } from '../../generate/tree-writer.js';
import { SchemaCompiler } from '../../schemas/compiled-schemas.js';

interface RenderArgs extends BuildArgs {
  dirs: string[];
  output?: string;
  jobs?: number;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render <dirs..>',
  describe: 'Build kustomization directories; output is identical to `kustomize build`',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, coerce: nonEmptyPaths('a kustomization directory'), describe: 'kustomization directories' })
      .options(BUILD_OPTIONS)
      .option('output', {
        alias: 'o',
        type: 'string',
        coerce: nonEmptyPath('--output'),
        describe: 'write to this file (one dir) or folder (several dirs: one file per overlay)',
      })
      .option('jobs', JOBS_OPTION),
  handler: async (args) => {
    const threads = jobsLimit(args.jobs);
    warnIfInterruptedRun(process.cwd(), printWarning);
    // the kustomization check as compiled at build time: compiling it in the run cost ~0.2 s of CPU
    const compiler = new SchemaCompiler();
    const options = { ...buildOptions(args), onWarning: printWarning, kustomizationCheck: () => compiler.kustomizationCheck() };
    if (args.dirs.length === 1) {
      const dir = args.dirs[0]!;
      let resources: Resource[];
      try {
        resources = render(dir, options);
      } catch (e) {
        // YAML nested deeper than this thread's stack reads: a worker with a deep stack renders it
        // (as text only: the resources themselves do not cross threads, as -o FOLDER needs them)
        if (!(e instanceof NestedTooDeepForThisThread) || isFolder(args.output)) throw e;
        writeOutputs(await renderMany([dir], { ...options, threads: 1 }), args.output);
        return;
      }
      writeOutputs([{ dir, yaml: renderYaml(resources), resources }], args.output);
      return;
    }
    const progress = new Progress('rendering', args.dirs.length);
    const outputs = await renderMany(args.dirs, { ...options, ...(threads ? { threads } : {}), onProgress: (done) => progress.tick(done) });
    progress.end();
    writeOutputs(outputs, args.output);
  },
};

function writeOutputs(outputs: { dir: string; yaml: string; resources?: Resource[] }[], output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(outputs.map((o) => o.yaml).join('---\n'));
    return;
  }
  const isDir = isFolder(output);
  if (outputs.length === 1 && !isDir) {
    writeFileAtomic(output, outputs[0]!.yaml);
    return;
  }
  if (outputs.length === 1) {
    // kustomize build -o DIR: one file per resource, named by group_version_kind_name
    writeFilesInside(output, (outputs[0]!.resources ?? []).map((r) => ({ names: [resourceFileName(r)], content: renderYaml([r]) })));
    return;
  }
  if (fs.existsSync(output) && !isDir) throw new BuildError(`with several directories, --output must be a folder: ${output} is a file`);
  writeFilesInside(output, outputs.map((o) => ({ names: [overlayFileName(o.dir)], content: o.yaml })));
}

function isFolder(output: string | undefined): boolean {
  return output !== undefined && fs.existsSync(output) && fs.statSync(output).isDirectory();
}

/** Names come from the resources, so writeFilesInside makes them one safe segment. */
function resourceFileName(r: Resource): string {
  const { group, version, kind } = r.gvk;
  return `${[group, version, kind].filter(Boolean).join('_')}_${r.name}.yaml`.toLowerCase();
}

/** overlays/prod/eu-1 → overlays_prod_eu-1.yaml: unique per overlay, flat, readable. */
export function overlayFileName(dir: string): string {
  const rel = path.relative(process.cwd(), path.resolve(dir)) || path.basename(path.resolve(dir));
  return `${rel.split(path.sep).filter((p) => p && p !== '..').join('_') || 'root'}.yaml`;
}

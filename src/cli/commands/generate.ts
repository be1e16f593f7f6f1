import type { CommandModule } from 'yargs';
import { planGeneration } from '../../generate/generation.js';
import type { PlanMode } from '../../generate/plan.js';
import { runGeneration, specOption } from '../generation.js';
import { readInputFile } from '../io.js';

interface GenerateArgs {
  spec: string;
  'dry-run': boolean;
  check: boolean;
  prune: boolean;
  force: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write base/ and overlays/ from the fleet spec; files people edited are left alone',
  builder: (y) =>
    specOption(y)
      .option('dry-run', { type: 'boolean', default: false, describe: 'print what would change, with diffs; write nothing' })
      .option('check', { type: 'boolean', default: false, describe: 'write nothing; exit 1 when the tree differs from the spec' })
      .option('prune', { type: 'boolean', default: false, describe: 'remove generated files the spec no longer generates' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite (with --prune: remove) generated files people edited' }),
  handler: (args) => {
    const mode: PlanMode = args.check ? 'check' : args['dry-run'] ? 'dry-run' : 'write';
    process.exitCode = runGeneration(planGeneration(args.spec, readInputFile(args.spec), args, mode), mode);
  },
};

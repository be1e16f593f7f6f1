import type { CommandModule } from 'yargs';
import { addClusterToSpec } from '../../fleet/edit.js';
import { PROVIDERS, type ClusterEntry, type Provider } from '../../fleet/types.js';
import { checkReplaceable, writeFileAtomic } from '../../files.js';
import { readInputFile } from '../io.js';
import { planGeneration } from '../../generate/generation.js';
import { runGeneration, specOption } from '../generation.js';

interface AddClusterArgs {
  name: string;
  spec: string;
  env: string;
  location?: string;
  provider?: Provider;
  'kubernetes-version'?: string;
}

export const addClusterCommand: CommandModule<object, AddClusterArgs> = {
  command: 'add-cluster <name>',
  describe: 'Add a cluster to the fleet spec, keeping its comments, then generate',
  builder: (y) =>
    specOption(y)
      .positional('name', { type: 'string', demandOption: true, describe: "the cluster's name" })
      .option('env', { type: 'string', demandOption: true, describe: 'its environment' })
      .option('location', { type: 'string', describe: "its region (default: the spec's defaults)" })
      .option('provider', { choices: PROVIDERS, describe: "its provider (default: the spec's defaults)" })
      .option('kubernetes-version', { type: 'string', describe: "its Kubernetes version (default: the spec's defaults)" }),
  handler: (args) => {
    const entry: ClusterEntry = {
      name: args.name,
      environment: args.env,
      ...(args.provider !== undefined ? { provider: args.provider } : {}),
      ...(args['kubernetes-version'] !== undefined ? { kubernetesVersion: args['kubernetes-version'] } : {}),
      ...(args.location !== undefined ? { location: args.location } : {}),
    };
    checkReplaceable(args.spec);
    const text = addClusterToSpec(readInputFile(args.spec), args.spec, entry);
    // Planning first checks the edited spec: a cluster it rejects leaves fleet.yaml as it was;
    // the spec is written last, so a tree that cannot be written leaves it as it was too.
    const generation = planGeneration(args.spec, text, {}, 'write');
    process.exitCode = runGeneration(generation, 'write', () => {
      writeFileAtomic(args.spec, text);
      process.stdout.write(`add-cluster: added ${args.name} to ${args.spec}\n`);
    });
  },
};

#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BuildError } from '../errors.js';
import { addClusterCommand } from './commands/add-cluster.js';
import { generateCommand } from './commands/generate.js';
import { initCommand } from './commands/init.js';
import { renderCommand } from './commands/render.js';
import { schemasCommand } from './commands/schemas.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_USAGE } from './exit-codes.js';

/** Prints a user error as one line and a bug with a hint; never a raw stack trace unless asked. */
function fail(err: unknown): never {
  if (err instanceof BuildError) {
    process.stderr.write(`capifleet: ${err.format(process.cwd())}\n`);
  } else {
    const e = err as Error;
    process.stderr.write(`capifleet: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.CAPIFLEET_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    else process.stderr.write('capifleet: this is a bug; rerun with CAPIFLEET_DEBUG=1 for details and report it\n');
  }
  process.exit(EXIT_USAGE);
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('capifleet')
    .usage('$0 <command> [options]')
    .command(initCommand)
    .command(generateCommand)
    .command(addClusterCommand)
    .command(renderCommand)
    .command(schemasCommand)
    .command(validateCommand)
    .demandCommand(1, 'name a command')
    .strict()
    .recommendCommands()
    .help()
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`capifleet: ${msg}\nRun 'capifleet --help' for usage.\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

main().catch(fail);

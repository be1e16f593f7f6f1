#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BuildError } from '../errors.js';
import { toolVersion } from './build-info.js';
import { EXIT_USAGE } from './exit-codes.js';
import { skipHelpLayout } from './help-layout.js';
import { oneLineUsageMessage, unknownOption, type KnownOptions } from './options.js';

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

/**
 * A reader that went away (`capifleet render | head`) ends what is written to it, not the run: the
 * rest of the output is dropped and the run ends with the exit code its work gives, as it would
 * have had the reader read everything. Any other error of the stream is reported as `fail` does.
 */
function dropOutputWhenReaderGone(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // the stream is destroyed after this error: later writes are dropped without another
    if (err.code !== 'EPIPE') fail(new BuildError(`cannot write the output: ${err.message}`));
  });
}

/**
 * Each command's module, loaded only when that command runs (or for help over all of them; none for --version):
 * start-up is most of a small run, and `validate` has no use for `render`'s threads or the CRD
 * converter behind `schemas`.
 */
const COMMANDS: Record<string, (cli: Argv) => Promise<Argv>> = {
  init: async (cli) => cli.command((await import('./commands/init.js')).initCommand),
  generate: async (cli) => cli.command((await import('./commands/generate.js')).generateCommand),
  'add-cluster': async (cli) => cli.command((await import('./commands/add-cluster.js')).addClusterCommand),
  render: async (cli) => cli.command((await import('./commands/render.js')).renderCommand),
  schemas: async (cli) => cli.command((await import('./commands/schemas.js')).schemasCommand),
  validate: async (cli) => cli.command((await import('./commands/validate.js')).validateCommand),
  diff: async (cli) => cli.command((await import('./commands/diff.js')).diffCommand),
  promote: async (cli) => cli.command((await import('./commands/promote.js')).promoteCommand),
};

/** Whether yargs only prints the version: --version among long options, no command and no help asked for. */
function onlyVersion(args: readonly string[]): boolean {
  return args.includes('--version') && args.every((a) => a.startsWith('--') && !a.startsWith('--help'));
}

/** The options of the command that runs, once its builder ran on the one yargs instance (yargs has the call; its type declarations lack it). */
function optionsOf(y: unknown): KnownOptions {
  return (y as { getOptions(): KnownOptions }).getOptions();
}

async function main(): Promise<void> {
  const args = hideBin(process.argv);
  let cli = yargs(args).scriptName('capifleet').usage('$0 <command> [options]');
  const invoked = args[0] !== undefined ? COMMANDS[args[0]] : undefined;
  for (const register of invoked ? [invoked] : onlyVersion(args) ? [] : Object.values(COMMANDS)) cli = await register(cli);
  skipHelpLayout(cli);
  await cli
    // capifleet's own words are English; yargs' headings and messages follow them
    .locale('en')
    .demandCommand(1, 'name a command')
    .strict()
    .recommendCommands()
    .help()
    // yargs would look for package.json from its own location, which the bundle moved
    .version(toolVersion())
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    // before yargs' own checks: a mistyped option would otherwise be read as a path, or take the next word as its value
    .middleware(() => {
      const unknown = unknownOption(args, optionsOf(cli));
      if (unknown) throw new BuildError(unknown);
    }, true)
    .fail((msg, err) => {
      // yargs passes on what an option's `coerce` throws (a user error) as a YError of its message
      if (err) fail(err.name === 'YError' ? new BuildError(err.message) : err);
      const unknown = unknownOption(args, optionsOf(cli));
      // one line, as every error: the hint to the help goes on it
      process.stderr.write(`capifleet: ${unknown ?? oneLineUsageMessage(msg)} (see 'capifleet --help')\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

dropOutputWhenReaderGone(process.stdout);
main().catch(fail);

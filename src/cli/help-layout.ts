import type { Argv } from 'yargs';

/**
 * Spares a run the layout of its command's help text. yargs lays out the whole help text of the
 * command it runs as the handler starts, kept for a help shown later (yargs 18's command.js: every
 * command has a handler, and only the default command is spared); capifleet shows none then (a
 * failure is one line), and laying it out loads cliui and string-width (see scripts/bundle.mjs).
 * No public call of yargs turns it off or keeps the command from having a handler, so this reaches
 * its usage instance; a yargs without one only costs the time. Whether it was spared.
 */
export function skipHelpLayout(cli: Argv): boolean {
  const usage = (cli as unknown as { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: unknown } | undefined } }).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage !== 'function') return false;
  usage.cacheHelpMessage = () => {};
  return true;
}

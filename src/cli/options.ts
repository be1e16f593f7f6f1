import { closest, distance } from 'fastest-levenshtein';
import type { LoadRestrictor } from '../engine/loader.js';

/** What yargs knows of a command's options once its builder ran (`yargs.getOptions()`). */
export interface KnownOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
}

/**
 * The first option on the command line that the command does not define, as a one-line message
 * naming the closest one it does; undefined when all are known. yargs suggests commands, not
 * options, and a command that takes `-` (stdin) among its paths reads unknown options as paths.
 */
export function unknownOption(args: readonly string[], known: KnownOptions): string | undefined {
  const names = new Set([...Object.keys(known.key), ...Object.values(known.alias).flat()]);
  for (const arg of args) {
    if (arg === '--') break;
    if (arg === '-' || !arg.startsWith('-')) continue;
    const written = arg.split('=')[0]!;
    const name = written.replace(/^--?/, '');
    const bare = name.startsWith('no-') ? name.slice(3) : name;
    // a bundle of short flags (-ab) is known when each letter is
    const known1 = names.has(name) || names.has(bare) || (!written.startsWith('--') && [...name].every((c) => names.has(c)));
    if (known1) continue;
    const long = [...names].filter((n) => n.length > 1 && !/[A-Z]/.test(n));
    const best = long.length ? closest(bare, long) : undefined;
    const close = best !== undefined && distance(bare, best) <= Math.max(2, Math.floor(bare.length / 3));
    return `unknown option ${written}${close ? `; did you mean --${best}?` : ''}`;
  }
  return undefined;
}

/**
 * yargs' own usage messages as one line: its "Invalid values:" block (a heading, then one
 * indented "Argument: …, Given: …, Choices: …" line per option) names each option and what it
 * takes; any other message's lines are joined.
 */
export function oneLineUsageMessage(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines[0] !== 'Invalid values:') return lines.join(' ');
  return lines
    .slice(1)
    .map((line) => {
      const m = /^Argument: (.*?), Given: (.*?), Choices: (.*)$/.exec(line);
      return m ? `--${m[1]}: ${m[2]} is not one of ${m[3]}` : line;
    })
    .join('; ');
}

/** kustomize's spellings of `--load-restrictor` (CAPI's and CAPZ's Makefiles pass them) beside capifleet's own. */
const LOAD_RESTRICTORS: Record<string, LoadRestrictor> = {
  root: 'root',
  none: 'none',
  LoadRestrictionsRootOnly: 'root',
  LoadRestrictionsNone: 'none',
};

/** `--load-restrictor`, `--enable-helm`, `--helm-command`: how kustomizations are built, the same for render and validate. */
export const BUILD_OPTIONS = {
  'load-restrictor': {
    choices: Object.keys(LOAD_RESTRICTORS),
    default: 'root',
    describe: 'root (LoadRestrictionsRootOnly): files must lie inside the kustomization directory; none (LoadRestrictionsNone): anywhere',
  },
  'enable-helm': { type: 'boolean', default: false, describe: 'inflate helmCharts with a helm binary' },
  'helm-command': { type: 'string', default: 'helm', describe: 'helm binary to run' },
} as const;

export interface BuildArgs {
  /** Unset only where a command has no default (validate: see its option). */
  'load-restrictor'?: string;
  'enable-helm': boolean;
  'helm-command': string;
}

/** The engine's build options from the command line. */
export function buildOptions(args: BuildArgs): { loadRestrictor?: LoadRestrictor; enableHelm: boolean; helmCommand: string } {
  const restrictor = args['load-restrictor'];
  return { ...(restrictor !== undefined ? { loadRestrictor: LOAD_RESTRICTORS[restrictor]! } : {}), enableHelm: args['enable-helm'], helmCommand: args['helm-command'] };
}

import { Environment } from '@marcbachmann/cel-js';
import { registerKubernetesLibrary } from './kubernetes-library.js';

/** A compiled CEL expression over `self`; it throws when evaluation fails. */
export interface Runnable {
  run(self: unknown): unknown;
}

/** A compiled expression, or why it cannot be evaluated here. */
export type Program = Runnable | { skip: string };

/**
 * The environment CRD validation rules compile in: `self` of any type (the rule's schema node
 * types it in Kubernetes; here the value does), optional syntax (`self.?field`), list literals of
 * mixed types, and the Kubernetes CEL library functions.
 */
const environment = registerKubernetesLibrary(
  new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true }).registerVariable('self', 'dyn'),
);

/** Transition rules compare with the stored object, which an offline check does not have. */
const OLD_SELF = /\boldSelf\b/;

/** Compiled expressions by their text: each distinct rule is compiled once per process. */
const programs = new Map<string, Program>();

export function program(expression: string): Program {
  let compiled = programs.get(expression);
  if (!compiled) {
    compiled = compile(expression);
    programs.set(expression, compiled);
  }
  return compiled;
}

function compile(expression: string): Program {
  if (OLD_SELF.test(expression)) return { skip: 'transition rule (oldSelf)' };
  try {
    const parsed = environment.parse(expression);
    const checked = parsed.check();
    if (!checked.valid) return { skip: firstLine(checked.error?.message ?? 'does not type-check') };
    return { run: (self) => parsed({ self }) };
  } catch (e) {
    return { skip: firstLine(e instanceof Error ? e.message : String(e)) };
  }
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

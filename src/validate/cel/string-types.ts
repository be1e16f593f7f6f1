import type { Environment } from '@marcbachmann/cel-js';

/** A parser that fails on text that is not a `what` (so the rule is skipped, as the API server errors). */
export function strictParser<T>(parse: (text: string) => T | undefined, what: string): (text: string) => T {
  return (text) => {
    const parsed = parse(text);
    if (parsed === undefined) throw new Error(`not a valid ${what}: ${JSON.stringify(text)}`);
    return parsed;
  };
}

/**
 * A Kubernetes library type read from text, e.g. `quantity('1Gi')` / `isQuantity('1Gi')`: the
 * conversion fails on text that is not one, the test says whether it is one.
 */
export function registerStringType<T extends object>(
  env: Environment,
  type: { name: string; ctor: new (...args: never[]) => T; convert: string; test: string },
  parse: (text: string) => T | undefined,
): Environment {
  return env
    .registerType(type.name, type.ctor)
    .registerFunction(`${type.convert}(string): ${type.name}`, strictParser(parse, type.name))
    .registerFunction(`${type.test}(string): bool`, (text: string) => parse(text) !== undefined);
}

import type { Environment } from '../fleet/types.js';

/**
 * Why promoting `from` into `to` is refused, as one line, or undefined when it is allowed:
 * `promotesFrom` is the path releases take, so promoting from any other environment (dev
 * straight to prod, or into an environment that promotes from none) needs `force`. Unknown
 * environments and `from` = `to` are refused whatever `force` says.
 */
export function promotionRefusal(environments: readonly Environment[], from: string, to: string, force: boolean): string | undefined {
  const names = environments.map((e) => e.name);
  for (const name of [from, to]) {
    if (!names.includes(name)) return `unknown environment ${JSON.stringify(name)}; the environments are ${names.join(', ')}`;
  }
  if (from === to) return `cannot promote ${from} into itself: name two environments`;
  if (force) return undefined;
  const allowed = environments.find((e) => e.name === to)!.promotesFrom;
  if (allowed === from) return undefined;
  const path = allowed === undefined ? `${to} promotes from no environment (no promotesFrom)` : `${to} promotes from ${allowed} (promotesFrom), not from ${from}`;
  return `${path}; use --force to promote ${from} into ${to} anyway`;
}

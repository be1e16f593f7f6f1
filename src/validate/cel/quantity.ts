import type { Environment } from '@marcbachmann/cel-js';
import { registerStringType } from './string-types.js';

/**
 * A Kubernetes resource quantity (`500m`, `1.5Gi`, `1e3`) as an exact fraction, so comparisons
 * and sums are exact as in the API server.
 */
export class Quantity {
  constructor(
    readonly numerator: bigint,
    /** a positive power of ten */
    readonly denominator: bigint,
  ) {}

  compare(other: Quantity): number {
    const a = this.numerator * other.denominator;
    const b = other.numerator * this.denominator;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  plus(other: Quantity): Quantity {
    const den = this.denominator > other.denominator ? this.denominator : other.denominator;
    return new Quantity(this.numerator * (den / this.denominator) + other.numerator * (den / other.denominator), den);
  }

  times(n: bigint): Quantity {
    return new Quantity(this.numerator * n, this.denominator);
  }

  /** The integer value, when it is whole and fits an int64. */
  integer(): bigint | undefined {
    if (this.numerator % this.denominator !== 0n) return undefined;
    const v = this.numerator / this.denominator;
    return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
  }
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Parses a quantity as resource.ParseQuantity accepts it; undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, number, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let exponent = -fraction.length;
  if (BINARY[suffix] !== undefined) numerator *= BINARY[suffix]!;
  else exponent += DECIMAL[suffix] ?? Number(suffix.slice(1));
  // the API server caps quantities far below this; an exact value this big is not worth computing
  if (Math.abs(exponent) > 1000) throw new Error(`quantity ${text} is out of range`);
  return exponent >= 0 ? new Quantity(numerator * 10n ** BigInt(exponent), 1n) : new Quantity(numerator, 10n ** BigInt(-exponent));
}

/** The Kubernetes quantity library: `quantity()`, `isQuantity()` and the Quantity methods. */
export function registerQuantity(env: Environment): Environment {
  const Q = 'kubernetes.Quantity';
  return registerStringType(env, { name: Q, ctor: Quantity, convert: 'quantity', test: 'isQuantity' }, parseQuantity)
    .registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => a.compare(b) === 0)
    .registerFunction(`${Q}.sign(): int`, (q: Quantity) => BigInt(q.compare(new Quantity(0n, 1n))))
    .registerFunction(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compare(b) > 0)
    .registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compare(b) < 0)
    .registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.compare(b)))
    .registerFunction(`${Q}.asApproximateFloat(): double`, (q: Quantity) => Number(q.numerator) / Number(q.denominator))
    .registerFunction(`${Q}.isInteger(): bool`, (q: Quantity) => q.integer() !== undefined)
    .registerFunction(`${Q}.asInteger(): int`, (q: Quantity) => {
      const v = q.integer();
      if (v === undefined) throw new Error('cannot convert value to integer');
      return v;
    })
    .registerFunction(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.plus(b))
    .registerFunction(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n)))
    .registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.plus(b.times(-1n)))
    .registerFunction(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => a.plus(new Quantity(-b, 1n)))
    .registerFunction(`${Q}.mul(int): ${Q}`, (a: Quantity, b: bigint) => a.times(b));
}

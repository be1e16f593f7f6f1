import { BuildError } from '../errors.js';

/**
 * How kustomize prints a number: Go's encoding/json writes it, go-yaml v2 reads that text
 * back (as an int when it fits int64/uint64, else as a float64) and prints it again.
 * A bigint is an integer from the input and prints exactly. A number is printed as JSON
 * prints a float64 (shortest digits, zero-padded below 1e21: 2^63 becomes
 * 9223372036854776000); if that text is an integer in range it stays one, otherwise the
 * value prints in Go's %g form.
 */

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (!Number.isFinite(n)) throw new BuildError(`json: unsupported value: ${goFloatSpecial(n)}`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    const asJson = BigInt(String(n)); // JS and Go both write the shortest digits, zero-padded
    if (asJson >= INT64_MIN && asJson <= UINT64_MAX) return asJson.toString();
  }
  return formatGoFloatG(n);
}

function goFloatSpecial(n: number): string {
  return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
}

/**
 * Go's strconv.FormatFloat(n, 'g', -1, 64): the shortest digits that read back as `n`, in
 * exponent form when the decimal exponent is below -4 or at least 6 (1e-05, 1.2345675e+06).
 */
export function formatGoFloatG(n: number): string {
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return sign + digits + '0'.repeat(intLen - digits.length);
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

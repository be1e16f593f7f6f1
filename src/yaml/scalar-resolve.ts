/**
 * How go-yaml resolves plain scalars. Two readers matter: go-yaml v3 reads kustomize's input
 * (YAML 1.2-like: only true/false booleans), and go-yaml v2 re-reads the JSON in the final
 * printing step (YAML 1.1: yes/no/on/off, sexagesimal floats), which is why the emitter
 * quotes strings that v2 would not read back as strings. Both share the number and
 * timestamp rules, which come from Go's strconv and time.Parse.
 */

/** The YAML 1.1 words go-yaml v2 resolves (resolve.go's resolveMap), with their values. */
const YAML11_WORDS = new Map<string, null | boolean | number>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map((w) => [w, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, -Infinity] as const),
]);

/** Go's strconv.ParseFloat syntax for decimals starting with a dot. */
const GO_DOT_FLOAT = /^\.\d+(?:[eE][+-]?\d+)?$/;
/** The float syntax go-yaml v2 accepts before asking ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** YAML 1.1 sexagesimal floats such as 1:20 or 190:20:30.15. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export type ResolvedNumber = { kind: 'int'; value: bigint } | { kind: 'float'; value: number };

/**
 * Whether a character can start a YAML 1.1 word, number, sexagesimal float or timestamp (above):
 * `-+.~`, a digit, or one of `yYnNoOtTfF`. Most strings start otherwise, and are told at once.
 */
function mayStartNonString(c: number): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  switch (c) {
    case 0x2d: case 0x2b: case 0x2e: case 0x7e: // - + . ~
    case 0x79: case 0x59: case 0x6e: case 0x4e: case 0x6f: case 0x4f: // y Y n N o O
    case 0x74: case 0x54: case 0x66: case 0x46: // t T f F
      return true;
    default:
      return false;
  }
}

/** True when go-yaml v2 would not read `s`, written as a plain scalar, back as a string. */
export function isNonStringPlainScalar(s: string): boolean {
  if (s === '') return true; // the empty plain scalar is null
  if (!mayStartNonString(s.charCodeAt(0))) return false;
  if (YAML11_WORDS.has(s) || BASE60_FLOAT.test(s)) return true;
  return timestampToRfc3339(s) !== undefined || resolveNumber(s) !== undefined;
}

/**
 * go-yaml v2's value of a plain scalar (resolve.go): the empty text and YAML 1.1 words, then by
 * its first character a Go number; anything else (timestamps too, as kustomize reads them) is text.
 */
export function resolveGoYamlV2Plain(s: string): null | boolean | number | bigint | string {
  if (s === '') return null;
  if (!mayStartNonString(s.charCodeAt(0))) return s;
  const word = YAML11_WORDS.get(s);
  if (word !== undefined) return word;
  const n = resolveNumber(s);
  if (n === undefined) return s;
  if (n.kind === 'float') return n.value;
  return n.value >= BigInt(Number.MIN_SAFE_INTEGER) && n.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n.value) : n.value;
}

/**
 * The number a plain scalar starting with a digit, sign or dot denotes: integers as Go's
 * ParseInt/ParseUint with base 0 read them (0x, 0o, 0b, legacy 0-octal; `_` ignored),
 * else floats in YAML's decimal syntax that do not overflow.
 */
export function resolveNumber(s: string): ResolvedNumber | undefined {
  const c = s[0];
  if (c === '.') {
    return goParseDotFloatOk(s) ? { kind: 'float', value: Number(s.replaceAll('_', '')) } : undefined;
  }
  if (c !== '+' && c !== '-' && !(c !== undefined && c >= '0' && c <= '9')) return undefined;
  const plain = s.replaceAll('_', '');
  const int = goParseIntBase0(plain);
  if (int !== undefined) return { kind: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { kind: 'float', value };
  }
  return undefined;
}

/** Go's strconv.ParseInt/ParseUint with base 0 (64-bit), after go-yaml stripped underscores. */
function goParseIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]?([0-7]+)|([1-9][0-9]*|0))$/.exec(s);
  if (!m) return undefined;
  const magnitude =
    m[2] !== undefined ? BigInt('0x' + m[2]) :
    m[3] !== undefined ? BigInt('0b' + m[3]) :
    m[4] !== undefined ? BigInt('0o' + m[4]) :
    BigInt(m[5]!);
  const v = m[1] === '-' ? -magnitude : magnitude;
  return v < INT64_MIN || v > UINT64_MAX ? undefined : v;
}

/** Go's strconv.ParseFloat succeeding (no overflow) on a text that starts with a dot. */
function goParseDotFloatOk(s: string): boolean {
  const digits = s.replaceAll('_', '');
  if (digits !== s && !goUnderscoresOk(s)) return false;
  return GO_DOT_FLOAT.test(digits) && Number.isFinite(Number(digits));
}

/** Go's rule for `_` in numeric literals: only between digits (or after a base prefix). */
function goUnderscoresOk(s: string): boolean {
  let body = s.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[bBoOxX]/.test(body)) {
    hex = /^0[xX]/.test(body);
    saw = '0';
    body = body.slice(2);
  }
  for (const ch of body) {
    const digit = (ch >= '0' && ch <= '9') || (hex && /[a-fA-F]/.test(ch));
    if (digit) saw = '0';
    else if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const TIME_OF_DAY = String.raw`(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?`;
const TIMESTAMP = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]${TIME_OF_DAY}(Z|[+-]\d{2}:\d{2})| +${TIME_OF_DAY})?$`,
);

/**
 * go-yaml's timestamp rule (Go's time.Parse with the layouts 2006-1-2T15:4:5.999999999Z07:00,
 * the same with a lower-case t, "2006-1-2 15:4:5.999999999" and 2006-1-2, range checks
 * included) and the text Go's encoding/json then writes for the time: RFC 3339 with
 * nanoseconds, trailing zeros trimmed, UTC without offset as `Z`. Undefined if not a timestamp.
 */
export function timestampToRfc3339(s: string): string | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [m[1]!, Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, Number(year))) return undefined;
  const withZone = m[4] !== undefined;
  const hour = Number(m[4] ?? m[9] ?? 0);
  const minute = Number(m[5] ?? m[10] ?? 0);
  const second = Number(m[6] ?? m[11] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let zone = 'Z';
  if (withZone && m[8] !== 'Z') {
    const [zh, zm] = [Number(m[8]!.slice(1, 3)), Number(m[8]!.slice(4, 6))];
    if (zh > 24 || zm > 60) return undefined;
    if (zh !== 0 || zm !== 0) zone = m[8]!;
  }
  const fraction = (m[7] ?? m[12] ?? '').slice(0, 9).replace(/0+$/, '');
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? '.' + fraction : ''}`;
  return `${year}-${pad(month)}-${pad(day)}T${time}${zone}`;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

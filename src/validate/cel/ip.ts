import type { Environment } from '@marcbachmann/cel-js';
import { registerStringType, strictParser } from './string-types.js';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address, parsed as Go's net/netip does. */
export class IPAddress {
  constructor(readonly bytes: readonly number[]) {}

  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }

  equals(other: IPAddress): boolean {
    return this.bytes.length === other.bytes.length && this.bytes.every((b, i) => b === other.bytes[i]);
  }

  /** The first `bits` bits equal those of `other`. */
  sharesPrefix(other: IPAddress, bits: number): boolean {
    if (this.family !== other.family) return false;
    for (let i = 0; i * 8 < bits; i++) {
      const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
      if ((this.bytes[i]! & mask) !== (other.bytes[i]! & mask)) return false;
    }
    return true;
  }

  masked(bits: number): IPAddress {
    return new IPAddress(this.bytes.map((b, i) => (i * 8 >= bits ? 0 : bits - i * 8 >= 8 ? b : b & ((0xff << (8 - (bits - i * 8))) & 0xff))));
  }

  /** Go's canonical text: dotted IPv4; IPv6 in lower-case hex with the longest run of two or more zero groups as `::`. */
  toString(): string {
    if (this.family === 4) return this.bytes.join('.');
    const groups = Array.from({ length: 8 }, (_, i) => (this.bytes[2 * i]! << 8) | this.bytes[2 * i + 1]!);
    let best = { start: -1, length: 0 };
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
      i = j === i ? i + 1 : j;
    }
    const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
    if (best.start < 0) return hex(groups);
    return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
  }
}

export class CIDR {
  constructor(
    readonly ip: IPAddress,
    readonly bits: number,
  ) {}

  toString(): string {
    return `${this.ip.toString()}/${this.bits}`;
  }
}

const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

function parseIPv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  const bytes = m?.slice(1).map(Number);
  return bytes && bytes.every((b) => b <= 255) ? bytes : undefined;
}

function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail].flatMap((g) => [g >> 8, g & 0xff]);
}

/** The IPv4-mapped IPv6 range ::ffff:0:0/96, which the Kubernetes IP library rejects. */
function isIPv4Mapped(bytes: readonly number[]): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** An address as the Kubernetes IP library accepts it (no zone, no IPv4-mapped IPv6), else undefined. */
export function parseIP(text: string): IPAddress | undefined {
  const bytes = parseIPv4(text) ?? parseIPv6(text);
  return bytes && !isIPv4Mapped(bytes) ? new IPAddress(bytes) : undefined;
}

export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0 || !/^(0|[1-9]\d{0,2})$/.test(text.slice(slash + 1))) return undefined;
  const address = parseIP(text.slice(0, slash));
  const bits = Number(text.slice(slash + 1));
  return address && bits <= address.bytes.length * 8 ? new CIDR(address, bits) : undefined;
}

const ip = strictParser(parseIP, 'net.IP');
const cidr = strictParser(parseCIDR, 'net.CIDR');

function contains(net: CIDR, a: IPAddress): boolean {
  return net.ip.sharesPrefix(a, net.bits);
}

function containsCIDR(net: CIDR, other: CIDR): boolean {
  return net.bits <= other.bits && net.ip.sharesPrefix(other.ip, net.bits);
}

const LOOPBACK_V4 = cidr('127.0.0.0/8');
const LOOPBACK_V6 = ip('::1');
const LINK_LOCAL_V4 = cidr('169.254.0.0/16');
const LINK_LOCAL_V6 = cidr('fe80::/10');
const MULTICAST_V4 = cidr('224.0.0.0/4');
const LINK_LOCAL_MULTICAST_V4 = cidr('224.0.0.0/24');

/** The receiver of `ip.isCanonical()`: CEL has no namespaced functions, so `ip` is a constant with a method. */
class IPFunctions {}

/** The Kubernetes IP and CIDR libraries: `ip()`, `isIP()`, `ip.isCanonical()`, `cidr()`, `isCIDR()` and their methods. */
export function registerIPAndCIDR(env: Environment): Environment {
  const IP = 'net.IP';
  const NET = 'net.CIDR';
  const isLinkLocalUnicast = (a: IPAddress): boolean => contains(a.family === 4 ? LINK_LOCAL_V4 : LINK_LOCAL_V6, a);
  const isLoopback = (a: IPAddress): boolean => (a.family === 4 ? contains(LOOPBACK_V4, a) : a.equals(LOOPBACK_V6));
  const isUnspecified = (a: IPAddress): boolean => a.bytes.every((b) => b === 0);
  const isMulticast = (a: IPAddress): boolean => (a.family === 4 ? contains(MULTICAST_V4, a) : a.bytes[0] === 0xff);
  const withIP = registerStringType(env, { name: IP, ctor: IPAddress, convert: 'ip', test: 'isIP' }, parseIP);
  return registerStringType(withIP, { name: NET, ctor: CIDR, convert: 'cidr', test: 'isCIDR' }, parseCIDR)
    .registerType('net.IPFunctions', IPFunctions)
    .registerConstant('ip', 'net.IPFunctions', new IPFunctions())
    .registerFunction('net.IPFunctions.isCanonical(string): bool', (_: IPFunctions, s: string) => ip(s).toString() === s)
    .registerFunction(`string(${IP}): string`, (a: IPAddress) => a.toString())
    .registerOperator(`${IP} == ${IP}`, (a: IPAddress, b: IPAddress) => a.equals(b))
    .registerFunction(`${IP}.family(): int`, (a: IPAddress) => BigInt(a.family))
    .registerFunction(`${IP}.isUnspecified(): bool`, isUnspecified)
    .registerFunction(`${IP}.isLoopback(): bool`, isLoopback)
    .registerFunction(`${IP}.isLinkLocalMulticast(): bool`, (a: IPAddress) =>
      a.family === 4 ? contains(LINK_LOCAL_MULTICAST_V4, a) : a.bytes[0] === 0xff && (a.bytes[1]! & 0x0f) === 0x02,
    )
    .registerFunction(`${IP}.isLinkLocalUnicast(): bool`, isLinkLocalUnicast)
    .registerFunction(`${IP}.isGlobalUnicast(): bool`, (a: IPAddress) =>
      !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a) && !(a.family === 4 && a.bytes.every((b) => b === 255)),
    )
    .registerFunction(`string(${NET}): string`, (c: CIDR) => c.toString())
    .registerOperator(`${NET} == ${NET}`, (a: CIDR, b: CIDR) => a.bits === b.bits && a.ip.equals(b.ip))
    .registerFunction(`${NET}.containsIP(${IP}): bool`, contains)
    .registerFunction(`${NET}.containsIP(string): bool`, (c: CIDR, s: string) => contains(c, ip(s)))
    .registerFunction(`${NET}.containsCIDR(${NET}): bool`, containsCIDR)
    .registerFunction(`${NET}.containsCIDR(string): bool`, (c: CIDR, s: string) => containsCIDR(c, cidr(s)))
    .registerFunction(`${NET}.ip(): ${IP}`, (c: CIDR) => c.ip)
    .registerFunction(`${NET}.masked(): ${NET}`, (c: CIDR) => new CIDR(c.ip.masked(c.bits), c.bits))
    .registerFunction(`${NET}.prefixLength(): int`, (c: CIDR) => BigInt(c.bits));
}

import type { Environment } from '@marcbachmann/cel-js';
import { registerStringType } from './string-types.js';

/** A URL split as Go's url.ParseRequestURI does: an absolute URI or an absolute path, no fragment. */
export class URLValue {
  constructor(
    readonly scheme: string,
    /** host and port as written, IPv6 in brackets */
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}

  get hostname(): string {
    if (this.host.startsWith('[')) return this.host.slice(1, this.host.indexOf(']'));
    const colon = this.host.lastIndexOf(':');
    return colon < 0 ? this.host : this.host.slice(0, colon);
  }

  get port(): string {
    const end = this.host.startsWith('[') ? this.host.indexOf(']') + 1 : this.host.lastIndexOf(':');
    return end > 0 && this.host[end] === ':' ? this.host.slice(end + 1) : '';
  }

  /** The query's parameters, each with every value it was given (Go's url.Values). */
  parameters(): Record<string, string[]> {
    const out: Record<string, string[]> = Object.create(null);
    for (const pair of this.query.split('&')) {
      if (pair === '' || pair.includes(';')) continue;
      const eq = pair.indexOf('=');
      const [k, v] = (eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]).map((s) => decodeURIComponent(s.replace(/\+/g, ' '))) as [string, string];
      (out[k] ??= []).push(v);
    }
    return out;
  }
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;

/** Parses a URL as the Kubernetes URL library accepts it; undefined when it is not one. */
export function parseURL(text: string): URLValue | undefined {
  let scheme = '';
  let rest = text;
  const absolute = ABSOLUTE.exec(text);
  if (absolute) [, scheme, rest] = absolute as unknown as [string, string, string];
  else if (!text.startsWith('/')) return undefined;
  if (/[\x00-\x1f\x7f ]/.test(text)) return undefined;
  let host = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?]/);
    host = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  } else if (scheme !== '' && !rest.startsWith('/')) {
    return undefined; // an opaque URI such as mailto:x has no path to speak of; ParseRequestURI rejects most
  }
  const q = rest.indexOf('?');
  const url = new URLValue(scheme, host, q < 0 ? rest : rest.slice(0, q), q < 0 ? '' : rest.slice(q + 1));
  try {
    url.parameters();
  } catch {
    return undefined; // bad percent-encoding
  }
  return url;
}

/** The Kubernetes URL library: `url()`, `isURL()` and the URL getters. */
export function registerURL(env: Environment): Environment {
  const URL = 'kubernetes.URL';
  return registerStringType(env, { name: URL, ctor: URLValue, convert: 'url', test: 'isURL' }, parseURL)
    .registerFunction(`${URL}.getScheme(): string`, (u: URLValue) => u.scheme)
    .registerFunction(`${URL}.getHost(): string`, (u: URLValue) => u.host)
    .registerFunction(`${URL}.getHostname(): string`, (u: URLValue) => u.hostname)
    .registerFunction(`${URL}.getPort(): string`, (u: URLValue) => u.port)
    .registerFunction(`${URL}.getEscapedPath(): string`, (u: URLValue) => u.path)
    .registerFunction(`${URL}.getQuery(): map<string, list<string>>`, (u: URLValue) => u.parameters());
}

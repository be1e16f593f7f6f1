/**
 * OpenAPI `format`s as plain JSON Schema: integer formats become ranges and string formats
 * patterns, so a schema needs no format registered in the validator (ajv would otherwise
 * ignore or reject them). Formats not listed here carry no check and are dropped; Kubernetes
 * itself checks only a few of them.
 */

export interface FormatConstraint {
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

// Go's base64 decoder (how the API server reads []byte fields) skips line breaks anywhere,
// so Secret data wrapped over several lines is valid.
const BASE64_BREAKS = '[\\r\\n]*';
const BASE64_CHAR = `[A-Za-z0-9+/]${BASE64_BREAKS}`;
const RFC3339_DATE = '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
const RFC3339_TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d+)?';
const RFC3339_OFFSET = '(?:[Zz]|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)';

export const FORMATS: Readonly<Record<string, FormatConstraint>> = {
  int32: { minimum: -2147483648, maximum: 2147483647 },
  // The int64 bounds round to ±2^63 as doubles; larger integers reach the validator as bigints.
  int64: { minimum: -9223372036854775808, maximum: 9223372036854775807 },
  byte: { pattern: `^${BASE64_BREAKS}(?:(?:${BASE64_CHAR}){4})*(?:(?:${BASE64_CHAR}){2}=${BASE64_BREAKS}=${BASE64_BREAKS}|(?:${BASE64_CHAR}){3}=${BASE64_BREAKS})?$` },
  'date-time': { pattern: `^${RFC3339_DATE}[Tt ]${RFC3339_TIME}${RFC3339_OFFSET}$` },
  date: { pattern: `^${RFC3339_DATE}$` },
  uuid: { pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' },
};

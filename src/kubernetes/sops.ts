import { isObject, type JsonObject, type JsonValue } from '../json/value.js';

/**
 * SOPS marks a file it encrypted with a top-level `sops` block of metadata (keys, `mac`,
 * `lastmodified`), which Flux's kustomize-controller removes when it decrypts the object
 * before applying it.
 */
export function isSopsEncrypted(obj: JsonObject): boolean {
  return isObject(obj.sops);
}

/** The object as Flux applies it once decrypted: without its `sops` block. */
export function withoutSopsMetadata(obj: JsonObject): JsonObject {
  const { sops: _metadata, ...rest } = obj;
  return rest;
}

/** A value SOPS encrypted: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`; its decrypted value is unknown here. */
const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:[^,\]]*,iv:[^,\]]*,tag:[^,\]]*,type:\w+\]$/;

export function isSopsEncryptedValue(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('ENC[') && ENCRYPTED_VALUE.test(value);
}

/** Whether any value, however deep, is one SOPS encrypted. */
export function containsSopsEncryptedValue(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(containsSopsEncryptedValue);
  if (isObject(value)) return Object.values(value).some(containsSopsEncryptedValue);
  return isSopsEncryptedValue(value);
}

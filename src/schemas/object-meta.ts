import { FORMATS } from './formats.js';

/** Where every converted schema keeps the ObjectMeta schema, under `definitions`. */
export const OBJECT_META_DEF = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const OBJECT_META_REF = `#/definitions/${OBJECT_META_DEF}`;

const string = { type: 'string' };
const stringMap = { type: 'object', additionalProperties: string };
// rendered manifests often carry `creationTimestamp: null`; the API server treats it as unset
const timestamp = { type: ['string', 'null'], pattern: FORMATS['date-time']!.pattern };
const int64 = { type: 'integer', minimum: FORMATS.int64!.minimum, maximum: FORMATS.int64!.maximum };

/**
 * metadata of any Kubernetes object (meta/v1 ObjectMeta), strict about unknown fields as the
 * API server is. Written from the documented field list of ObjectMeta.
 */
export const OBJECT_META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: string,
    generateName: string,
    namespace: string,
    selfLink: string,
    uid: string,
    resourceVersion: string,
    generation: int64,
    creationTimestamp: timestamp,
    deletionTimestamp: timestamp,
    deletionGracePeriodSeconds: int64,
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: string,
          kind: string,
          name: string,
          uid: string,
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    finalizers: { type: 'array', items: string },
    managedFields: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          apiVersion: string,
          fieldsType: string,
          fieldsV1: { type: 'object' },
          manager: string,
          operation: string,
          subresource: string,
          time: timestamp,
        },
      },
    },
  },
} as const;

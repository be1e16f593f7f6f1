#!/usr/bin/env node
/**
 * Derives the strategic-merge schema table (src/engine/data/k8s-merge-keys.json) from the
 * Kubernetes v1.21.2 OpenAPI definitions that kustomize v5.5.0 embeds (../shared/k8s-openapi).
 *
 * The table format and its derivation live in src/engine/merge/schema-table.ts (the same code
 * reads a kustomization's custom `openapi` schema at build time); run `npm run build` first.
 *
 * Usage: node scripts/k8s-merge-data.mjs [swagger.json] [out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMergeTable } from '../dist/src/engine/merge/schema-table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swaggerPath = process.argv[2] ?? resolve(root, '../shared/k8s-openapi/v1.21.2/swagger.json');
const outPath = process.argv[3] ?? resolve(root, 'src/engine/data/k8s-merge-keys.json');

const swaggerText = readFileSync(swaggerPath);
const swagger = JSON.parse(swaggerText.toString('utf8'));
const defs = swagger.definitions;

const { kinds: sortedKinds, definitions: sortedDefinitions } = buildMergeTable(defs);

const table = {
  source: {
    file: 'k8s-openapi/v1.21.2/swagger.json',
    sha256: createHash('sha256').update(swaggerText).digest('hex'),
    generator: 'scripts/k8s-merge-data.mjs',
  },
  kinds: sortedKinds,
  definitions: sortedDefinitions,
};
writeFileSync(outPath, JSON.stringify(table) + '\n');
process.stdout.write(`${outPath}: ${Object.keys(sortedKinds).length} kinds, ${Object.keys(sortedDefinitions).length} definitions\n`);

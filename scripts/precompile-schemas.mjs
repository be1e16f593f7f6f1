// Part of npm run build: writes the bundled schemas' validation code (and the fleet spec's, which
// generate checks first) into dist/compiled-schemas, so a first run compiles none of them; a
// rebuild compiles only schemas whose hash changed.
import { fleetSchemaEntry } from '../dist/src/fleet/schema.js';
import { bundledCatalog } from '../dist/src/schemas/catalog.js';
import { SchemaCompiler, SHIPPED_CODE_ROOT } from '../dist/src/schemas/compiled-schemas.js';

const entries = [...bundledCatalog().entries(), fleetSchemaEntry()];
const compiled = new SchemaCompiler({ cacheDir: SHIPPED_CODE_ROOT }).precompile(entries);
if (compiled > 0) process.stdout.write(`precompile-schemas: compiled ${compiled} schemas (${entries.length} bundled, the fleet spec's among them, and the kustomization check)\n`);

// Part of npm run build: writes the bundled schemas' validation code into dist/compiled-schemas, so a
// first `capifleet validate` compiles none of them; a rebuild compiles only schemas whose hash changed.
import { bundledCatalog } from '../dist/src/schemas/catalog.js';
import { SchemaCompiler, SHIPPED_CODE_ROOT } from '../dist/src/validate/compiled-schemas.js';

const entries = bundledCatalog().entries();
const compiled = new SchemaCompiler({ cacheDir: SHIPPED_CODE_ROOT }).precompile(entries);
if (compiled > 0) process.stdout.write(`precompile-schemas: compiled ${compiled} schemas (${entries.length} bundled, and the kustomization check)\n`);

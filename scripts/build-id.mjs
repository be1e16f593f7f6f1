// Part of npm run build: records a hash of the compiled code in dist/build-id, so caches of results
// (validate's manifest result cache) are never served to a build whose checks changed.
import * as fs from 'node:fs';
import { BUILD_ID_CODE_DIR, BUILD_ID_FILE, hashCompiledCode } from '../dist/src/cli/build-info.js';

fs.writeFileSync(BUILD_ID_FILE, `${hashCompiledCode(BUILD_ID_CODE_DIR)}\n`);

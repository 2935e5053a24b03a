// Regenerates src/tosca/builtin-types/{definitions,files}.ts from a folder of TOSCA type files.
// Usage: npx tsx test/unit/tosca/generate-builtin-types.ts [typesDir]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBuiltinData, emitBuiltinModules } from '../../../src/tosca/builtin-types/build.js';
import { readTypeFiles } from '../../../src/node/tosca-engine.js';
import { BUILTIN_SOURCES } from '../../../src/tosca/builtin-types/sources.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const typesDir = path.resolve(process.argv[2] ?? path.resolve(here, '../../../../shared/tosca/types'));
const outDir = path.resolve(here, '../../../src/tosca/builtin-types');

const all = await readTypeFiles(typesDir);
const chosen = all.filter((f) => BUILTIN_SOURCES.includes(f.source));
const missing = BUILTIN_SOURCES.filter((s) => !chosen.some((f) => f.source === s));
if (missing.length) throw new Error(`missing type files: ${missing.join(', ')}`);
for (const [name, text] of Object.entries(emitBuiltinModules(buildBuiltinData(chosen)))) {
  writeFileSync(path.join(outDir, name), text);
  console.log(`wrote ${path.join(outDir, name)} (${text.length} bytes)`);
}

/**
 * `npm run schema`: writes the JSON Schemas editors use, generated from the
 * same zod definitions the validators run. A test fails when a committed
 * schema is stale.
 */
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILES } from '../inputs/schema-files';

for (const { file, render } of SCHEMA_FILES) {
  writeFileSync(file, render());
  console.log(`wrote ${file}`);
}

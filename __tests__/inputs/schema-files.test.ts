import { readFileSync } from 'node:fs';
import { SCHEMA_FILES } from '../../inputs/schema-files';

describe('committed JSON Schemas', () => {
  it.each(SCHEMA_FILES.map((s) => [s.file, s] as const))(
    '%s matches its definition (run `npm run schema` if not)',
    (_file, schema) => {
      expect(readFileSync(schema.file, 'utf8')).toBe(schema.render());
    },
  );
});

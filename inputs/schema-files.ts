/** The committed JSON Schemas and how each is generated (shared by `npm run schema` and its staleness test). */
import { rosterJsonSchema } from './roster';
import { settingsJsonSchema } from './settings';

export interface SchemaFile {
  /** Path relative to the project root. */
  readonly file: string;
  /** The file's exact expected content. */
  readonly render: () => string;
}

const render = (schema: Record<string, unknown>) => JSON.stringify(schema, null, 2) + '\n';

export const SCHEMA_FILES: readonly SchemaFile[] = [
  { file: 'users/users.schema.json', render: () => render(rosterJsonSchema()) },
  { file: 'config/settings.schema.json', render: () => render(settingsJsonSchema()) },
];

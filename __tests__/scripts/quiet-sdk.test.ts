/**
 * The SDK's Node.js 20 notice is turned off in every operator tool that
 * builds an SDK client, before it builds one (scripts/quiet-sdk.ts), and
 * only that notice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_VERSION_WARNING_ENV } from '../../scripts/quiet-sdk';

const tools = readdirSync('scripts')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join('scripts', f), 'utf8') }))
  .filter((t) => /from '@aws-sdk\//.test(t.text));

describe('the SDK Node.js version notice', () => {
  it('is turned off first in every script that imports an SDK client', () => {
    expect(tools.map((t) => t.file)).toEqual(
      expect.arrayContaining(['deploy.ts', 'reconcile.ts', 'redrive.ts']),
    );
    for (const t of tools) {
      const firstImport = /^import .*$/m.exec(t.text)?.[0];
      expect({ file: t.file, firstImport }).toEqual({
        file: t.file,
        firstImport: "import './quiet-sdk';",
      });
    }
  });

  it('by the variable the installed SDK reads, not by silencing warnings', () => {
    // Fails when an SDK upgrade renames it: the notice would come back.
    const sdk = readFileSync(require.resolve('@aws-sdk/core/client'), 'utf8');
    expect(sdk).toContain(`process.env.${NODE_VERSION_WARNING_ENV} === "true"`);
    const text = readFileSync('scripts/quiet-sdk.ts', 'utf8');
    expect(text).not.toMatch(/no-warnings|removeAllListeners|emitWarning\s*=/);
  });
});

/** `npm run redrive` as a command: its usage error and its word on missing credentials. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('the CLI: a wrong flag is a usage error (exit 2), and no credentials say so (exit 1)', () => {
  const root = join(__dirname, '..', '..');
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const env = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
  const bad = spawnSync(tsx, ['scripts/redrive.ts', '--aply'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('unknown argument "--aply"');
  expect(bad.stderr).toContain('usage: npm run redrive');

  const noCreds = spawnSync(tsx, ['scripts/redrive.ts'], { cwd: root, env, encoding: 'utf8' });
  expect(noCreds.status).toBe(1);
  expect(noCreds.stderr).toMatch(/No AWS credentials were found/);
  expect(noCreds.stderr).not.toMatch(/\n\s+at /); // no stack trace
});

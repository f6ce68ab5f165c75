/**
 * `npm run local` where moto is missing: one line saying how to install it,
 * a non-zero exit, and nothing deployed or written. (The deploy and flow it
 * runs are the emulator tier's, __tests__/emulator/welcome.emu.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('says in one line how to install moto, exits non-zero, and writes nothing', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'iam-onboarding-local-'));
  try {
    const r = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), join(ROOT, 'scripts/local.ts')],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, MOTO_PYTHON: join(cwd, 'no-such-python') },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'moto is not installed: pip install "moto[server]"',
    ]);
    expect(r.stdout).toBe('');
    expect(existsSync(join(cwd, 'cdktf.out'))).toBe(false);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

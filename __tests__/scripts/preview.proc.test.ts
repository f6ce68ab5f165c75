/** `npm run preview`: the files it writes from a saved plan, and its error without one. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from '../support/preview-plan';

describe('npm run preview', () => {
  it('npm run preview writes one HTML and one text file per person, and the index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const out = join(dir, 'previews');
    mkdirSync(out);
    writeFileSync(join(out, 'someone-from-an-older-plan.html'), '');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Welcome email previews for 3 people: alice.martin, bo, zoe');
    expect(readdirSync(out).sort()).toEqual([
      // What the admins will be told: one welcome each, and a sample bounce.
      'admin-notice-001-welcomed.txt',
      'admin-notice-002-welcomed.txt',
      'admin-notice-003-welcomed.txt',
      'admin-notice-004-bounced.txt',
      'alice.martin.html',
      'alice.martin.txt',
      'bo.html',
      'bo.txt',
      'index.html',
      'zoe.html',
      'zoe.txt',
    ]);
    expect(readFileSync(join(out, 'bo.txt'), 'utf8')).toMatch(
      /^To: bo@example.com\nSubject: Your sign-in for the Example Corp AWS account\n\nHello bo,/,
    );
  });

  it('npm run preview without a plan says to plan first', () => {
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', '/nonexistent/plan.json'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run `npm run plan` first');
  });
});

/**
 * `npm run plan -- --state FILE` with the real Terraform: the base roster is
 * planned and its plan made into a state (support/prior-state.ts, as an
 * apply would leave it), then the script plans changed rosters against that
 * file. A one-person change must read as one person, and each kind of change
 * must be named by whom it concerns.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../stacks/synth';
import { settledState } from '../support/prior-state';
import { BASE, CHANGES, writeRoster } from '../support/rosters';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-plan-state-'));
let stateFile: string;

/** No AWS settings of the machine's: the state file alone decides what is planned against. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('AWS_') || k.startsWith('TF_STATE_')) delete env[k];
  return { ...env, ...extra };
}

function planWithState(name: string, roster: unknown) {
  const outdir = join(root, `out-${name}`);
  const r = spawnSync('npm', ['run', '--silent', 'plan', '--', '--state', stateFile], {
    encoding: 'utf8',
    env: cleanEnv({
      ROSTER_FILE: writeRoster(root, name, roster),
      CDKTF_OUTDIR: outdir,
      TF_PLUGIN_MIRROR: process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins',
    }),
  });
  const report = (() => {
    try {
      return readFileSync(join(outdir, 'stacks', 'iam-onboarding', 'plan-report.md'), 'utf8');
    } catch {
      return '';
    }
  })();
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

beforeAll(() => {
  const outdir = join(root, 'base');
  mkdirSync(outdir, { recursive: true });
  const { stackDir } = synthesize({ outdir, rosterFile: writeRoster(root, 'base', BASE) });
  ({ stateFile } = settledState(stackDir, join(root, 'work', 'iam-onboarding')));
});

describe('npm run plan -- --state FILE', () => {
  it('one person added reads as one person, and nothing else changes', () => {
    const r = planWithState('add', CHANGES.add);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`(offline, against the state in ${stateFile}: `);
    expect(r.stdout).toContain('People to add (1): dan.ng\n');
    expect(r.stdout).toContain('People to change (0): none\n');
    expect(r.stdout).toContain('People to remove (0): none\n');
    expect(r.stdout).toContain('Welcome emails (1): dan.ng\n');
    // The pipeline is in the state already: no other resource in the summary.
    expect(r.stdout).not.toMatch(/Other resources/);
    expect(r.report).toContain('**People:** 1 to add, 0 renamed, 0 to change, 0 to remove.');
    expect(r.report).toContain('Offline plan against the state in');
  });

  it('names whom a mixed change adds, renames, resends to and removes', () => {
    const [alice, bo] = BASE.users;
    const r = planWithState('mixed', {
      groups: BASE.groups,
      users: [{ ...alice, resend: 1 }, { ...bo, userName: 'bo.chen2' }, CHANGES.add.users[3]],
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('People to add (1): dan.ng\n');
    expect(r.stdout).toContain('People to remove (1): carla.diaz\n');
    expect(r.stdout).toContain('People to rename (1): bo.chen → bo.chen2\n');
    expect(r.stdout).toContain('Welcome emails sent again (1): alice.martin\n');
    expect(r.stdout).not.toMatch(/Other resources/);
  });

  it('credentials without TF_STATE_BUCKET: planned offline, and never labelled as the account', () => {
    const outdir = join(root, 'out-no-bucket');
    const r = spawnSync('npm', ['run', '--silent', 'plan'], {
      encoding: 'utf8',
      env: cleanEnv({
        ROSTER_FILE: writeRoster(root, 'no-bucket', CHANGES.add),
        CDKTF_OUTDIR: outdir,
        // Credentials the plan never presents: offline, nothing reaches AWS.
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Plan for stack iam-onboarding (offline: AWS credentials found but TF_STATE_BUCKET is not set, so there is no account state to plan against; placeholder credentials, empty local state, so everything is new)',
    );
    expect(r.stdout).toContain('People to add (4): ');
    const report = readFileSync(join(outdir, 'stacks', 'iam-onboarding', 'plan-report.md'), 'utf8');
    expect(report).not.toContain('Planned against the account');
    expect(report).toContain('TF\\_STATE\\_BUCKET is not set');
  });

  it('the same roster against its own state plans no change', () => {
    const r = planWithState('same', BASE);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No changes: the account already matches the roster.');
  });
});

/**
 * Suspend, reinstate and end dates in `npm run plan -- --state FILE`, with
 * the real Terraform: a base roster (bo suspended, carla with an end date) is
 * made into a state as an apply would leave it, then changed rosters are
 * planned against it. Each transition must read by name, in the summary and
 * in the report, and nothing else may change.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utcDay } from '../../inputs/roster';
import { synthesize } from '../../stacks/synth';
import { settledState } from '../support/prior-state';
import { BASE, writeRoster } from '../support/rosters';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-plan-lifecycle-'));
let stateFile: string;

/** A day counted from today (UTC): the roster refuses end dates in the past when they are added. */
const day = (offset: number) => utcDay(new Date(Date.now() + offset * 86_400_000));
const [alice, bo, carla] = BASE.users;
const CARLA_UNTIL = day(30);
const base = {
  groups: BASE.groups,
  users: [alice, { ...bo, suspended: true }, { ...carla, accessUntil: CARLA_UNTIL }],
};

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('AWS_') || k.startsWith('TF_STATE_') || k.startsWith('GITHUB_')) delete env[k];
  return { ...env, ...extra };
}

function plan(name: string, rosterFile: string) {
  const outdir = join(root, `out-${name}`);
  const r = spawnSync('npm', ['run', '--silent', 'plan', '--', '--state', stateFile], {
    encoding: 'utf8',
    env: cleanEnv({
      ROSTER_FILE: rosterFile,
      CDKTF_OUTDIR: outdir,
      TF_PLUGIN_MIRROR: process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins',
    }),
  });
  let report = '';
  try {
    report = readFileSync(join(outdir, 'stacks', 'iam-onboarding', 'plan-report.md'), 'utf8');
  } catch {
    // No report: the assertions on it say so.
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

beforeAll(() => {
  const outdir = join(root, 'base');
  mkdirSync(outdir, { recursive: true });
  const { stackDir } = synthesize({ outdir, rosterFile: writeRoster(root, 'base', base) });
  ({ stateFile } = settledState(stackDir, join(root, 'work', 'iam-onboarding')));
});

describe('npm run plan -- --state FILE: suspend, reinstate, end dates', () => {
  it('names whom it suspends and reinstates, and each end date set or moved', () => {
    const DAN_UNTIL = day(10);
    const CARLA_LATER = day(60);
    const r = plan(
      'transitions',
      writeRoster(root, 'transitions', {
        groups: BASE.groups,
        users: [
          { ...alice, suspended: true },
          bo,
          { ...carla, accessUntil: CARLA_LATER },
          {
            userName: 'dan.ng',
            email: 'dan.ng@example.com',
            groups: ['developers'],
            accessUntil: DAN_UNTIL,
          },
        ],
      }),
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('People to add (1): dan.ng\n');
    expect(r.stdout).toContain('People to remove (0): none\n');
    expect(r.stdout).toContain('People to suspend (1): alice.martin\n');
    expect(r.stdout).toContain('People to reinstate (1): bo.chen\n');
    expect(r.stdout).toContain(
      `Access end dates (2): carla.diaz access ends on ${CARLA_LATER}, dan.ng access ends on ${DAN_UNTIL}\n`,
    );
    // Reinstating is a password by the function, not a welcome from a CreateUser.
    expect(r.stdout).toContain('Welcome emails (1): dan.ng\n');
    expect(r.stdout).not.toMatch(/Other resources/);

    expect(r.report).toContain(
      '**Suspends `alice.martin`.** Sign-in and access keys are turned off and every action denied; the user, groups and tags stay.',
    );
    // Deny-all narrows; it is never reported as widening the user.
    expect(r.report).not.toContain('**Widens');
    expect(r.report).toMatch(
      /\| change \| `alice\.martin` \| \*\*suspend\*\*: sign-in and access keys off, every action denied; user, groups and tags kept; policy `arn:aws:iam::aws:policy\/AWSDenyAll` attached \|/,
    );
    expect(r.report).toMatch(
      /\| change \| `bo\.chen` \| \*\*reinstate\*\*: every action allowed again; a fresh temporary password by email; policy `arn:aws:iam::aws:policy\/AWSDenyAll` detached \|/,
    );
    expect(r.report).toContain(
      `| change | \`carla.diaz\` | access ends on ${CARLA_LATER} (was ${CARLA_UNTIL}) |`,
    );
    expect(r.report).toContain(`access ends on ${DAN_UNTIL}`);
    expect(r.report).toContain('- reinstate `bo.chen`');
  });

  it('suspends a person whose end date has passed, saying so', () => {
    // A past date is accepted only as committed before it passed: a roster in git.
    const dir = join(root, 'repo');
    mkdirSync(dir, { recursive: true });
    const ENDED = day(-1);
    const file = writeRoster(dir, 'users', {
      groups: BASE.groups,
      users: [alice, { ...bo, suspended: true }, { ...carla, accessUntil: ENDED }],
    });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'roster');
    const r = plan('ended', file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`People to suspend (1): carla.diaz (access ended on ${ENDED})\n`);
    expect(r.stdout).not.toMatch(/People to reinstate/);
    expect(r.report).toContain(
      `**Suspends \`carla.diaz\`: access ended on ${ENDED}.** Sign-in and access keys are turned off`,
    );
  });

  it('the same end date added in the past without git history is refused, and nothing is planned', () => {
    const file = writeRoster(root, 'past', {
      groups: BASE.groups,
      users: [alice, bo, { ...carla, accessUntil: day(-1) }],
    });
    const r = plan('past', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `$.users[2].accessUntil (user "carla.diaz"): is in the past (today is ${day(0)}, UTC)`,
    );
    expect(r.report).toBe('');
  });

  it('the base roster against its own state plans no change', () => {
    const r = plan('same', writeRoster(root, 'same', base));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No changes: the account already matches the roster.');
  });
});

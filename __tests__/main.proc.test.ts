/**
 * The app as CI and admins run it: a real process, real files. A bad roster
 * must exit non-zero, say what is wrong, and leave nothing behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TSX = join(__dirname, '..', 'node_modules', '.bin', 'tsx');

function runMain(env: Record<string, string>) {
  // As on a workstation, even when the tests themselves run in GitHub Actions.
  const base = { ...process.env };
  delete base.GITHUB_ACTIONS;
  return spawnSync(TSX, ['main.ts'], { env: { ...base, ...env }, encoding: 'utf8' });
}

describe('main.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-main-'));
  });

  it('synthesizes the stack for a valid roster', () => {
    const out = join(dir, 'out');
    const r = runMain({ CDKTF_OUTDIR: out, ROSTER_FILE: 'users/users.json' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const config = JSON.parse(
      readFileSync(join(out, 'stacks', 'iam-onboarding', 'cdk.tf.json'), 'utf8'),
    );
    expect(Object.keys(config.resource.aws_iam_user).length).toBeGreaterThan(0);
    expect(config.provider.aws[0].region).toBe('us-east-1');
  });

  it('rejects a bad roster with every problem, and removes earlier output', () => {
    const out = join(dir, 'out');
    const stack = join(out, 'stacks', 'iam-onboarding');
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, 'cdk.tf.json'), '{"stale": true}');
    writeFileSync(join(stack, 'plan.json'), '{"stale": true}');
    writeFileSync(join(stack, 'terraform.tfstate'), '{}');
    const roster = join(dir, 'bad.json');
    writeFileSync(
      roster,
      JSON.stringify(
        {
          users: [
            { userName: 'a b', email: 'x' },
            { userName: 'c', email: 'c@example.com', groups: ['nope'] },
          ],
        },
        null,
        2,
      ),
    );
    const r = runMain({ CDKTF_OUTDIR: out, ROSTER_FILE: roster });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `${roster} has 3 problems:`,
      `  - ${roster}:4:7 $.users[0].userName (user "a b"): may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "a b"`,
      `  - ${roster}:5:7 $.users[0].email (user "a b"): is not one email address like "name@example.com": it has no @; found "x"`,
      `  - ${roster}:11:9 $.users[1].groups[0] (user "c"): refers to group "nope", which is not defined in $.groups`,
    ]);
    expect(existsSync(join(stack, 'cdk.tf.json'))).toBe(false);
    expect(existsSync(join(stack, 'plan.json'))).toBe(false);
    // Local state is not output: deleting it would be destructive.
    expect(existsSync(join(stack, 'terraform.tfstate'))).toBe(true);
  });

  it('names a JSON syntax error by line and column', () => {
    const roster = join(dir, 'broken.json');
    writeFileSync(
      roster,
      '{\n  "users": [\n    { "userName": "a" "email": "a@example.com" }\n  ]\n}\n',
    );
    const r = runMain({ CDKTF_OUTDIR: join(dir, 'out'), ROSTER_FILE: roster });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${roster}:3:23 $: JSON syntax error: a comma was expected; found "email"`,
    );
    expect(existsSync(join(dir, 'out', 'stacks', 'iam-onboarding', 'cdk.tf.json'))).toBe(false);
  });

  it('rejects a half-configured remote state before synthesizing anything', () => {
    const out = join(dir, 'out');
    const r = runMain({
      CDKTF_OUTDIR: out,
      TF_STATE_KEY: 'iam-onboarding/terraform.tfstate',
      TF_STATE_BUCKET: '',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TF_STATE_BUCKET/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(join(out, 'stacks', 'iam-onboarding', 'cdk.tf.json'))).toBe(false);
  });

  it('reports the problems of the roster and the settings together', () => {
    const roster = join(dir, 'roster.json');
    const settings = join(dir, 'settings.json');
    writeFileSync(roster, '{"users": [{"userName": "a", "email": "nope"}]}');
    writeFileSync(settings, '{"accountId": 123}');
    const r = runMain({
      CDKTF_OUTDIR: join(dir, 'out'),
      ROSTER_FILE: roster,
      SETTINGS_FILE: settings,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${roster} has 1 problem:`);
    expect(r.stderr).toContain(`${settings} has `);
    expect(r.stderr).toContain('$.accountId');
  });

  it('inside GitHub Actions also annotates the problems, as npm run check does', () => {
    const roster = join(dir, 'roster.json');
    writeFileSync(roster, '{"users": [{"userName": "a", "email": "nope"}]}');
    const r = runMain({
      CDKTF_OUTDIR: join(dir, 'out'),
      ROSTER_FILE: roster,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      '::error file=roster.json,line=1,col=30,title=Roster problem::$.users[0].email (user "a"): ' +
        'is not one email address like "name@example.com": it has no @; found "nope"\n',
    );
  });
});

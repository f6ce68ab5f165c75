/**
 * `npm run plan -- --state FILE` with a file that is no state of this stack:
 * one line naming the file and what is wrong with it, exit 2, and nothing
 * else: no Terraform, no configuration or report left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-bad-state-'));
const file = (name: string, text: string) => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};

const CASES: [string, string, RegExp][] = [
  [
    join(root, 'missing.tfstate'),
    'missing',
    /: no such file \(pull one with `terraform state pull > FILE`/,
  ],
  [file('truncated.tfstate', '{"version": 4, "lineage": '), 'not JSON', /: is not JSON \(/],
  [
    file('plan.json', JSON.stringify({ format_version: '1.2', resource_changes: [] })),
    'a plan, not a state',
    /: is JSON but not a Terraform state \(no "version" and "lineage"\)/,
  ],
  [
    file('v3.tfstate', JSON.stringify({ version: 3, lineage: 'x', modules: [] })),
    'an old state format',
    /: is a Terraform state of format version 3; this Terraform reads version 4$/,
  ],
  [
    file(
      'other.tfstate',
      JSON.stringify({
        version: 4,
        lineage: 'other',
        serial: 7,
        resources: [
          { mode: 'managed', type: 'aws_s3_bucket', name: 'website', instances: [] },
          { mode: 'managed', type: 'aws_iam_user', name: 'someone', instances: [] },
          { mode: 'managed', type: 'aws_iam_role', name: 'ci', instances: [] },
        ],
      }),
    ),
    "another stack's state",
    /: is the state of another stack: none of its 3 resources \(aws_s3_bucket\.website, aws_iam_user\.someone, …\) is in this stack's configuration$/,
  ],
  [(mkdirSync(join(root, 'a-dir')), join(root, 'a-dir')), 'a directory', /: is a directory/],
];

describe('npm run plan -- --state with a bad file', () => {
  it.each(CASES)('%s (%s): one line, exit 2, nothing written', (state, _what, message) => {
    const outdir = join(root, `out-${readdirSync(root).length}`);
    const r = spawnSync('npm', ['run', '--silent', 'plan', '--', '--state', state], {
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`--state ${state}: `)).toBe(true);
    expect(lines[0]).toMatch(message);
    const stack = join(outdir, 'stacks', 'iam-onboarding');
    expect(existsSync(stack) ? readdirSync(stack) : []).toEqual([]);
    expect(existsSync(join(outdir, 'offline-plan'))).toBe(false);
  });

  it('--state without a file is a usage error', () => {
    const r = spawnSync('npm', ['run', '--silent', 'plan', '--', '--state'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^--state needs a file/);
  });
});

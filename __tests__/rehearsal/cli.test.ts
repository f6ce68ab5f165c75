/** `npm run rehearse -- --config FILE` as people run it: output lines and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/support';
import {
  editPolicy,
  resource,
  sqsTriggerConfig,
  SQS_TRIGGER_FIXTURE,
  withoutAction,
} from './support';

function run(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'rehearse', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('exits 0 when every hop passes, 1 on a denial, 2 on an unreadable configuration', () => {
  const ok = run('--config', SQS_TRIGGER_FIXTURE);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain(
    'allowed  sns -> queue iam-onboarding-welcome-queue: sqs:SendMessage  [TopicDelivers (queue policy of iam-onboarding-welcome-queue)]',
  );
  expect(ok.stdout).toMatch(
    /^40 hops: 34 allowed, 6 refused as they must be, 0 DENIED, .*end to end$/m,
  );

  const broken = sqsTriggerConfig();
  editPolicy(resource(broken, 'aws_iam_role_policy'), withoutAction('sqs:DeleteMessage'));
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(broken));
  const denied = run('--config', join(dir, 'cdk.tf.json'));
  expect(denied.code).toBe(1);
  expect(denied.stdout).toContain(
    'DENIED   role iam-onboarding-welcome -> queue iam-onboarding-welcome-queue: sqs:DeleteMessage  [no statement in role policy welcome allows sqs:DeleteMessage',
  );
  expect(denied.stdout).toMatch(/1 DENIED.*1 hop\(s\) would fail$/m);

  const missing = run('--config', join(dir, 'missing.json'));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('missing.json has 1 problem');
  expect(missing.stderr).toContain('cannot read the file: file not found');
  expect(missing.stderr).not.toMatch(/\n\s+at /);
});

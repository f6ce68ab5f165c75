/** `npm run rehearse -- --config FILE` as people run it: output lines and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, trailNoZone } from '../../support/stack';
import {
  editPolicy,
  policyOf,
  resource,
  synthesizedConfig,
  withoutAction,
  withoutStatement,
  withoutStatementsFor,
  type MutableConfig,
} from '../../support/rehearsal';

const dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'rehearse', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function written(name: string, config: MutableConfig): string {
  const file = join(dir, `${name}.tf.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

it('exits 0 when every hop passes, 2 on an unreadable configuration', () => {
  const ok = run('--config', written('ok', synthesizedConfig(trailNoZone())));
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain(
    'allowed  sns -> queue iam-onboarding-welcome-queue: sqs:SendMessage  [TopicDeliversCreateUserEvents (queue policy of iam-onboarding-welcome-queue)]',
  );
  expect(ok.stdout).toMatch(
    /^167 hops: 122 allowed, 45 refused as they must be, 0 DENIED, 0 OPEN .*end to end$/m,
  );

  const missing = run('--config', join(dir, 'missing.json'));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('missing.json has 1 problem');
  expect(missing.stderr).toContain('cannot read the file: file not found');
  expect(missing.stderr).not.toMatch(/\n\s+at /);
});

it.each([
  [
    'the topic policy without the events statement',
    (c: MutableConfig) =>
      editPolicy(
        policyOf(c, 'aws_sns_topic', 'iam-onboarding-user-created'),
        withoutStatementsFor('events.amazonaws.com'),
      ),
    [
      'DENIED   events -> topic iam-onboarding-user-created: sns:Publish  [topic policy of iam-onboarding-user-created has no statement allowing events.amazonaws.com sns:Publish]',
    ],
  ],
  [
    'the queue’s key without SnsEncryptsForQueue',
    (c: MutableConfig) =>
      editPolicy(resource(c, 'aws_kms_key'), withoutStatement('SnsEncryptsForQueue')),
    [
      'DENIED   sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:GenerateDataKey  [key policy of iam-onboarding has no statement allowing sns.amazonaws.com kms:GenerateDataKey]',
      'DENIED   sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:Decrypt  [key policy of iam-onboarding has no statement allowing sns.amazonaws.com kms:Decrypt]',
      // The SES feedback topic delivers into the same queue.
      'DENIED   sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:GenerateDataKey (from topic iam-onboarding-ses-feedback)  [key policy',
      'DENIED   sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:Decrypt (from topic iam-onboarding-ses-feedback)  [key policy',
    ],
  ],
  [
    'the role without sqs:SendMessage',
    (c: MutableConfig) =>
      editPolicy(resource(c, 'aws_iam_role_policy'), withoutAction('sqs:SendMessage')),
    [
      'DENIED   role iam-onboarding-welcome -> queue iam-onboarding-welcome-queue: sqs:SendMessage  [no statement in role policy welcome allows sqs:SendMessage on arn:aws:sqs:us-east-1:123456789012:iam-onboarding-welcome-queue',
    ],
  ],
])('exits 1 with %s, naming the hop', (name, mistake, lines) => {
  const config = synthesizedConfig(trailNoZone());
  mistake(config);
  const denied = run('--config', written(name.replace(/\W+/g, '-'), config));
  expect(denied.code).toBe(1);
  const failed = denied.stdout.split('\n').filter((l) => /^(DENIED|OPEN)/.test(l));
  expect(failed).toHaveLength(lines.length);
  lines.forEach((line, i) => expect(failed[i].startsWith(line)).toBe(true));
  expect(denied.stdout).toMatch(
    new RegExp(`${lines.length} DENIED, 0 OPEN.*${lines.length} hop\\(s\\) would fail$`, 'm'),
  );
});

describe('--scp FILE...', () => {
  const config = () => written('scp', synthesizedConfig(trailNoZone()));
  const scp = (name: string, body: string) => {
    const f = join(dir, name);
    writeFileSync(f, body);
    return f;
  };

  it('names the call an SCP denying iam:CreateLoginProfile stops, and exits 1', () => {
    const f = scp(
      'no-passwords.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'iam:CreateLoginProfile', Resource: '*' }],
      }),
    );
    const r = run('--config', config(), '--scp', f);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'DENIED   role iam-onboarding-welcome -> user iam-onboarding/new.person: iam:CreateLoginProfile  [explicit deny statement #1 in scp SCP no-passwords.json]',
    );
    expect(r.stdout).toMatch(
      /^Under SCP FullAWSAccess \(assumed\), SCP no-passwords\.json: \d+ distinct calls of the deploy role, \d+ allowed\.$/m,
    );
    expect(r.stdout).toContain(
      'Denied by the SCPs (1 call):\n  iam:CreateLoginProfile: 1 call, by role iam-onboarding-welcome  [explicit deny statement #1 in scp SCP no-passwords.json]',
    );
  });

  it('a file that is no policy is one line and exit 2, before anything is rehearsed', () => {
    const r = run('--config', config(), '--scp', scp('cut.json', '{"Statement": ['));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/cut\.json: is not JSON \(/),
    ]);
    const none = run('--config', config(), '--scp');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--scp needs one or more policy files');
  });
});

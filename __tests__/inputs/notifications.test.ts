/**
 * The `notifications` settings: defaults, and each mistake reported with its
 * path and a way out; a webhook URL pasted where its parameter's name goes
 * is refused without being repeated.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, InputFileError, type Problem } from '../../inputs/errors';
import { loadSettings } from '../../inputs/settings';
import { ssmParameterArn, ssmParameterNameProblem } from '../../shared/ssm-parameter';

const dir = mkdtempSync(join(tmpdir(), 'notifications-'));
let n = 0;
const file = (content: unknown) => {
  const path = join(dir, `s-${n++}.json`);
  writeFileSync(path, JSON.stringify(content, null, 2));
  return path;
};
const valid = (notifications?: unknown) => ({
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it@example.com',
  ...(notifications === undefined ? {} : { notifications }),
});
function problemsOf(notifications: unknown): { problems: Problem[]; text: string } {
  const path = file(valid(notifications));
  try {
    loadSettings(path);
  } catch (e) {
    if (e instanceof InputFileError) {
      return { problems: [...e.problems], text: formatProblems(path, e.problems) };
    }
    throw e;
  }
  throw new Error('expected an InputFileError');
}

it('defaults to no destinations', () => {
  expect(loadSettings(file(valid())).notifications).toEqual({ adminEmails: [] });
  expect(loadSettings(file(valid({}))).notifications).toEqual({ adminEmails: [] });
});

it('takes addresses and a parameter name', () => {
  expect(
    loadSettings(
      file(valid({ adminEmails: ['a@example.com'], slackWebhookParameter: '/team/slack-url' })),
    ).notifications,
  ).toEqual({ adminEmails: ['a@example.com'], slackWebhookParameter: '/team/slack-url' });
});

it('reports each bad address with its path, a duplicate, and a suggestion where one is evident', () => {
  const { problems } = problemsOf({
    adminEmails: ['ok@example.com', ' Ops@Example.com ', 'not-an-address', 'OK@example.com'],
  });
  expect(problems.map((p) => p.path)).toEqual([
    '$.notifications.adminEmails',
    '$.notifications.adminEmails[1]',
    '$.notifications.adminEmails[2]',
  ]);
  expect(problems[0].message).toContain('lists the same address more than once');
  expect(problems[1].message).toContain('did you mean "Ops@Example.com"?');
  expect(problems[2].message).toMatch(
    /is not one email address like "name@example\.com": it has no @; found "not-an-address"/,
  );
});

it.each([
  ['iam-onboarding/slack', 'has a "/" but does not start with one'],
  ['/iam-onboarding/', 'ends with "/"'],
  ['/a//b', 'has an empty level'],
  ['/aws/slack', 'starts with "aws" or "ssm"'],
  ['has space', 'may contain only letters, digits and _ . - /'],
  ['', 'is empty'],
])('refuses the parameter name %j: %s', (name, reason) => {
  const { problems } = problemsOf({ slackWebhookParameter: name });
  expect(problems).toHaveLength(1);
  expect(problems[0].path).toBe('$.notifications.slackWebhookParameter');
  expect(problems[0].message).toContain(reason);
});

it('a webhook URL where the name goes: refused, and never repeated', () => {
  const url = 'https://hooks.slack.com/services/T0AAA/B0BBB/verySecretToken123';
  const { problems, text } = problemsOf({ slackWebhookParameter: url });
  expect(problems).toHaveLength(1);
  expect(problems[0].path).toBe('$.notifications.slackWebhookParameter');
  expect(problems[0].message).toContain('is a URL, but this field takes the NAME');
  expect(problems[0].message).toContain('rotate the webhook');
  expect(text).not.toContain('hooks.slack.com');
  expect(text).not.toContain('verySecretToken123');
});

it('unknown fields are named with the field meant', () => {
  const { problems } = problemsOf({ adminEmail: ['a@example.com'] });
  expect(problems[0].message).toContain('did you mean "adminEmails"?');
});

it('SSM names and ARNs', () => {
  expect(ssmParameterNameProblem('/a/b.c_d-e')).toBeUndefined();
  expect(ssmParameterNameProblem('flat')).toBeUndefined();
  expect(ssmParameterNameProblem(`/${Array.from({ length: 16 }, () => 'l').join('/')}`)).toContain(
    'more than 15 levels',
  );
  expect(ssmParameterArn('us-east-1', '123456789012', '/a/b')).toBe(
    'arn:aws:ssm:us-east-1:123456789012:parameter/a/b',
  );
  expect(ssmParameterArn('us-east-1', '123456789012', 'flat')).toBe(
    'arn:aws:ssm:us-east-1:123456789012:parameter/flat',
  );
});

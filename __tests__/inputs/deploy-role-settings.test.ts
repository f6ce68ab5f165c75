/** settings `security.deployRoleArn`: the one caller whose TagUser may move a resend (issue 17). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError, type Problem } from '../../inputs/errors';
import { loadSettings } from '../../inputs/settings';
import { synthStack, trailNoZone } from '../support/stack';

const dir = mkdtempSync(join(tmpdir(), 'deploy-role-'));
let n = 0;

function load(deployRoleArn: unknown): { problems: Problem[]; arn?: string } {
  const path = join(dir, `settings-${n++}.json`);
  const settings = {
    accountId: '123456789012',
    organisationName: 'Example Corp',
    sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
    trail: { create: true },
    alerts: { emails: ['ops@example.com'] },
    helpContact: 'it@example.com',
    security: deployRoleArn === undefined ? {} : { deployRoleArn },
  };
  writeFileSync(path, JSON.stringify(settings, null, 2));
  try {
    const s = loadSettings(path);
    return { problems: [], ...(s.security.deployRoleArn ? { arn: s.security.deployRoleArn } : {}) };
  } catch (e) {
    if (e instanceof InputFileError) return { problems: [...e.problems] };
    throw e;
  }
}

describe('security.deployRoleArn', () => {
  it.each([
    'arn:aws:iam::123456789012:role/iam-onboarding-deploy',
    'arn:aws:iam::123456789012:role/ci/github/iam-onboarding-deploy',
  ])('accepts a role ARN, with or without a path: %s', (arn) => {
    expect(load(arn)).toEqual({ problems: [], arn });
  });

  it('is optional: absent, nothing is set', () => {
    expect(load(undefined)).toEqual({ problems: [] });
  });

  it.each([
    ['an assumed-role ARN', 'arn:aws:sts::123456789012:assumed-role/iam-onboarding-deploy/ci'],
    ['a user ARN', 'arn:aws:iam::123456789012:user/deployer'],
    ['a bare name', 'iam-onboarding-deploy'],
    ['a wildcard', 'arn:aws:iam::123456789012:role/*'],
    ['an expression', 'arn:aws:iam::123456789012:role/${var.x}'],
    ['a name over 64 characters', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`],
    ['a number', 42],
  ])('refuses %s, saying what it must be', (_what, value) => {
    const { problems } = load(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '$.security.deployRoleArn' });
    expect(problems[0].message).toMatch(/role ARN|must be/);
  });

  it('refuses a role of another account: CloudTrail would never name it here', () => {
    const { problems } = load('arn:aws:iam::210987654321:role/iam-onboarding-deploy');
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        '$.security.deployRoleArn',
        expect.stringMatching(
          /^names account 210987654321, not accountId 123456789012: the deploy role is in the account it deploys to/,
        ),
      ],
    ]);
  });

  it('reaches the function as DEPLOY_ROLE_ARN, and only when set', () => {
    const arn = 'arn:aws:iam::123456789012:role/iam-onboarding-deploy';
    const envOf = (json: string) => {
      const fns = (JSON.parse(json) as { resource: Record<string, Record<string, unknown>> })
        .resource.aws_lambda_function;
      return Object.values(fns).map(
        (f) => (f as { environment: { variables: Record<string, string> } }).environment.variables,
      );
    };
    const base = trailNoZone();
    const withRole = { ...base, security: { ...base.security, deployRoleArn: arn } };
    expect(envOf(synthStack(withRole).json).map((v) => v.DEPLOY_ROLE_ARN)).toEqual([arn]);
    expect(envOf(synthStack(base).json).map((v) => v.DEPLOY_ROLE_ARN)).toEqual([undefined]);
  });
});

/** `delivery.operatorRoles`: exact role ARNs, each mistake named where it is, and nothing else exempted. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError, type Problem } from '../../inputs/errors';
import { loadSettings } from '../../inputs/settings';

const dir = mkdtempSync(join(tmpdir(), 'operator-roles-'));
let n = 0;

const settingsWith = (operatorRoles: unknown) => {
  const path = join(dir, `settings-${n++}.json`);
  const settings = {
    accountId: '123456789012',
    organisationName: 'Example Corp',
    sender: { address: 'onboarding@example.com', domain: 'example.com' },
    trail: { create: true },
    alerts: { emails: ['ops@example.com'] },
    helpContact: 'it@example.com',
    delivery: { operatorRoles },
  };
  writeFileSync(path, JSON.stringify(settings, null, 2));
  return path;
};

function problemsOf(path: string): Problem[] {
  try {
    loadSettings(path);
  } catch (e) {
    if (e instanceof InputFileError) return [...e.problems];
    throw e;
  }
  return [];
}

const SSO =
  'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef';

it('takes exact role ARNs, with a path', () => {
  const roles = ['arn:aws:iam::123456789012:role/it-operator', SSO];
  expect(loadSettings(settingsWith(roles)).delivery.operatorRoles).toEqual(roles);
});

it.each([
  ['a wildcard', 'arn:aws:iam::123456789012:role/*'],
  ['a user', 'arn:aws:iam::123456789012:user/alice'],
  ['an assumed-role session', 'arn:aws:sts::123456789012:assumed-role/it-operator/alice'],
  ['no account', 'arn:aws:iam:::role/it-operator'],
  ['a bare name', 'it-operator'],
])('refuses %s, naming the entry', (_label, arn) => {
  expect(problemsOf(settingsWith(['arn:aws:iam::123456789012:role/ok', arn]))).toEqual([
    expect.objectContaining({
      path: '$.delivery.operatorRoles[1]',
      message: expect.stringMatching(/^must be an IAM role ARN such as .* \(exact, no wildcards\)/),
    }),
  ]);
});

it('refuses a string where a list belongs, and more than ten roles', () => {
  expect(problemsOf(settingsWith(SSO)).map((p) => p.path)).toEqual(['$.delivery.operatorRoles']);
  const eleven = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:role/op-${i}`);
  expect(problemsOf(settingsWith(eleven)).map((p) => p.message)).toEqual([
    expect.stringContaining('lists more than 10 roles'),
  ]);
});

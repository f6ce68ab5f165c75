/**
 * What IAM itself would refuse, refused by the roster check with the path,
 * the value and the fix: policy paths with `*` or over 512 characters, ARNs
 * over 2,048, and more users or groups than the account's quota (IAM's
 * defaults, or the settings' `limits` when the account's are raised).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWhat, InputFileError } from '../../inputs/errors';
import { loadInputFiles } from '../../inputs/input-files';
import { parseJsonDocument } from '../../inputs/json-file';
import { DEFAULT_QUOTAS, validateRoster } from '../../inputs/roster';

function problems(roster: unknown, quotas = DEFAULT_QUOTAS): string[] {
  try {
    validateRoster(parseJsonDocument('users.json', JSON.stringify(roster)), quotas);
  } catch (err) {
    if (err instanceof InputFileError) return err.problems.map(describeWhat);
    throw err;
  }
  return [];
}

const withPolicy = (arn: string) => ({
  groups: [{ groupName: 'dev', policies: [arn] }],
  users: [],
});

describe('policy ARNs', () => {
  it.each([
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn:aws:iam::aws:policy/job-function/Billing',
    'arn:aws:iam::123456789012:policy/a/b-c/${x}/name',
    `arn:aws:iam::aws:policy/${'p'.repeat(510)}/name`,
  ])('accepts %s', (arn) => {
    expect(problems(withPolicy(arn))).toEqual([]);
  });

  it('refuses a * in the path, with the fix', () => {
    expect(problems(withPolicy('arn:aws:iam::aws:policy/*/ReadOnlyAccess'))).toEqual([
      '$.groups[0].policies[0] (group "dev"): has a "*" in its path, which IAM does not allow (a wildcard cannot attach a policy); name one policy by its exact ARN; found "arn:aws:iam::aws:policy/*/ReadOnlyAccess"',
    ]);
  });

  it('refuses a path over 512 characters and an ARN over 2,048', () => {
    const longPath = `arn:aws:iam::aws:policy/${'p'.repeat(511)}/name`;
    expect(problems(withPolicy(longPath))).toEqual([
      expect.stringMatching(
        /^\$\.groups\[0\]\.policies\[0\] \(group "dev"\): has a path \(between "policy" and the policy's name\) longer than IAM's 512 characters; copy the ARN from the IAM console; found "arn:aws:iam::aws:policy\/p+…" \(540 characters\)$/,
      ),
    ]);
    const longArn = `arn:aws:iam::aws:policy/${'p/'.repeat(1100)}name`;
    expect(problems(withPolicy(longArn))).toEqual([
      expect.stringMatching(/is longer than IAM's 2,048 characters for a policy ARN; copy the ARN/),
    ]);
  });
});

describe('account quotas', () => {
  const users = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ userName: `u${i}`, email: `u${i}@example.com` }));
  const groups = (n: number) => Array.from({ length: n }, (_, i) => ({ groupName: `g${i}` }));

  it("refuses more users and groups than IAM's default quotas, naming the setting", () => {
    expect(problems({ groups: groups(300), users: users(5000) })).toEqual([]);
    expect(problems({ groups: groups(301), users: users(5001) })).toEqual([
      "$.groups: lists 301 groups, more than the 300 IAM groups the account may have; remove some, or if the account's quota is raised (aws iam get-account-summary, GroupsQuota) set limits.maxGroups in the settings to it; found a list of 301 items",
      "$.users: lists 5,001 users, more than the 5,000 IAM users the account may have; remove some, or if the account's quota is raised (aws iam get-account-summary, UsersQuota) set limits.maxUsers in the settings to it; found a list of 5001 items",
    ]);
  });

  it("checks the roster against the settings' raised limits when the files are loaded", () => {
    const dir = mkdtempSync(join(tmpdir(), 'limits-'));
    const settings = {
      accountId: '123456789012',
      organisationName: 'Example Corp',
      sender: { address: 'IT <it@example.com>', domain: 'example.com' },
      trail: { create: true },
      alerts: { emails: ['ops@example.com'] },
      helpContact: 'it-help@example.com',
    };
    const load = (limits?: object) => {
      writeFileSync(
        join(dir, 'users.json'),
        JSON.stringify({ groups: groups(301), users: users(2) }),
      );
      writeFileSync(
        join(dir, 'settings.json'),
        JSON.stringify({ ...settings, ...(limits ? { limits } : {}) }),
      );
      return loadInputFiles({
        rosterFile: join(dir, 'users.json'),
        settingsFile: join(dir, 'settings.json'),
      });
    };
    expect(() => load()).toThrow(/\$\.groups: lists 301 groups, more than the 300/);
    expect(load({ maxGroups: 500 }).settings.limits).toEqual({ maxUsers: 5000, maxGroups: 500 });
    expect(() => load({ maxGroups: 100 })).toThrow(/more than the 100 IAM groups/);
    expect(() => load({ maxGroups: 0, maxUser: 1 })).toThrow(
      /settings.json has 2 problems:[\s\S]*\$\.limits\.maxGroups: must be at least 1[\s\S]*unknown field "maxUser"/,
    );
  });
});

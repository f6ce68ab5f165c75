/** The account baselines the settings switch on: MFA before anything else, a CIS password policy. */
import { EVERYONE_GROUP_NAME } from '../../shared/contract';
import { ALLOWED_WITHOUT_MFA } from '../../stacks/require-mfa';
import { only, ref, resourcesOf, statement, synthStack, trailNoZone } from '../support/stack';

const defaults = synthStack(trailNoZone()).config;

describe('require MFA (security.requireMfa, on by default)', () => {
  const policy = only(defaults, 'aws_iam_group_policy');

  test('is an inline policy of the group every managed person is in', () => {
    expect(policy).toMatchObject({
      name: 'require-mfa',
      group: ref(defaults, 'aws_iam_group', { name: EVERYONE_GROUP_NAME }, 'name'),
    });
  });

  test('denies everything but the password change and MFA set-up until MFA is used', () => {
    expect(statement(policy.policy, 'DenyAllExceptListedIfNoMfa')).toEqual({
      Sid: 'DenyAllExceptListedIfNoMfa',
      Effect: 'Deny',
      NotAction: [...ALLOWED_WITHOUT_MFA],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    // Without these two the forced reset at first sign-in would be denied: a locked-out person.
    expect(ALLOWED_WITHOUT_MFA).toEqual(
      expect.arrayContaining(['iam:ChangePassword', 'iam:GetAccountPasswordPolicy']),
    );
  });

  test('lets a person manage only their own MFA device', () => {
    expect(statement(policy.policy, 'CreateOwnVirtualMfaDevice').Resource).toBe(
      'arn:aws:iam::*:mfa/$${aws:username}', // Terraform's escape: IAM receives ${aws:username}
    );
    expect(statement(policy.policy, 'ManageOwnMfa').Resource).toBe(
      'arn:aws:iam::*:user/$${aws:username}',
    );
  });

  test('can be turned off', () => {
    const off = synthStack({
      ...trailNoZone(),
      security: { requireMfa: false, managePasswordPolicy: false },
    }).config;
    expect(resourcesOf(off, 'aws_iam_group_policy')).toEqual({});
  });
});

describe('account password policy (security.managePasswordPolicy, off by default)', () => {
  test('is left alone by default', () => {
    expect(resourcesOf(defaults, 'aws_iam_account_password_policy')).toEqual({});
  });

  test('with CIS values when asked', () => {
    const on = synthStack({
      ...trailNoZone(),
      security: { requireMfa: true, managePasswordPolicy: true },
    }).config;
    expect(only(on, 'aws_iam_account_password_policy')).toEqual({
      minimum_password_length: 14,
      password_reuse_prevention: 24,
      require_lowercase_characters: true,
      require_uppercase_characters: true,
      require_numbers: true,
      require_symbols: true,
      allow_users_to_change_password: true,
    });
  });
});

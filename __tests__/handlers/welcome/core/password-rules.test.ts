/**
 * The rules read from the account's password policy, and the error for a
 * policy no password can meet: what the function logs and reports, exactly.
 */
import {
  generatePassword,
  IAM_DEFAULT_RULES,
  MAX_PASSWORD_LENGTH,
  passwordLength,
  PasswordPolicyUnsatisfiableError,
  rulesFromIamPolicy,
} from '../../../../handlers/welcome/core/password';

describe('rulesFromIamPolicy', () => {
  it('without a policy is IAM’s default: 8 characters, three of four classes, no flag', () => {
    expect(rulesFromIamPolicy(undefined)).toEqual({
      minimumLength: 8,
      requireUppercase: false,
      requireLowercase: false,
      requireNumbers: false,
      requireSymbols: false,
      minimumClasses: 3,
    });
    expect(rulesFromIamPolicy(undefined)).toBe(IAM_DEFAULT_RULES);
  });

  it('reads each flag of a policy on its own, and a policy’s rules need no class count', () => {
    const flags = [
      ['RequireUppercaseCharacters', 'requireUppercase'],
      ['RequireLowercaseCharacters', 'requireLowercase'],
      ['RequireNumbers', 'requireNumbers'],
      ['RequireSymbols', 'requireSymbols'],
    ] as const;
    const none = {
      minimumLength: 14,
      requireUppercase: false,
      requireLowercase: false,
      requireNumbers: false,
      requireSymbols: false,
      minimumClasses: 0,
    };
    expect(rulesFromIamPolicy({ MinimumPasswordLength: 14 })).toEqual(none);
    for (const [field, rule] of flags) {
      expect(rulesFromIamPolicy({ MinimumPasswordLength: 14, [field]: true })).toEqual({
        ...none,
        [rule]: true,
      });
      expect(rulesFromIamPolicy({ MinimumPasswordLength: 14, [field]: false })).toEqual(none);
    }
  });

  it('reads a policy without a length as IAM’s floor of 6', () => {
    expect(rulesFromIamPolicy({ RequireSymbols: true }).minimumLength).toBe(6);
  });
});

describe('a policy no password can meet', () => {
  it('is refused with an error that says why', () => {
    const error = (() => {
      try {
        passwordLength({ ...IAM_DEFAULT_RULES, minimumLength: 200 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PasswordPolicyUnsatisfiableError);
    expect(error).toMatchObject({
      name: 'PasswordPolicyUnsatisfiableError',
      message: `password policy asks for at least 200 characters; IAM allows at most ${MAX_PASSWORD_LENGTH}`,
    });
  });

  it('includes a length that is not a whole number, and not IAM’s own maximum', () => {
    expect(() => passwordLength({ ...IAM_DEFAULT_RULES, minimumLength: 12.5 })).toThrow(
      PasswordPolicyUnsatisfiableError,
    );
    expect(passwordLength({ ...IAM_DEFAULT_RULES, minimumLength: MAX_PASSWORD_LENGTH })).toBe(128);
    expect(generatePassword({ ...IAM_DEFAULT_RULES, minimumLength: 128 })).toHaveLength(128);
    expect(passwordLength({ ...IAM_DEFAULT_RULES, minimumLength: 21 })).toBe(21);
    expect(passwordLength({ ...IAM_DEFAULT_RULES, minimumLength: 6 })).toBe(20);
  });
});

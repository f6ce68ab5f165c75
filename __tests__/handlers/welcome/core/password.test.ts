import fc from 'fast-check';
import {
  generatePassword,
  IAM_DEFAULT_RULES,
  MIN_GENERATED_LENGTH,
  PASSWORD_ALPHABET,
  PasswordPolicyUnsatisfiableError,
  rulesFromIamPolicy,
  type RandomInt,
} from '../../../../handlers/welcome/core/password';
import { IAM_SYMBOLS, satisfiesIamPolicy } from '../../../support/fake-aws';

/** Characters people misread or mistype; none may appear in a generated password. */
const LOOK_ALIKES = '0Oo1lI|\'`"';

const iamPolicy = fc.record(
  {
    MinimumPasswordLength: fc.integer({ min: 6, max: 128 }),
    RequireSymbols: fc.boolean(),
    RequireNumbers: fc.boolean(),
    RequireUppercaseCharacters: fc.boolean(),
    RequireLowercaseCharacters: fc.boolean(),
  },
  { requiredKeys: ['MinimumPasswordLength'] },
);

describe('generatePassword', () => {
  it('satisfies any IAM password policy, and the default when there is none', () => {
    fc.assert(
      fc.property(fc.option(iamPolicy, { nil: undefined }), (policy) => {
        const password = generatePassword(rulesFromIamPolicy(policy));
        const expectedLength = Math.max(MIN_GENERATED_LENGTH, policy?.MinimumPasswordLength ?? 0);
        expect(password).toHaveLength(expectedLength);
        expect(satisfiesIamPolicy(password, policy)).toBe(true);
        // Every class, always: satisfies "3 of 4" and any Require* flag alike.
        expect(password).toMatch(/[A-Z]/);
        expect(password).toMatch(/[a-z]/);
        expect(password).toMatch(/[0-9]/);
        expect([...password].some((c) => IAM_SYMBOLS.includes(c))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('uses only easy-to-type characters that IAM accepts as symbols', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), (minimumLength) => {
        const password = generatePassword({ ...IAM_DEFAULT_RULES, minimumLength });
        for (const c of password) {
          expect(LOOK_ALIKES).not.toContain(c);
          expect(/[A-Za-z0-9]/.test(c) || IAM_SYMBOLS.includes(c)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect([...PASSWORD_ALPHABET].filter((c) => LOOK_ALIKES.includes(c))).toEqual([]);
  });

  it('refuses a policy longer than IAM allows rather than producing a bad password', () => {
    expect(() => generatePassword({ ...IAM_DEFAULT_RULES, minimumLength: 129 })).toThrow(
      PasswordPolicyUnsatisfiableError,
    );
  });

  it('draws every position from the whole alphabet through the injected source', () => {
    // A source that always answers 0 makes the draws visible: the bounds asked
    // for must be exactly the class and alphabet sizes (no modulo reduction).
    const bounds: number[] = [];
    const recording: RandomInt = (max) => {
      bounds.push(max);
      return 0;
    };
    generatePassword(IAM_DEFAULT_RULES, recording);
    expect(bounds.slice(0, 4)).toEqual([24, 24, 8, 13]);
    expect(bounds.slice(4, 20)).toEqual(Array(16).fill(PASSWORD_ALPHABET.length));
    expect(bounds.slice(20)).toEqual(Array.from({ length: 19 }, (_, i) => 20 - i));
  });

  it('reaches every character of the alphabet and repeats no password', () => {
    const seen = new Set<string>();
    const passwords = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const password = generatePassword(IAM_DEFAULT_RULES);
      passwords.add(password);
      for (const c of password) seen.add(c);
    }
    expect(passwords.size).toBe(2000);
    expect([...seen].sort().join('')).toBe([...PASSWORD_ALPHABET].sort().join(''));
  });
});

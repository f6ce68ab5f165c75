/**
 * Temporary passwords that satisfy the account's IAM password policy.
 *
 * The person types this password once, from an email, into the console, so
 * the alphabet leaves out characters that are easy to misread (0 O o, 1 l I |,
 * quotes) and symbols that are dead keys on common layouts (^ on French and
 * German keyboards). Every class is always used, which satisfies both any
 * `Require*` flag and IAM's default rule of "three of four classes".
 */
import { randomInt as cryptoRandomInt } from 'node:crypto';

export const UPPERCASE = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const LOWERCASE = 'abcdefghijkmnpqrstuvwxyz';
export const DIGITS = '23456789';
/** A subset of the symbols IAM accepts (! @ # $ % ^ & * ( ) _ + - = [ ] { } | '). */
export const SYMBOLS = '!#$%&*()+-=@_';

export const PASSWORD_ALPHABET = UPPERCASE + LOWERCASE + DIGITS + SYMBOLS;

/** Shorter passwords are weaker than we want, whatever the account allows. */
export const MIN_GENERATED_LENGTH = 20;
/** IAM's upper bound for MinimumPasswordLength and for a password. */
export const MAX_PASSWORD_LENGTH = 128;

/** The parts of an IAM password policy that constrain a new password. */
export interface PasswordRules {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  /** How many of the four classes must appear (IAM's default rule: 3). */
  minimumClasses: number;
}

/** IAM's rule when the account has no password policy (GetAccountPasswordPolicy: NoSuchEntity). */
export const IAM_DEFAULT_RULES: PasswordRules = {
  minimumLength: 8,
  requireUppercase: false,
  requireLowercase: false,
  requireNumbers: false,
  requireSymbols: false,
  minimumClasses: 3,
};

/** The shape GetAccountPasswordPolicy returns (only the fields we need). */
export interface IamPasswordPolicyFields {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
}

/** Rules in force: the account's policy, or IAM's default when there is none. */
export function rulesFromIamPolicy(policy: IamPasswordPolicyFields | undefined): PasswordRules {
  if (!policy) return IAM_DEFAULT_RULES;
  return {
    // A policy always carries a length; IAM's own floor (6) is the safe reading if it does not.
    minimumLength: policy.MinimumPasswordLength ?? 6,
    requireUppercase: policy.RequireUppercaseCharacters ?? false,
    requireLowercase: policy.RequireLowercaseCharacters ?? false,
    requireNumbers: policy.RequireNumbers ?? false,
    requireSymbols: policy.RequireSymbols ?? false,
    minimumClasses: 0,
  };
}

/** Returns a uniform integer in [0, max); node:crypto's randomInt rejects biased draws. */
export type RandomInt = (max: number) => number;

const defaultRandomInt: RandomInt = (max) => cryptoRandomInt(max);

export class PasswordPolicyUnsatisfiableError extends Error {
  constructor(minimumLength: number) {
    super(
      `password policy asks for at least ${minimumLength} characters; IAM allows at most ${MAX_PASSWORD_LENGTH}`,
    );
    this.name = 'PasswordPolicyUnsatisfiableError';
  }
}

/** Length of the password generated for these rules. */
export function passwordLength(rules: PasswordRules): number {
  if (!Number.isInteger(rules.minimumLength) || rules.minimumLength > MAX_PASSWORD_LENGTH) {
    throw new PasswordPolicyUnsatisfiableError(rules.minimumLength);
  }
  return Math.max(MIN_GENERATED_LENGTH, rules.minimumLength);
}

function pick(chars: string, randomInt: RandomInt): string {
  return chars[randomInt(chars.length)];
}

/**
 * A password for `rules`, from a cryptographically secure source.
 *
 * One character of each class is placed first, the rest drawn from the whole
 * alphabet, then a Fisher-Yates shuffle hides where the guaranteed ones are.
 */
export function generatePassword(
  rules: PasswordRules,
  randomInt: RandomInt = defaultRandomInt,
): string {
  const length = passwordLength(rules);
  const chars = [UPPERCASE, LOWERCASE, DIGITS, SYMBOLS].map((set) => pick(set, randomInt));
  while (chars.length < length) chars.push(pick(PASSWORD_ALPHABET, randomInt));
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

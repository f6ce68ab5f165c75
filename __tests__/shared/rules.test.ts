/**
 * The rules both halves apply (shared/rules.ts): what each accepts, the
 * reason it gives for each kind of refusal, and, over generated inputs, that
 * the patterns implement the rules as documented and that every refusal
 * comes with a specific reason.
 */
import fc from 'fast-check';
import {
  ACCOUNT_ALIAS,
  checkAccountAlias,
  checkAccountId,
  checkEmailAddress,
  checkMailbox,
  checkManagedByTag,
  checkManagedPath,
  EMAIL_ADDRESS,
  reasonOf,
} from '../../shared/rules';
import { aliasCandidate, emailCandidate, senderCandidate } from '../support/arbitraries';

const RUNS = { numRuns: 800 };

/** One example of each kind of refused address, with its reason. */
const EMAIL_REFUSALS: readonly (readonly [string, string])[] = [
  ['', 'it is empty'],
  ['ada', 'it has no @'],
  ['ada@@example.com', 'it has more than one @ (give one address only)'],
  ['a@example.com,b@example.com', 'it has more than one @ (give one address only)'],
  ['Ada <ada@example.com>', 'it has < or > (give the address alone, without a name)'],
  [' ada@example.com', 'it contains a space, a tab or a line break'],
  ['ada@example.com\r\nBcc: x', 'it contains a space, a tab or a line break'],
  ['ada@example.com\n', 'it contains a space, a tab or a line break'],
  ['ada@example.com\u00a0', 'it contains a space, a tab or a line break'],
  ['\u200bada@example.com', 'it contains an invisible character'],
  [
    'adä@example.com',
    'it contains a character that is not plain ASCII (SES needs an ASCII address)',
  ],
  [
    'ada@exämple.com',
    'it contains a character that is not plain ASCII (SES needs an ASCII address)',
  ],
  ['@example.com', 'there is nothing before the @'],
  ['ada@', 'there is nothing after the @'],
  [`${'a'.repeat(65)}@example.com`, 'the part before the @ is longer than 64 characters'],
  [
    `a@${['b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63), 'e'.repeat(57)].join('.')}.com`,
    'it is longer than 254 characters',
  ],
  ['"ada lovelace"@example.com', 'it contains a space, a tab or a line break'],
  [
    '"ada"@example.com',
    "the part before the @ may contain only letters, digits, dots and ! # $ % & ' * + - / = ? ^ _ ` { | } ~",
  ],
  ['.ada@example.com', 'the part before the @ starts or ends with a dot'],
  ['ada.@example.com', 'the part before the @ starts or ends with a dot'],
  ['a..b@example.com', 'the part before the @ has two dots in a row'],
  ['ada@exa_mple.com', 'the domain after the @ may contain only letters, digits, hyphens and dots'],
  ['ada@example', 'the domain after the @ has no dot (e.g. "example.com")'],
  [
    'ada@.example.com',
    'the domain after the @ starts or ends with a dot, or has two dots in a row',
  ],
  [
    'ada@example.com.',
    'the domain after the @ starts or ends with a dot, or has two dots in a row',
  ],
  [
    'ada@example..com',
    'the domain after the @ starts or ends with a dot, or has two dots in a row',
  ],
  ['ada@-example.com', 'a part of the domain starts or ends with a hyphen'],
  ['ada@example-.com', 'a part of the domain starts or ends with a hyphen'],
  [`ada@${'b'.repeat(64)}.com`, 'a part of the domain is longer than 63 characters'],
  [
    'ada@example.c',
    'the domain does not end in a top-level domain of 2 to 63 letters (such as ".com")',
  ],
  [
    'ada@example.c0m',
    'the domain does not end in a top-level domain of 2 to 63 letters (such as ".com")',
  ],
  [
    'ada@127.0.0.1',
    'the domain does not end in a top-level domain of 2 to 63 letters (such as ".com")',
  ],
];
const EMAIL_REASONS = new Set(EMAIL_REFUSALS.map(([, reason]) => reason));

describe('checkEmailAddress', () => {
  it.each([
    'ada@example.com',
    'ada.lovelace+aws@mail.example.co.uk',
    "!#$%&'*+-/=?^_`{|}~@example.com",
    'Ada.Lovelace@EXAMPLE.COM',
    'x@xn--bcher-kva.example',
    'a@b-c.d-e.org',
    'a@1.example.com',
    `${'a'.repeat(64)}@example.com`,
    `a@${'b'.repeat(63)}.com`,
    // 254 characters: 1 + @ + 3 labels of 63 + 60-character label + dots + "com".
    `a@${['b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63), 'e'.repeat(56)].join('.')}.com`,
  ])('accepts %j', (value) => {
    expect(checkEmailAddress(value)).toEqual({ ok: true });
  });

  it.each(EMAIL_REFUSALS)('refuses %j: %s', (value, reason) => {
    expect(checkEmailAddress(value)).toEqual({ ok: false, reason });
  });

  it('gives one of a fixed set of reasons, never built from the value (the function logs them)', () => {
    fc.assert(
      fc.property(emailCandidate, (value) => {
        const reason = reasonOf(checkEmailAddress(value));
        if (reason !== undefined) expect(EMAIL_REASONS).toContain(reason);
      }),
      RUNS,
    );
  });

  /** The documented rule, restated as plain code, independently of the pattern. */
  function documentedRule(value: string): boolean {
    const parts = value.split('@');
    if (parts.length !== 2 || value.length > 254) return false;
    const [local, domain] = parts;
    const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
    if (local.length > 64 || !local.split('.').every((a) => atom.test(a))) return false;
    const labels = domain.split('.');
    const top = labels.pop()!;
    return (
      labels.length >= 1 &&
      labels.every((l) => /^[A-Za-z0-9-]{1,63}$/.test(l) && !/^-|-$/.test(l)) &&
      /^[A-Za-z]{2,63}$/.test(top)
    );
  }

  it('accepts exactly what the documented rule describes', () => {
    fc.assert(
      fc.property(emailCandidate, (value) => {
        const verdict = checkEmailAddress(value);
        expect(verdict.ok).toBe(documentedRule(value));
        // The pattern decides for the JSON Schemas too: the same answer.
        expect(EMAIL_ADDRESS.test(value)).toBe(verdict.ok);
      }),
      RUNS,
    );
  });
});

const MAILBOX_REFUSALS: readonly (readonly [string, string])[] = [
  ['it@example.com\r\nBcc: x@evil.example', 'it contains a line break'],
  ['IT\n<it@example.com>', 'it contains a line break'],
  [
    'Équipe IT <it@example.com>',
    'it contains a character that is not plain printable ASCII (a tab, an accent, an invisible character)',
  ],
  [
    'IT\t<it@example.com>',
    'it contains a character that is not plain printable ASCII (a tab, an accent, an invisible character)',
  ],
  [
    '\u00a0it@example.com',
    'it contains a character that is not plain printable ASCII (a tab, an accent, an invisible character)',
  ],
  [
    'IT <it@example.com>, other@example.com',
    'it has a < or > that does not enclose one address at its end',
  ],
  ['IT <it@example.com', 'it has a < or > that does not enclose one address at its end'],
  ['<<it@example.com>>', 'it has a < or > that does not enclose one address at its end'],
  ['', 'it is empty'],
  ['IT <>', 'the address between < and >: it is empty'],
  ['IT <not an address>', 'the address between < and >: it has no @'],
  [
    'IT < it@example.com >',
    'the address between < and >: it contains a space, a tab or a line break',
  ],
  [
    'IT <a..b@example.com>',
    'the address between < and >: the part before the @ has two dots in a row',
  ],
  ['a..b@example.com', 'the part before the @ has two dots in a row'],
  ['"Example IT <it@example.com>', 'the display name opens a double quote it does not close'],
  ['"" <it@example.com>', 'a display name in double quotes may not be empty nor contain " or \\'],
  [
    '"IT \\"Ops\\"" <it@example.com>',
    'a display name in double quotes may not be empty nor contain " or \\',
  ],
  [
    'Example, Inc. <it@example.com>',
    "the display name has a character that needs double quotes (anything but letters, digits, spaces and ! # $ % & ' * + - / = ? ^ _ ` { | } ~), as in '\"Example, Inc.\" <it@example.com>'",
  ],
];
const MAILBOX_REASONS = MAILBOX_REFUSALS.map(([, reason]) => reason);

describe('checkMailbox', () => {
  it.each([
    ['it@example.com', { address: 'it@example.com' }],
    ['  it@example.com ', { address: 'it@example.com' }],
    ['<it@example.com>', { address: 'it@example.com' }],
    ['Example IT <it@example.com>', { address: 'it@example.com', displayName: 'Example IT' }],
    ['Example IT<it@example.com>', { address: 'it@example.com', displayName: 'Example IT' }],
    [
      '"Example, Inc. IT" <it@example.com>',
      { address: 'it@example.com', displayName: 'Example, Inc. IT' },
    ],
    ["O'Neil & Co <it@example.com>", { address: 'it@example.com', displayName: "O'Neil & Co" }],
  ])('accepts %j', (value, parts) => {
    expect(checkMailbox(value)).toEqual({ ok: true, ...parts });
  });

  it.each(MAILBOX_REFUSALS)('refuses %j: %s', (value, reason) => {
    expect(checkMailbox(value)).toEqual({ ok: false, reason });
  });

  it('accepts a sender only when its address passes checkEmailAddress, and gives back that address; refuses with a fixed reason', () => {
    fc.assert(
      fc.property(senderCandidate, (value) => {
        const verdict = checkMailbox(value);
        if (!verdict.ok) {
          const reason = verdict.reason.replace(/^the address between < and >: /, '');
          expect([...EMAIL_REASONS, ...MAILBOX_REASONS]).toContain(reason);
          return;
        }
        expect(checkEmailAddress(verdict.address)).toEqual({ ok: true });
        expect(value).toContain(`${verdict.address}`);
        // Nothing that could start another header line.
        expect(verdict.displayName ?? '').toMatch(/^[\x20-\x7e]*$/);
      }),
      RUNS,
    );
  });
});

describe('checkAccountAlias', () => {
  it.each(['abc', 'my-corp', 'a-b-c', '123', '1a2', 'x'.repeat(63)])('accepts %j', (value) => {
    expect(checkAccountAlias(value)).toEqual({ ok: true });
  });

  it.each([
    ['my--corp', 'it has two hyphens in a row'],
    ['-corp', 'it starts or ends with a hyphen'],
    ['corp-', 'it starts or ends with a hyphen'],
    ['ab', 'it is shorter than 3 characters'],
    ['', 'it is shorter than 3 characters'],
    ['x'.repeat(64), 'it is longer than 63 characters'],
    ['My-Corp', 'it has upper-case letters (aliases are lower case)'],
    ['my_corp', 'it may contain only lower-case letters, digits and hyphens'],
    ['my corp', 'it may contain only lower-case letters, digits and hyphens'],
    ['my.corp', 'it may contain only lower-case letters, digits and hyphens'],
    ['mycörp', 'it may contain only lower-case letters, digits and hyphens'],
  ])('refuses %j: %s', (value, reason) => {
    expect(checkAccountAlias(value)).toEqual({ ok: false, reason });
  });

  /** IAM's rule as the API reference words it, restated as plain code. */
  function documentedRule(value: string): boolean {
    return (
      value.length >= 3 &&
      value.length <= 63 &&
      /^[a-z0-9-]+$/.test(value) &&
      !value.startsWith('-') &&
      !value.endsWith('-') &&
      !value.includes('--')
    );
  }

  it("accepts exactly IAM's rule, with a specific reason for every refusal", () => {
    fc.assert(
      fc.property(aliasCandidate, (value) => {
        const verdict = checkAccountAlias(value);
        expect(verdict.ok).toBe(documentedRule(value));
        expect(ACCOUNT_ALIAS.test(value)).toBe(verdict.ok);
        if (!verdict.ok) expect(verdict.reason).not.toBe('it is not an IAM account alias');
      }),
      RUNS,
    );
  });
});

describe('checkAccountId', () => {
  it('accepts 12 digits, leading zeros included', () => {
    expect(checkAccountId('123456789012')).toEqual({ ok: true });
    expect(checkAccountId('000000000001')).toEqual({ ok: true });
  });

  it.each([
    ['12345678901', 'it has 11 digits, not 12'],
    ['1234567890123', 'it has 13 digits, not 12'],
    ['', 'it has 0 digits, not 12'],
    ['12345678901a', 'it has characters other than the digits 0-9'],
    [' 123456789012', 'it has characters other than the digits 0-9'],
    ['١٢٣٤٥٦٧٨٩٠١٢', 'it has characters other than the digits 0-9'],
  ])('refuses %j: %s', (value, reason) => {
    expect(checkAccountId(value)).toEqual({ ok: false, reason });
  });
});

describe('managed users', () => {
  it('is the path the stack creates users under, exactly', () => {
    expect(checkManagedPath('/iam-onboarding/')).toEqual({ ok: true });
    for (const path of ['/', '/iam-onboarding', '/iam-onboarding/x/', '/IAM-ONBOARDING/']) {
      expect(checkManagedPath(path)).toEqual({
        ok: false,
        reason: 'the path is not /iam-onboarding/',
      });
    }
  });

  it('is the managed-by tag with this project as its value', () => {
    expect(checkManagedByTag('iam-onboarding')).toEqual({ ok: true });
    expect(checkManagedByTag(undefined)).toEqual({
      ok: false,
      reason: 'there is no managed-by tag',
    });
    for (const value of ['', 'terraform', 'IAM-Onboarding', 'iam-onboarding ']) {
      expect(checkManagedByTag(value)).toEqual({
        ok: false,
        reason: 'tag managed-by is not iam-onboarding',
      });
    }
  });
});

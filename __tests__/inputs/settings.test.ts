/** The settings file: valid examples load; each mistake is reported precisely, all at once. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError, type Problem } from '../../inputs/errors';
import {
  isSameOrSubdomain,
  loadSettings,
  mailFromDomain,
  parseSenderAddress,
  senderEmail,
  settingsJsonSchema,
} from '../../inputs/settings';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'settings-'));
let n = 0;

/** Writes `text` (or an object, pretty-printed) to a file and returns its path. */
function file(content: unknown): string {
  const path = join(dir, `settings-${n++}.json`);
  writeFileSync(
    path,
    typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n',
  );
  return path;
}

function problemsOf(path: string): Problem[] {
  try {
    loadSettings(path);
  } catch (e) {
    if (e instanceof InputFileError) return [...e.problems];
    throw e;
  }
  throw new Error('expected an InputFileError');
}

const valid = () => ({
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it@example.com',
});

describe('shipped examples', () => {
  test('config/settings.json: trail created, no hosted zone', () => {
    const s = loadSettings(join(ROOT, 'config', 'settings.json'));
    expect(s).toMatchObject({
      accountId: '123456789012',
      trail: { create: true },
      logRetentionDays: 90,
    });
    expect(s.hostedZoneId).toBeUndefined();
    expect(mailFromDomain(s)).toBe('mail.example.com');
    expect(senderEmail(s)).toBe('onboarding@example.com');
  });

  test('config/examples/existing-trail-with-zone.json: existing trail, hosted zone', () => {
    const s = loadSettings(join(ROOT, 'config', 'examples', 'existing-trail-with-zone.json'));
    expect(s).toMatchObject({ trail: { create: false }, hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(mailFromDomain(s)).toBe('bounce.example.org');
    expect(senderEmail(s)).toBe('welcome@it.example.org');
  });

  test('defaults apply to a minimal file', () => {
    const s = loadSettings(file(valid()));
    expect(s.logRetentionDays).toBe(90);
    expect(s.sender.mailFromSubdomain).toBe('mail');
    // Paced by the queue, reserving nothing: deploys on a new account (quota 10).
    expect(s.delivery).toEqual({
      maximumConcurrency: 2,
      reconcileSchedule: 'rate(1 hour)',
      channel: 'email',
    });
  });
});

describe('bad settings', () => {
  test('a missing file', () => {
    expect(problemsOf(join(dir, 'nope.json'))).toEqual([
      { path: '$', message: 'cannot read the file: file not found' },
    ]);
  });

  test('a syntax error, with its position', () => {
    expect(problemsOf(file('{\n  "accountId": "123456789012",\n}\n'))).toEqual([
      expect.objectContaining({
        path: '$',
        line: 2,
        column: 30,
        message: expect.stringMatching(/^JSON syntax error: trailing comma/),
      }),
    ]);
  });

  test('every problem at once, each with path, line and a message saying what is wrong', () => {
    const text = JSON.stringify(
      {
        accountId: 123456789012,
        organisationName: '',
        sender: {
          address: 'onboarding at example.com',
          domain: 'Example.com',
          mailFromSubdomain: '-x',
        },
        trail: { create: 'yes', nmae: 'x' },
        hostedZoneId: '/hostedzone/Z123',
        alerts: { emails: [] },
        accountAlias: 'Bad_Alias',
        logRetentionDays: 10,
        extra: true,
      },
      null,
      2,
    );
    const problems = problemsOf(file(text));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        '$.accountId',
        '$.organisationName',
        '$.sender.address',
        '$.sender.domain',
        '$.sender.mailFromSubdomain',
        '$.trail.create',
        '$.trail.nmae',
        '$.hostedZoneId',
        '$.alerts.emails',
        '$.accountAlias',
        '$.helpContact',
        '$.logRetentionDays',
        '$.extra',
      ].sort(),
    );
    expect(byPath['$.accountId'].message).toMatch(
      /must be the 12-digit AWS account id, as a string/,
    );
    expect(byPath['$.accountId'].line).toBe(2);
    expect(byPath['$.organisationName'].message).toMatch(/must not be empty/);
    expect(byPath['$.sender.domain'].message).toMatch(/lower-case domain name/);
    expect(byPath['$.trail.create'].message).toBe('must be true or false; found "yes"');
    expect(byPath['$.trail.nmae'].message).toMatch(/unknown field "nmae"/);
    expect(byPath['$.hostedZoneId'].message).toMatch(/without "\/hostedzone\/"/);
    expect(byPath['$.alerts.emails'].message).toMatch(/at least one address/);
    expect(byPath['$.helpContact'].message).toMatch(/^is required/);
    expect(byPath['$.helpContact'].line).toBe(1); // missing: points at the enclosing object
    expect(byPath['$.logRetentionDays'].message).toMatch(/one of .*1, 3, 5, 7, 14, 30/);
    expect(byPath['$.extra'].message).toMatch(/unknown field "extra"/);
    // Sorted by position in the file.
    const lines = problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  // The welcome function refuses these at run time with the same rule
  // (shared/rules.ts); the settings used to accept them, so every welcome
  // after a clean deploy would have failed.
  test.each([
    [
      'accountAlias',
      'my--corp',
      'must be an IAM account alias (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit): it has two hyphens in a row; found "my--corp"',
    ],
    [
      'accountAlias',
      '-corp',
      'must be an IAM account alias (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit): it starts or ends with a hyphen; found "-corp"',
    ],
    [
      'accountAlias',
      'My-Corp',
      'must be an IAM account alias (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit): it has upper-case letters (aliases are lower case); found "My-Corp"; did you mean "my-corp"?',
    ],
    [
      'accountId',
      '12345678901',
      'must be exactly 12 digits, written as a string (keep leading zeros): it has 11 digits, not 12; found "12345678901"',
    ],
  ])('$.%s %j is refused with the reason', (field, value, message) => {
    expect(problemsOf(file({ ...valid(), [field]: value }))).toEqual([
      expect.objectContaining({ path: `$.${field}`, message }),
    ]);
  });

  test.each([
    [
      'IT <a..b@example.com>',
      'the address between < and >: the part before the @ has two dots in a row',
    ],
    ['Example, Inc. <it@example.com>', 'the display name has a character that needs double quotes'],
    ['Équipe IT <it@example.com>', 'it contains a character that is not plain printable ASCII'],
    ['it@example.com\nBcc: x@example.com', 'it contains a line break'],
    ['IT <it@example.com>, ops@example.com', 'it has a < or > that does not enclose one address'],
  ])('$.sender.address %j is refused with the reason', (address, reason) => {
    const s = valid();
    s.sender.address = address;
    const [problem, ...others] = problemsOf(file(s));
    expect(others).toEqual([]);
    expect(problem.path).toBe('$.sender.address');
    expect(problem.message).toContain(
      `must be "Display Name <local@domain>" or "local@domain" in plain ASCII: ${reason}`,
    );
  });

  test('cross-field: the From address must be in the sender domain', () => {
    const s = valid();
    s.sender.address = 'IT <it@example.net>';
    expect(problemsOf(file(s))).toEqual([
      expect.objectContaining({
        path: '$.sender.address',
        message: expect.stringMatching(
          /"example.net" must be the sender domain "example.com" or a subdomain/,
        ),
      }),
    ]);
  });

  test('cross-field checks are reported together with schema problems', () => {
    const s = { ...valid(), accountId: 'x' };
    s.sender = { ...s.sender, address: 'it@evil.com' };
    const paths = problemsOf(file(s)).map((p) => p.path);
    expect(paths).toEqual(['$.accountId', '$.sender.address']);
  });

  test('cross-field: MAIL FROM must not be the From address domain', () => {
    const s = {
      ...valid(),
      sender: { address: 'a@mail.example.com', domain: 'example.com', mailFromSubdomain: 'mail' },
    };
    expect(problemsOf(file(s))).toEqual([
      expect.objectContaining({
        path: '$.sender.mailFromSubdomain',
        message: expect.stringMatching(/must differ/),
      }),
    ]);
  });

  test('cross-field: a trail name without create: true', () => {
    const s = { ...valid(), trail: { create: false, name: 'mine' } };
    expect(problemsOf(file(s))).toEqual([
      expect.objectContaining({
        path: '$.trail.name',
        message: expect.stringMatching(/only when "create" is true/),
      }),
    ]);
  });

  test('delivery: concurrency out of range, or a reservation below the cap', () => {
    const bad = { ...valid(), delivery: { maximumConcurrency: 1, reservedConcurrency: 2.5 } };
    expect(problemsOf(file(bad)).map((p) => [p.path, p.message])).toEqual([
      [
        '$.delivery.maximumConcurrency',
        'must be at least 2 (the least an SQS event source mapping accepts); found 1',
      ],
      ['$.delivery.reservedConcurrency', 'must be a whole number from 2 to 1000; found 2.5'],
    ]);
    const below = { ...valid(), delivery: { maximumConcurrency: 10, reservedConcurrency: 5 } };
    expect(problemsOf(file(below))).toEqual([
      expect.objectContaining({
        path: '$.delivery.reservedConcurrency',
        message: expect.stringMatching(/below maximumConcurrency 10: Lambda would throttle/),
      }),
    ]);
    const hourly = { ...valid(), delivery: { reconcileSchedule: 'every hour' } };
    expect(problemsOf(file(hourly)).map((p) => [p.path, p.message])).toEqual([
      [
        '$.delivery.reconcileSchedule',
        'must be an EventBridge schedule expression such as "rate(1 hour)", "rate(30 minutes)" or "cron(0 3 * * ? *)": it is neither "rate(...)" nor "cron(...)"; found "every hour"',
      ],
    ]);
    const typo = { ...valid(), delivery: { maxConcurrency: 3 } };
    expect(problemsOf(file(typo)).map((p) => p.path)).toEqual(['$.delivery.maxConcurrency']);
  });

  test('duplicate alert addresses, and malformed ones, each by index', () => {
    const s = { ...valid(), alerts: { emails: ['a@example.com', 'nope', 'A@example.com'] } };
    const problems = problemsOf(file(s));
    expect(problems.map((p) => p.path)).toEqual(['$.alerts.emails', '$.alerts.emails[1]']);
  });

  test('each message quotes the value and, where a simple fix works, suggests it', () => {
    const s = {
      ...valid(),
      accountId: 123456789012,
      sender: { address: 'Example IT <onboarding@example.com>', domain: 'Example.com.' },
      trail: { create: 'true', nmae: 'x' },
      alerts: { emails: ['ops@example.com\u00a0', 'not an address'] },
      delivery: { maxConcurrency: 3 },
      logRetentionDays: 10,
    };
    expect(problemsOf(file(s)).map((p) => `${p.path}: ${p.message}`)).toEqual([
      '$.accountId: must be the 12-digit AWS account id, as a string; found 123456789012; did you mean "123456789012"?',
      '$.sender.domain: must be a lower-case domain name such as "example.com" (no scheme, no trailing dot); found "Example.com."; did you mean "example.com"?',
      '$.trail.create: must be true or false; found "true"; did you mean true?',
      '$.trail.nmae: unknown field "nmae" (check the spelling; unknown fields are not allowed); did you mean "name"?',
      '$.alerts.emails[0]: must be a plain email address such as "it-ops@example.com": it contains a space, a tab or a line break; found "ops@example.com\\u00a0"; did you mean "ops@example.com"?',
      '$.alerts.emails[1]: must be a plain email address such as "it-ops@example.com": it has no @; found "not an address"',
      '$.delivery.maxConcurrency: unknown field "maxConcurrency" (check the spelling; unknown fields are not allowed); did you mean "maximumConcurrency"?',
      '$.logRetentionDays: must be one of the periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; found 10',
    ]);
  });

  test('the top level must be an object', () => {
    expect(problemsOf(file('[]'))).toEqual([
      expect.objectContaining({ path: '$', message: 'must be a JSON object; found []' }),
    ]);
  });
});

describe('sender address', () => {
  test.each([
    ['onboarding@example.com', undefined, 'onboarding@example.com'],
    ['Example IT <onboarding@example.com>', 'Example IT', 'onboarding@example.com'],
    ['"Example, Inc. IT" <it@sub.example.com>', 'Example, Inc. IT', 'it@sub.example.com'],
  ])('%s parses', (value, displayName, email) => {
    expect(parseSenderAddress(value)).toMatchObject({ displayName, email });
  });

  test.each([
    ['Example, Inc. <a@example.com>'],
    ['a@b'],
    ['<a@example.com'],
    ['Ünïcode <a@example.com>'],
    ['a b@example.com'],
  ])('%s is refused', (value) => expect(parseSenderAddress(value)).toBeUndefined());

  // Senders the function refused at run time while the settings accepted
  // them; the property test (__tests__/shared) checks the two agree in general.
  test.each([['IT <a..b@example.com>'], ['.a@example.com'], ['a@example.c'], ['IT <a@b-.com>']])(
    '%s is refused',
    (value) => expect(parseSenderAddress(value)).toBeUndefined(),
  );

  test('subdomain relation', () => {
    expect(isSameOrSubdomain('example.com', 'example.com')).toBe(true);
    expect(isSameOrSubdomain('it.example.com', 'example.com')).toBe(true);
    expect(isSameOrSubdomain('badexample.com', 'example.com')).toBe(false);
  });
});

describe('JSON schema', () => {
  const schema = settingsJsonSchema() as {
    properties: Record<string, { description?: string }>;
    required: string[];
    additionalProperties: boolean;
  };

  test('rejects unknown fields and requires what the program requires', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(
      ['accountId', 'alerts', 'helpContact', 'organisationName', 'sender', 'trail'].sort(),
    );
  });

  test('documents every field', () => {
    for (const [key, prop] of Object.entries(schema.properties)) {
      expect([key, typeof prop.description]).toEqual([key, 'string']);
    }
  });
});

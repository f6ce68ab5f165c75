/** Settings `expiry`: on by default at 7 days; every mistake named with its path and value. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError, type Problem } from '../../inputs/errors';
import { loadSettings, settingsJsonSchema } from '../../inputs/settings';

const dir = mkdtempSync(join(tmpdir(), 'expiry-settings-'));
let n = 0;

function file(content: unknown): string {
  const path = join(dir, `settings-${n++}.json`);
  writeFileSync(path, JSON.stringify(content, null, 2) + '\n');
  return path;
}

const valid = (expiry?: unknown) => ({
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it@example.com',
  ...(expiry === undefined ? {} : { expiry }),
});

function problemsOf(content: unknown): [string, string][] {
  try {
    loadSettings(file(content));
  } catch (e) {
    if (e instanceof InputFileError) return e.problems.map((p: Problem) => [p.path, p.message]);
    throw e;
  }
  throw new Error('expected an InputFileError');
}

test('absent: on, 7 days, daily', () => {
  expect(loadSettings(file(valid())).expiry).toEqual({
    enabled: true,
    unusedPasswordDays: 7,
    schedule: 'rate(1 day)',
  });
});

test('each field may be set alone; the others keep their defaults', () => {
  expect(loadSettings(file(valid({ enabled: false }))).expiry).toEqual({
    enabled: false,
    unusedPasswordDays: 7,
    schedule: 'rate(1 day)',
  });
  expect(loadSettings(file(valid({ unusedPasswordDays: 45 }))).expiry.unusedPasswordDays).toBe(45);
  expect(loadSettings(file(valid({ unusedPasswordDays: 1 }))).expiry.unusedPasswordDays).toBe(1);
  expect(loadSettings(file(valid({ schedule: 'cron(0 6 * * ? *)' }))).expiry.schedule).toBe(
    'cron(0 6 * * ? *)',
  );
  expect(loadSettings(file(valid({ schedule: 'rate(12 hours)' }))).expiry.schedule).toBe(
    'rate(12 hours)',
  );
});

test('days out of range, fractional or quoted: each named, with the bound and why', () => {
  expect(problemsOf(valid({ unusedPasswordDays: 0 }))).toEqual([
    [
      '$.expiry.unusedPasswordDays',
      'must be at least 1 day: a shorter limit races the welcome email itself; found 0',
    ],
  ]);
  expect(problemsOf(valid({ unusedPasswordDays: 46 }))).toEqual([
    [
      '$.expiry.unusedPasswordDays',
      'must be at most 45: CIS 1.12 and Security Hub IAM.22 already flag console passwords unused for 45 days; found 46',
    ],
  ]);
  expect(problemsOf(valid({ unusedPasswordDays: 7.5 }))).toEqual([
    ['$.expiry.unusedPasswordDays', 'must be a whole number of days from 1 to 45; found 7.5'],
  ]);
  expect(problemsOf(valid({ unusedPasswordDays: '7' }))).toEqual([
    [
      '$.expiry.unusedPasswordDays',
      'must be a whole number of days from 1 to 45; found "7"; did you mean 7?',
    ],
  ]);
});

test('a schedule EventBridge would refuse, a wrong type, an unknown key: all reported at once', () => {
  const all = problemsOf(valid({ schedule: 'daily', enabled: 'yes', unusedPaswordDays: 7 }));
  expect(all.map((p) => p[0])).toEqual([
    '$.expiry.schedule',
    '$.expiry.enabled',
    '$.expiry.unusedPaswordDays',
  ]);
  expect(all[2][1]).toMatch(/unusedPasswordDays/);
  expect(problemsOf(valid({ schedule: 'daily' }))).toEqual([
    [
      '$.expiry.schedule',
      'must be an EventBridge schedule expression such as "rate(1 day)", "rate(30 minutes)" or "cron(0 3 * * ? *)": it is neither "rate(...)" nor "cron(...)"; found "daily"',
    ],
  ]);
  for (const [schedule, fixed] of [
    ['rate(1 days)', 'rate(1 day)'],
    ['rate(2 day)', 'rate(2 days)'],
  ]) {
    expect(problemsOf(valid({ schedule }))).toEqual([
      [
        '$.expiry.schedule',
        `must be an EventBridge schedule expression such as "rate(1 day)", "rate(30 minutes)" or "cron(0 3 * * ? *)": EventBridge wants a singular unit for 1 and a plural one otherwise ("rate(1 day)", "rate(2 days)"); found "${schedule}"; did you mean "${fixed}"?`,
      ],
    ]);
  }
  expect(problemsOf(valid({ schedule: 'rate(0 days)' }))[0][0]).toBe('$.expiry.schedule');
  expect(problemsOf(valid('weekly'))).toEqual([
    ['$.expiry', 'must be an object such as {"unusedPasswordDays": 7}; found "weekly"'],
  ]);
});

test('the JSON schema carries the bounds and defaults for editors', () => {
  const schema = settingsJsonSchema() as {
    properties: { expiry: { properties: Record<string, Record<string, unknown>> } };
  };
  expect(schema.properties.expiry.properties.unusedPasswordDays).toMatchObject({
    type: 'integer',
    minimum: 1,
    maximum: 45,
    default: 7,
  });
  expect(schema.properties.expiry.properties.enabled).toMatchObject({ default: true });
});

/** The expiry decision, pure: which login profiles are temporary passwords nobody used in time. */
import {
  DAY_MS,
  decideExpiry,
  type ExpiryFacts,
  judgeProfile,
  mayHaveExpiredProfile,
  readUnusedPasswordDays,
} from '../../../../handlers/welcome/core/expiry';
import { FunctionEnvironmentError } from '../../../../handlers/welcome/core/config';
import { readRecord } from '../../../../handlers/welcome/core/request';
import { EXPIRE_REQUEST, expireRequest } from '../../../../shared/contract';
import { sqsRecord } from '../../../support/welcome-events';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * DAY_MS);
const managedTags = [
  { Key: 'managed-by', Value: 'iam-onboarding' },
  { Key: 'email', Value: 'ann@example.com' },
  { Key: 'iam-onboarding:welcomed', Value: '2026-03-01T12:00:00Z' },
];
const facts = (extra: Partial<ExpiryFacts> = {}): ExpiryFacts => ({
  path: '/iam-onboarding/',
  tags: managedTags,
  profile: { createdAt: daysAgo(9) },
  nowMs: NOW,
  unusedPasswordDays: 7,
  ...extra,
});

test('a welcomed user whose password is older than the limit and never used: expire', () => {
  expect(decideExpiry(facts())).toEqual({ kind: 'expire', ageDays: 9 });
});

test('exactly at the limit expires; a minute younger does not', () => {
  expect(decideExpiry(facts({ profile: { createdAt: daysAgo(7) } })).kind).toBe('expire');
  const younger = new Date(NOW - 7 * DAY_MS + 60_000);
  expect(decideExpiry(facts({ profile: { createdAt: younger } }))).toMatchObject({
    kind: 'keep',
    reason: 'young',
  });
});

test('signed in with this password: keep, however old', () => {
  expect(decideExpiry(facts({ passwordLastUsed: daysAgo(8) }))).toMatchObject({
    kind: 'keep',
    reason: 'used',
  });
  // Signed in the very moment the profile was made: it was used.
  expect(decideExpiry(facts({ passwordLastUsed: daysAgo(9) })).kind).toBe('keep');
});

test('signed in only before this profile was created (a resend since): the new password is unused', () => {
  // IAM keeps PasswordLastUsed across profiles: the last use of any password.
  expect(decideExpiry(facts({ passwordLastUsed: daysAgo(30) }))).toEqual({
    kind: 'expire',
    ageDays: 9,
  });
});

test('no profile (already expired, or never given): nothing to do', () => {
  expect(decideExpiry(facts({ profile: undefined }))).toMatchObject({ reason: 'no-profile' });
});

test('a profile without a creation date is never taken as old', () => {
  expect(decideExpiry(facts({ profile: {} }))).toMatchObject({ kind: 'keep', reason: 'young' });
});

test('not managed: another path, no managed-by tag, another value', () => {
  expect(decideExpiry(facts({ path: '/other/' }))).toMatchObject({ reason: 'not-managed' });
  expect(decideExpiry(facts({ path: '/iam-onboarding/sub/' }))).toMatchObject({
    reason: 'not-managed',
  });
  expect(decideExpiry(facts({ tags: managedTags.slice(1) }))).toMatchObject({
    reason: 'not-managed',
  });
  const foreign = [{ Key: 'managed-by', Value: 'someone-else' }, ...managedTags.slice(1)];
  expect(decideExpiry(facts({ tags: foreign }))).toMatchObject({ reason: 'not-managed' });
});

test('no welcomed tag: the welcome flow owns the profile (no email went out)', () => {
  expect(decideExpiry(facts({ tags: managedTags.slice(0, 2) }))).toMatchObject({
    kind: 'keep',
    reason: 'not-welcomed',
  });
});

test('judgeProfile alone decides from the profile and the listing, before any tag is read', () => {
  expect(judgeProfile(facts())).toEqual({ kind: 'expire', ageDays: 9 });
  expect(judgeProfile(facts({ profile: { createdAt: daysAgo(2) } }))).toMatchObject({
    reason: 'young',
  });
});

test('a user younger than the limit cannot have an old profile; one without a date might', () => {
  expect(mayHaveExpiredProfile(daysAgo(3), NOW, 7)).toBe(false);
  expect(mayHaveExpiredProfile(daysAgo(7), NOW, 7)).toBe(true);
  expect(mayHaveExpiredProfile(undefined, NOW, 7)).toBe(true);
});

describe('UNUSED_PASSWORD_DAYS', () => {
  test('unset or empty: expiry off', () => {
    expect(readUnusedPasswordDays({})).toBeUndefined();
    expect(readUnusedPasswordDays({ UNUSED_PASSWORD_DAYS: ' ' })).toBeUndefined();
  });

  test('a whole number within the bounds', () => {
    expect(readUnusedPasswordDays({ UNUSED_PASSWORD_DAYS: '7' })).toBe(7);
    expect(readUnusedPasswordDays({ UNUSED_PASSWORD_DAYS: '45' })).toBe(45);
  });

  test.each(['0', '46', '7.5', '-3', 'seven', '1e1'])('%s is refused, naming the variable', (v) => {
    expect(() => readUnusedPasswordDays({ UNUSED_PASSWORD_DAYS: v })).toThrow(
      FunctionEnvironmentError,
    );
    expect(() => readUnusedPasswordDays({ UNUSED_PASSWORD_DAYS: v })).toThrow(
      'UNUSED_PASSWORD_DAYS must be a whole number of days from 1 to 45',
    );
  });
});

describe('the expire request in the queue (core/request.ts)', () => {
  const parsed = (body: string) => {
    const { request, keys } = readRecord(sqsRecord(body, { messageId: 'm' }));
    return { ...request, keys };
  };

  test('the schedule’s fixed body, and a continuation naming where to resume', () => {
    const keys = { eventId: 'expire-request' };
    expect(parsed(JSON.stringify(EXPIRE_REQUEST))).toStrictEqual({ kind: 'expire', keys });
    expect(parsed(JSON.stringify(expireRequest('ann')))).toEqual({
      kind: 'expire',
      startAfter: 'ann',
      keys,
    });
  });

  test('a continuation naming no valid user is unreadable (kept for the dead-letter queue), not a run from the start', () => {
    for (const startAfter of ['', 'x'.repeat(65), 42]) {
      expect(parsed(JSON.stringify({ 'iam-onboarding': 'expire', startAfter }))).toMatchObject({
        kind: 'unreadable',
        reason: 'malformed-request',
      });
    }
  });
});

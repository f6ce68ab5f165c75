import {
  GRACE_PERIOD_MS,
  IN_FLIGHT_WINDOW_MS,
  judgeExistingProfile,
  withinGrace,
} from '../../../../handlers/welcome/core/consistency';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const MINUTE = 60_000;

describe('grace period', () => {
  it('covers the redeliveries of a ~6-minute visibility timeout, not the 4th receive', () => {
    expect(withinGrace(NOW, NOW)).toBe(true);
    expect(withinGrace(NOW - 6 * MINUTE, NOW)).toBe(true);
    expect(withinGrace(NOW - 12 * MINUTE, NOW)).toBe(true);
    expect(withinGrace(NOW - 18 * MINUTE, NOW)).toBe(false);
    expect(withinGrace(NOW - GRACE_PERIOD_MS, NOW)).toBe(false);
    expect(withinGrace(NOW - GRACE_PERIOD_MS + 1, NOW)).toBe(true);
  });

  it('treats an event without a usable time as old (IAM answers are final)', () => {
    expect(withinGrace(undefined, NOW)).toBe(false);
  });

  it('the in-flight window ends before the next receive, so a redelivery sees an old profile', () => {
    // The in-flight window must end before the next receive (visibility ~6 min).
    expect(IN_FLIGHT_WINDOW_MS).toBeLessThan(6 * MINUTE);
    expect(IN_FLIGHT_WINDOW_MS).toBeGreaterThan(60_000);
  });
});

describe('judgeExistingProfile', () => {
  const created = (ageMs: number) => ({ profileCreatedMs: NOW - ageMs, nowMs: NOW });

  it('the welcomed tag wins over everything', () => {
    expect(judgeExistingProfile({ welcomedAt: '2025-01-01T11:00:00.000Z', ...created(0) })).toEqual(
      { kind: 'welcomed' },
    );
  });

  it('a person who has signed in was welcomed, however young the profile', () => {
    expect(judgeExistingProfile({ passwordLastUsed: new Date(NOW), ...created(1_000) })).toEqual({
      kind: 'signed-in',
    });
  });

  it('young and unused: in flight; old and unused: orphaned', () => {
    expect(judgeExistingProfile(created(30_000))).toEqual({ kind: 'in-flight', ageMs: 30_000 });
    expect(judgeExistingProfile(created(IN_FLIGHT_WINDOW_MS - 1)).kind).toBe('in-flight');
    expect(judgeExistingProfile(created(IN_FLIGHT_WINDOW_MS))).toEqual({
      kind: 'orphaned',
      ageMs: IN_FLIGHT_WINDOW_MS,
    });
  });

  it('without a creation date it waits rather than replace a profile', () => {
    expect(judgeExistingProfile({ nowMs: NOW }).kind).toBe('in-flight');
  });
});

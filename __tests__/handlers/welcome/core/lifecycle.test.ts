/** The function's suspend / reinstate / end-date decision, from IAM's tags alone. */
import {
  accessUntilOf,
  dayOf,
  decideLifecycle,
  suspensionApplied,
} from '../../../../handlers/welcome/core/lifecycle';

const tags = (t: Record<string, string>) =>
  Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-02T10:00:00Z');

describe('decideLifecycle', () => {
  it('suspends a person the roster suspends, once', () => {
    expect(decideLifecycle(tags({ suspended: 'true' }), NOW)).toEqual({
      kind: 'suspend',
      because: 'suspended',
    });
    const done = tags({ suspended: 'true', 'iam-onboarding:suspended-at': '2026-12-02T09:00:00Z' });
    expect(decideLifecycle(done, NOW)).toEqual({
      kind: 'none',
      detail: 'already suspended: sign-in and keys are off',
    });
  });

  it('only the tag value "true" suspends', () => {
    expect(decideLifecycle(tags({ suspended: 'false' }), NOW).kind).toBe('none');
    expect(decideLifecycle(tags({ Suspended: 'true' }), NOW).kind).toBe('none');
  });

  it('keeps access through the last day (UTC) and suspends from the next', () => {
    const t = tags({ 'access-until': '2026-12-02' });
    expect(decideLifecycle(t, at('2026-12-02T23:59:59Z')).kind).not.toBe('suspend');
    expect(decideLifecycle(t, at('2026-12-03T00:00:00Z'))).toEqual({
      kind: 'suspend',
      because: 'access-ended',
      until: '2026-12-02',
    });
  });

  it('an end date passed and the roster field both: the end date is the reason', () => {
    expect(
      decideLifecycle(tags({ suspended: 'true', 'access-until': '2026-11-30' }), NOW),
    ).toMatchObject({ because: 'access-ended', until: '2026-11-30' });
  });

  it('reinstates once the suspension it applied is lifted, and only then', () => {
    const lifted = tags({ 'iam-onboarding:suspended-at': '2026-11-01T00:00:00Z' });
    expect(decideLifecycle(lifted, NOW)).toEqual({ kind: 'reinstate' });
    const served = tags({
      'iam-onboarding:suspended-at': '2026-11-01T00:00:00Z',
      'iam-onboarding:reinstated-at': '2026-11-02T00:00:00Z',
    });
    expect(decideLifecycle(served, NOW).kind).toBe('none');
    // Suspended again after a reinstatement: applied anew.
    const again = tags({
      suspended: 'true',
      'iam-onboarding:suspended-at': '2026-11-01T00:00:00Z',
      'iam-onboarding:reinstated-at': '2026-11-02T00:00:00Z',
    });
    expect(decideLifecycle(again, NOW)).toEqual({ kind: 'suspend', because: 'suspended' });
  });

  it('an end date moved later after it ended reinstates', () => {
    const t = tags({
      'access-until': '2027-06-30',
      'iam-onboarding:suspended-at': '2026-12-01T00:00:00Z',
    });
    expect(decideLifecycle(t, NOW)).toEqual({ kind: 'reinstate' });
  });

  it('warns from seven days before the last day, once per date', () => {
    expect(decideLifecycle(tags({ 'access-until': '2026-12-10' }), NOW).kind).toBe('none');
    expect(decideLifecycle(tags({ 'access-until': '2026-12-09' }), NOW)).toEqual({
      kind: 'warn-end',
      until: '2026-12-09',
      daysLeft: 7,
    });
    expect(decideLifecycle(tags({ 'access-until': '2026-12-02' }), NOW)).toEqual({
      kind: 'warn-end',
      until: '2026-12-02',
      daysLeft: 0,
    });
    const warned = tags({
      'access-until': '2026-12-09',
      'iam-onboarding:end-warned': '2026-12-09',
    });
    expect(decideLifecycle(warned, NOW).kind).toBe('none');
    // A new date is a new warning.
    const moved = tags({ 'access-until': '2026-12-08', 'iam-onboarding:end-warned': '2026-12-09' });
    expect(decideLifecycle(moved, NOW)).toMatchObject({ kind: 'warn-end', until: '2026-12-08' });
    expect(
      decideLifecycle(tags({ 'access-until': '2026-12-09' }), NOW, { warnings: false }).kind,
    ).toBe('none');
  });

  it('an access-until that is no day is no end date', () => {
    for (const v of ['soon', '2026-13-45', '', '2026-1-1'])
      expect(accessUntilOf(tags({ 'access-until': v }))).toBeUndefined();
    expect(decideLifecycle(tags({ 'access-until': 'yesterday' }), NOW)).toEqual({
      kind: 'none',
      detail: 'no end date',
    });
  });
});

describe('suspensionApplied and dayOf', () => {
  it('compares the two records as instants', () => {
    expect(suspensionApplied(tags({}))).toBe(false);
    expect(
      suspensionApplied(
        tags({
          'iam-onboarding:suspended-at': '2026-12-02T10:00:00.500Z',
          'iam-onboarding:reinstated-at': '2026-12-02T10:00:00Z',
        }),
      ),
    ).toBe(true);
    expect(dayOf(at('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
  });
});

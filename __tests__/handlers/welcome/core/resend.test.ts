/** The resend's pure rules: when a value is due, what a found profile means, parsing its events. */
import { IN_FLIGHT_WINDOW_MS } from '../../../../handlers/welcome/core/consistency';
import { readRecord } from '../../../../handlers/welcome/core/request';
import {
  counterOf,
  judgeResendProfile,
  judgeResendRequest,
  resendToCover,
} from '../../../../handlers/welcome/core/resend';
import {
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  WELCOMED_TAG_KEY,
  resendRequest,
} from '../../../../shared/contract';
import { sqsEvent, tagUserEvent } from '../../../support/welcome-events';

const tag = (Key: string, Value: string) => ({ Key, Value });
const welcomed = tag(WELCOMED_TAG_KEY, '2025-01-01T00:00:00Z');

describe('counterOf', () => {
  it.each([
    ['2', 2],
    ['0', 0],
    ['007', 7],
    ['-1', undefined],
    ['1.5', undefined],
    [' 2', undefined],
    ['2e3', undefined],
    ['', undefined],
    ['9999999999', undefined],
  ])('reads %j as %p', (value, expected) => {
    expect(counterOf([tag(RESEND_TAG_KEY, value)], RESEND_TAG_KEY)).toBe(expected);
  });

  it('is undefined without the tag', () => {
    expect(counterOf([welcomed], RESEND_TAG_KEY)).toBeUndefined();
    expect(resendToCover([welcomed])).toBeUndefined();
    expect(resendToCover([tag(RESEND_TAG_KEY, '0')])).toBeUndefined();
    expect(resendToCover([tag(RESEND_TAG_KEY, '4')])).toBe(4);
  });
});

describe('judgeResendRequest', () => {
  it('is due when the counter is above the value served', () => {
    expect(judgeResendRequest([welcomed, tag(RESEND_TAG_KEY, '2')], false)).toEqual({
      kind: 'due',
      requested: 2,
      served: 0,
    });
    expect(
      judgeResendRequest([welcomed, tag(RESEND_TAG_KEY, '3'), tag(RESENT_TAG_KEY, '2')], false),
    ).toMatchObject({ kind: 'due', requested: 3, served: 2 });
  });

  it('is not due at or below the value served, and says what to raise it to', () => {
    const verdict = judgeResendRequest(
      [welcomed, tag(RESEND_TAG_KEY, '1'), tag(RESENT_TAG_KEY, '2')],
      false,
    );
    expect(verdict).toMatchObject({ kind: 'skip', reason: 'resend-already-served' });
    expect(verdict.kind === 'skip' && verdict.detail).toMatch(/above 2/);
  });

  it('is not due without a readable counter', () => {
    for (const tags of [[welcomed], [welcomed, tag(RESEND_TAG_KEY, 'two')]]) {
      expect(judgeResendRequest(tags, true)).toMatchObject({ reason: 'no-resend-requested' });
    }
  });

  it('waits for the first welcome, unless the person has signed in already', () => {
    expect(judgeResendRequest([tag(RESEND_TAG_KEY, '1')], false)).toMatchObject({
      reason: 'not-welcomed-yet',
    });
    expect(judgeResendRequest([tag(RESEND_TAG_KEY, '1')], true)).toMatchObject({ kind: 'due' });
  });

  it('treats a hand-broken resent tag as nothing served', () => {
    expect(
      judgeResendRequest([welcomed, tag(RESEND_TAG_KEY, '1'), tag(RESENT_TAG_KEY, 'x')], false),
    ).toMatchObject({ kind: 'due', served: 0 });
  });
});

describe('judgeResendProfile', () => {
  const now = Date.parse('2025-01-02T12:00:00Z');
  const requestedAtMs = now - 10 * 60_000;

  it('creates when there is no profile, replaces one from before the request', () => {
    expect(judgeResendProfile({ hasProfile: false, nowMs: now, requestedAtMs })).toEqual({
      kind: 'create',
    });
    expect(
      judgeResendProfile({
        hasProfile: true,
        profileCreatedMs: now - 86_400_000,
        nowMs: now,
        requestedAtMs,
      }),
    ).toEqual({ kind: 'replace' });
  });

  it('leaves a young profile or one made since the request to the run that made it', () => {
    expect(
      judgeResendProfile({ hasProfile: true, profileCreatedMs: now - 1000, nowMs: now }),
    ).toEqual({ kind: 'in-flight', ageMs: 1000 });
    expect(judgeResendProfile({ hasProfile: true, nowMs: now })).toMatchObject({
      kind: 'in-flight',
    });
    // Older than the window but made after the request: an abandoned run's, replaced.
    const made = requestedAtMs + 1000;
    expect(
      judgeResendProfile({ hasProfile: true, profileCreatedMs: made, nowMs: now, requestedAtMs }),
    ).toEqual({ kind: 'orphaned', ageMs: now - made });
    expect(now - made).toBeGreaterThan(IN_FLIGHT_WINDOW_MS);
  });

  it('counts a profile made in the second of the request as made for it', () => {
    const request = Date.parse('2025-01-02T11:00:00.900Z');
    const made = Date.parse('2025-01-02T11:00:00.100Z');
    expect(
      judgeResendProfile({
        hasProfile: true,
        profileCreatedMs: made,
        nowMs: now,
        requestedAtMs: request,
      }),
    ).toMatchObject({ kind: 'orphaned' });
  });

  it('a profile made for the request and used since: served, only the tag is missing', () => {
    const made = requestedAtMs + 1000;
    expect(
      judgeResendProfile({
        hasProfile: true,
        profileCreatedMs: made,
        passwordLastUsedMs: made + 60_000,
        nowMs: now,
        requestedAtMs,
      }),
    ).toEqual({ kind: 'served' });
  });
});

describe('parsing resend events', () => {
  it('reads a TagUser event as a resend check for its user, with the time of the call', () => {
    const event = tagUserEvent({
      userName: 'ada',
      tags: [{ key: RESEND_TAG_KEY, value: '2' }],
      eventTime: '2025-01-01T11:00:00Z',
    });
    expect(readRecord(sqsEvent(event).Records[0]).request).toMatchObject({
      kind: 'resend',
      event: {
        userName: 'ada',
        eventId: event.id,
        eventTimeMs: Date.parse('2025-01-01T11:00:00Z'),
      },
    });
  });

  it('skips a TagUser that plainly set other tags; a failed one is unreadable (the rule forwards none)', () => {
    const failed = tagUserEvent({
      userName: 'ada',
      tags: [{ key: RESEND_TAG_KEY, value: '2' }],
      errorCode: 'AccessDenied',
    });
    const other = tagUserEvent({ userName: 'ada', tags: [{ key: 'team', value: 'x' }] });
    const requests = sqsEvent(failed, other).Records.map((r) => readRecord(r));
    expect(requests.map((r) => r.keys)).toEqual([
      { snsMessageId: `sns-${String(failed.id)}` },
      { userName: 'ada', eventId: other.id, snsMessageId: `sns-${String(other.id)}` },
    ]);
    expect(requests.map((r) => r.request)).toEqual([
      {
        kind: 'unreadable',
        reason: 'malformed-message',
        detail: 'detail.errorCode: invalid_type (expected undefined)',
      },
      {
        kind: 'skip',
        reason: 'not-a-resend-tag-change',
        detail: 'TagUser did not set resend-welcome',
      },
    ]);
  });

  it('trusts neither way a tag list in a shape it does not know: IAM decides', () => {
    const odd = tagUserEvent({ userName: 'ada', tags: [] });
    (odd.detail as { requestParameters: { tags: unknown } }).requestParameters.tags = [
      { Key: RESEND_TAG_KEY, Value: '2' },
      { something: 'else' },
    ];
    expect(readRecord(sqsEvent(odd).Records[0]).request.kind).toBe('resend');
  });

  it('calls a TagUser without a user name unreadable', () => {
    const event = tagUserEvent({ userName: 'ada', tags: [] });
    (event.detail as { requestParameters: unknown }).requestParameters = {};
    expect(readRecord(sqsEvent(event).Records[0]).request).toMatchObject({
      kind: 'unreadable',
      reason: 'malformed-message',
      detail: 'detail.requestParameters.userName: invalid_type (expected string)',
    });
  });

  it('reads a queued resend request, and calls a malformed one unreadable', () => {
    const body = JSON.stringify(resendRequest({ userName: 'ada', userId: 'AIDAADA' }, 'reconcile'));
    const bad = JSON.stringify({ 'iam-onboarding': 'resend', userName: '', reason: 'reconcile' });
    const requests = sqsEvent(body, bad).Records.map((r) => readRecord(r).request);
    expect(requests).toMatchObject([
      {
        kind: 'resend',
        event: { userName: 'ada', userId: 'AIDAADA', requested: 'reconcile' },
      },
      { kind: 'unreadable', reason: 'malformed-request', detail: 'userName: too_small' },
    ]);
  });
});

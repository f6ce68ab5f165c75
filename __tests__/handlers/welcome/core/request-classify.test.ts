/**
 * Every way a record is read, with the exact result: the skip or unreadable
 * reason and its detail (what an operator reads in the log), the requests
 * the pipeline queues itself, and the receive count.
 */
import fc from 'fast-check';
import { readRecord } from '../../../../handlers/welcome/core/request';
import {
  expireRequest,
  RECONCILE_REQUEST,
  resendRequest,
  welcomeRequest,
} from '../../../../shared/contract';
import { USER_EVENTS_PATTERN } from '../../../../stacks/user-events-rule';
import { matchesEventPattern } from '../../../support/event-pattern';
import { createUserEvent, sqsRecord, tagUserEvent } from '../../../support/welcome-events';

const ev = createUserEvent({ userName: 'ada', eventId: 'e1' });
const detailOf = (e: Record<string, unknown>) => e.detail as Record<string, unknown>;

/** The UntagUser event CloudTrail records when the apply removes tag keys. */
const untagged = (tagKeys: string[]) => {
  const event = tagUserEvent({ userName: 'ada', eventId: 't1', tags: [], eventName: 'UntagUser' });
  (event.detail as { requestParameters: unknown }).requestParameters = { userName: 'ada', tagKeys };
  return event;
};

/** The request of an SQS record whose body is the SNS notification carrying `message`. */
const viaSns = (message: Record<string, unknown> | string) => {
  const id = typeof message === 'string' ? 'raw' : String(message.id);
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-0-${id}`,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:iam-onboarding',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
  });
  const { request, keys } = readRecord(sqsRecord(body, { messageId: 'm-1' }));
  return { ...request, keys };
};

/** The one item of an SQS invocation whose record body is `body` (a string: as is), its keys beside its request. */
const viaSqs = (body: Record<string, unknown> | string, receiveCount?: string) => {
  const record = sqsRecord(body, { messageId: 'm-1' });
  if (receiveCount !== undefined) record.attributes = { ApproximateReceiveCount: receiveCount };
  const { request, keys, ...rest } = readRecord(record);
  return { ...rest, request: { ...request, keys } };
};

describe('what the user-events rule forwards is a request; anything else it keeps out is unreadable', () => {
  const forwarded = (e: Record<string, unknown>) => matchesEventPattern(USER_EVENTS_PATTERN, e);
  const tagged = (tags: { key: string; value: string }[], eventName = 'TagUser') =>
    tagUserEvent({ userName: 'ada', eventId: 't1', tags, eventName });

  it.each([
    ['a CreateUser', ev, 'welcome'],
    ['a TagUser of the resend counter', tagged([{ key: 'resend-welcome', value: '2' }]), 'resend'],
    ['a TagUser of the suspended tag', tagged([{ key: 'suspended', value: 'true' }]), 'lifecycle'],
    ['an UntagUser of it', untagged(['suspended']), 'lifecycle'],
  ])('%s is forwarded, and read as its request', (_label, event, kind) => {
    expect(forwarded(event)).toBe(true);
    expect(viaSns(event).kind).toBe(kind);
  });

  it.each([
    ['another source', { ...ev, source: 'aws.s3' }, 'source: invalid_value'],
    [
      'another detail-type',
      { ...ev, 'detail-type': 'Object Created' },
      'detail-type: invalid_value',
    ],
    [
      'a detail that is no CloudTrail call',
      { ...ev, detail: { eventName: 1 } },
      'detail.eventName: invalid_union',
    ],
    [
      'another IAM call',
      createUserEvent({ userName: 'a', eventId: 'e1', eventName: 'DeleteUser' }),
      'detail.eventName: invalid_union',
    ],
    [
      'a CreateUser of another service',
      { ...ev, detail: { ...detailOf(ev), eventSource: 's3.amazonaws.com' } },
      'detail.eventSource: invalid_value',
    ],
    [
      'a TagUser of another service',
      { ...ev, detail: { ...detailOf(ev), eventSource: 's3.amazonaws.com', eventName: 'TagUser' } },
      'detail.eventSource: invalid_value',
    ],
    [
      'a CreateUser that failed',
      createUserEvent({ userName: 'a', eventId: 'e1', errorCode: 'AccessDenied' }),
      'detail.errorCode: invalid_type (expected undefined); detail.responseElements: invalid_type (expected object)',
    ],
    [
      'a TagUser that failed',
      tagUserEvent({
        userName: 'a',
        eventId: 'e1',
        tags: [{ key: 'resend-welcome', value: '2' }],
        errorCode: 'AccessDenied',
      }),
      'detail.errorCode: invalid_type (expected undefined)',
    ],
  ])('%s is kept out by the rule, and unreadable', (_label, event, detail) => {
    expect(forwarded(event)).toBe(false);
    // The detail names paths and codes only: none of the event's values reach the logs.
    expect(viaSns(event)).toEqual({
      kind: 'unreadable',
      reason: 'malformed-message',
      detail,
      keys: { snsMessageId: 'sns-0-e1' },
    });
  });

  it.each([
    ['a message that is not JSON', 'not json', 'not JSON', 'sns-0-raw'],
    [
      'an envelope with missing fields',
      { id: 'x' },
      'source: invalid_value; detail-type: invalid_value; time: invalid_type (expected string); detail: invalid_type (expected object)',
      'sns-0-x',
    ],
    [
      'a CreateUser whose response names no user (AWS records none such)',
      { ...ev, detail: { ...detailOf(ev), responseElements: { user: { userName: '' } } } },
      'detail.responseElements.user.userName: too_small; detail.responseElements.user.userId: invalid_type (expected string); detail.responseElements.user.path: invalid_type (expected string)',
      'sns-0-e1',
    ],
  ])('%s is unreadable', (_label, message, detail, snsMessageId) => {
    expect(viaSns(message)).toEqual({
      kind: 'unreadable',
      reason: 'malformed-message',
      detail,
      keys: { snsMessageId },
    });
  });

  it('a user name over IAM’s 64 characters is no created user', () => {
    const long = 'a'.repeat(65);
    const e = createUserEvent({ userName: long, eventId: 'e4' });
    expect(viaSns(e)).toMatchObject({
      kind: 'unreadable',
      detail: 'detail.responseElements.user.userName: too_big',
    });
    expect(viaSns(createUserEvent({ userName: 'a'.repeat(64), eventId: 'e5' }))).toMatchObject({
      kind: 'welcome',
    });
  });

  it('a TagUser names the suspended key with either spelling; an UntagUser is always a suspension change', () => {
    const spelt = tagged([]);
    (spelt.detail as { requestParameters: { tags: unknown } }).requestParameters.tags = [
      { Key: 'suspended', Value: 'true' },
    ];
    const both = tagged([
      { key: 'resend-welcome', value: '3' },
      { key: 'suspended', value: 'true' },
    ]);
    const lifecycle = {
      kind: 'lifecycle',
      event: { eventId: 't1', userName: 'ada' },
      keys: { eventId: 't1', snsMessageId: 'sns-0-t1', userName: 'ada' },
    };
    expect(viaSns(spelt)).toEqual(lifecycle);
    expect(viaSns(both)).toEqual(lifecycle);
    // The rule forwards no other UntagUser; one would only have IAM's tags read again.
    expect(viaSns(untagged(['team']))).toEqual(lifecycle);
  });
});

describe('a successful CreateUser', () => {
  it('carries the event and SNS ids, the user and the CloudTrail time, and whom it is about', () => {
    const e = createUserEvent({
      userName: 'ada',
      eventId: 'e1',
      eventTime: '2025-01-01T09:00:00Z',
    });
    expect(viaSns({ ...e, time: '2025-01-01T09:05:00Z' })).toEqual({
      kind: 'welcome',
      event: {
        eventId: 'e1',
        userName: 'ada',
        userId: 'AIDAADA',
        path: '/iam-onboarding/',
        eventTimeMs: Date.parse('2025-01-01T09:00:00Z'),
      },
      keys: { eventId: 'e1', snsMessageId: 'sns-0-e1', userName: 'ada' },
    });
  });

  it('without a readable time, leaves it out', () => {
    const { eventID: _id, ...detail } = detailOf(ev);
    const read = viaSns({ ...ev, time: 'never', detail: { ...detail, eventTime: 'never' } });
    // Strict: left out, not present as undefined (a key the logs would print).
    expect(read).toStrictEqual({
      kind: 'welcome',
      event: {
        eventId: 'e1',
        userName: 'ada',
        userId: 'AIDAADA',
        path: '/iam-onboarding/',
      },
      keys: { eventId: 'e1', snsMessageId: 'sns-0-e1', userName: 'ada' },
    });
  });

  it('without a CloudTrail time, takes the EventBridge time', () => {
    const { eventTime: _t, ...detail } = detailOf(ev);
    expect(viaSns({ ...ev, time: '2025-01-01T11:00:00Z', detail })).toMatchObject({
      event: { eventTimeMs: Date.parse('2025-01-01T11:00:00Z') },
    });
  });

  it('an empty event id or user id is no event', () => {
    expect(viaSns({ ...ev, id: '' })).toEqual({
      kind: 'unreadable',
      reason: 'malformed-message',
      detail: 'id: too_small',
      keys: { snsMessageId: 'sns-0-' },
    });
    const d = detailOf(ev) as { responseElements: { user: Record<string, unknown> } };
    const user = { ...d.responseElements.user, userId: '' };
    expect(viaSns({ ...ev, detail: { ...d, responseElements: { user } } })).toEqual({
      kind: 'unreadable',
      reason: 'malformed-message',
      detail: 'detail.responseElements.user.userId: too_small',
      keys: { snsMessageId: 'sns-0-e1' },
    });
  });

  it('a TagUser that plainly sets neither tag is a skip that still names the event and user', () => {
    const tagged = tagUserEvent({
      userName: 'ada',
      eventId: 't1',
      tags: [{ key: 'team', value: 'x' }],
    });
    expect(viaSns(tagged)).toEqual({
      kind: 'skip',
      reason: 'not-a-resend-tag-change',
      detail: 'TagUser did not set resend-welcome',
      keys: { userName: 'ada', eventId: 't1', snsMessageId: 'sns-0-t1' },
    });
  });

  it('a TagUser becomes a resend check', () => {
    const tagged = tagUserEvent({
      userName: 'ada',
      eventId: 't1',
      tags: [{ key: 'resend-welcome', value: '2' }],
    });
    const read = viaSns(tagged);
    expect(read).toMatchObject({ kind: 'resend', event: { userName: 'ada' } });
    // The resend event carries its own ids; the envelope's are not spread over it.
    expect(Object.keys(read)).toEqual(['kind', 'event', 'keys']);
    expect(read.keys).toEqual({ eventId: 't1', snsMessageId: 'sns-0-t1', userName: 'ada' });
  });
});

describe('SQS records', () => {
  it.each([
    ['absent', undefined, 1],
    ['the first delivery', '1', 1],
    ['a later one', '7', 7],
    ['zero', '0', 1],
    ['not whole', '2.5', 1],
    ['not a number', 'many', 1],
  ])('a receive count that is %s (%s) reads as %d', (_label, count, expected) => {
    const item = viaSqs(createUserEvent({ userName: 'ada' }), count ?? '1');
    if (count === undefined) {
      const record = sqsRecord(createUserEvent({ userName: 'ada' }));
      delete record.attributes;
      expect(readRecord(record).receiveCount).toBe(expected);
    } else {
      expect(item.receiveCount).toBe(expected);
    }
  });

  it('reads the requests the pipeline queues itself', () => {
    expect(viaSqs(JSON.stringify({ 'iam-onboarding': 'reconcile' })).request).toStrictEqual({
      kind: 'reconcile',
      keys: { eventId: 'reconcile-request' },
    });
    expect(viaSqs(JSON.stringify({ 'iam-onboarding': 'expire' })).request).toStrictEqual({
      kind: 'expire',
      keys: { eventId: 'expire-request' },
    });
    expect(
      viaSqs(JSON.stringify({ 'iam-onboarding': 'expire', startAfter: 'bo' })).request,
    ).toEqual({ kind: 'expire', startAfter: 'bo', keys: { eventId: 'expire-request' } });
    for (const reason of ['reconcile', 'redrive', 'operator'] as const) {
      expect(
        viaSqs(JSON.stringify({ 'iam-onboarding': 'welcome', userName: 'ada', reason })).request,
      ).toStrictEqual({
        kind: 'welcome',
        event: {
          eventId: `${reason}-request`,
          userName: 'ada',
          path: '/iam-onboarding/',
          requested: reason,
        },
        keys: { eventId: `${reason}-request`, userName: 'ada' },
      });
    }
    expect(
      viaSqs(
        JSON.stringify({
          'iam-onboarding': 'welcome',
          userName: 'ada',
          userId: 'AIDA1',
          reason: 'operator',
        }),
      ).request,
    ).toMatchObject({ kind: 'welcome', event: { userId: 'AIDA1' } });
  });

  it('reads only the fields a queued body may set: no path, event id or event time of its own', () => {
    const body = {
      ...welcomeRequest({ userName: 'ada' }, 'operator'),
      path: '/elsewhere/',
      eventId: 'forged',
      eventTimeMs: 0,
      requested: 'reconcile',
    };
    expect(viaSqs(JSON.stringify(body)).request).toStrictEqual({
      kind: 'welcome',
      event: {
        userName: 'ada',
        eventId: 'operator-request',
        requested: 'operator',
        path: '/iam-onboarding/',
      },
      keys: { eventId: 'operator-request', userName: 'ada' },
    });
  });

  it.each([
    [
      'an unknown request',
      { 'iam-onboarding': 'delete-everyone' },
      'iam-onboarding: invalid_union',
    ],
    [
      'a welcome with an unknown reason',
      { 'iam-onboarding': 'welcome', userName: 'a', reason: 'x' },
      'reason: invalid_value',
    ],
    [
      'a welcome without a user name',
      { 'iam-onboarding': 'welcome', userName: '', reason: 'operator' },
      'userName: too_small',
    ],
    [
      'a resend with a user name over 64 characters',
      { 'iam-onboarding': 'resend', userName: 'a'.repeat(65), reason: 'operator' },
      'userName: too_big',
    ],
    [
      'a welcome with an empty user id',
      { 'iam-onboarding': 'welcome', userName: 'a', userId: '', reason: 'operator' },
      'userId: too_small',
    ],
    [
      'an expiry continuing after nobody',
      { 'iam-onboarding': 'expire', startAfter: '' },
      'startAfter: too_small',
    ],
    [
      'an expiry continuing after a name over 64',
      { 'iam-onboarding': 'expire', startAfter: 'a'.repeat(65) },
      'startAfter: too_big',
    ],
  ])('%s is no request: unreadable, with what is wrong', (_label, body, detail) => {
    expect(viaSqs(JSON.stringify(body)).request).toEqual({
      kind: 'unreadable',
      reason: 'malformed-request',
      detail,
      keys: {},
    });
  });

  it('reads every body the writers build (shared/contract.ts) as the kind they meant', () => {
    // One schema types the writers and parses for the reader: a body built by
    // a writer and refused here would be a queued welcome lost to the DLQ.
    const userName = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
    const userId = fc.option(fc.stringMatching(/^AIDA[A-Z0-9]{1,17}$/), { nil: undefined });
    const reason = fc.constantFrom('reconcile', 'redrive', 'operator' as const);
    fc.assert(
      fc.property(userName, userId, reason, (name, id, why) => {
        const user = { userName: name, ...(id === undefined ? {} : { userId: id }) };
        const welcome = viaSqs(JSON.stringify(welcomeRequest(user, why))).request;
        expect(welcome).toMatchObject({ kind: 'welcome', event: { ...user, requested: why } });
        const resend = viaSqs(JSON.stringify(resendRequest(user, why))).request;
        expect(resend).toMatchObject({ kind: 'resend', event: { ...user, requested: why } });
        const next = viaSqs(JSON.stringify(expireRequest(name))).request;
        expect(next).toMatchObject({ kind: 'expire', startAfter: name });
      }),
    );
    expect(viaSqs(JSON.stringify(expireRequest())).request.kind).toBe('expire');
    expect(viaSqs(JSON.stringify(RECONCILE_REQUEST)).request.kind).toBe('reconcile');
  });

  it('names what is wrong with a record, a body and a notification', () => {
    expect(readRecord({ eventSource: 'aws:sqs', body: 1 })).toEqual({
      messageId: '',
      receiveCount: 1,
      keys: {},
      // Without its ID it fails all the same: the failure names no record, so the batch fails.
      request: {
        kind: 'unreadable',
        reason: 'malformed-sqs-record',
        detail: 'messageId: invalid_type (expected string); body: invalid_type (expected string)',
      },
    });
    expect(readRecord({ eventSource: 'aws:sqs', messageId: '', body: '{}' })).toMatchObject({
      request: { reason: 'malformed-sqs-record', detail: 'messageId: too_small' },
    });
    // Named but not an SQS record (a direct SNS record's shape): unreadable, never run.
    expect(readRecord({ messageId: 'm-2', Sns: {} }).request).toEqual({
      kind: 'unreadable',
      reason: 'malformed-sqs-record',
      detail: 'body: invalid_type (expected string)',
    });
    expect(viaSqs('not json')).toEqual({
      messageId: 'm-1',
      receiveCount: 1,
      request: {
        kind: 'unreadable',
        reason: 'malformed-sns-notification',
        detail: 'body is not JSON',
        keys: {},
      },
    });
    expect(viaSqs(JSON.stringify({ Type: 'Notification', MessageId: '' })).request).toEqual({
      kind: 'unreadable',
      reason: 'malformed-sns-notification',
      detail: 'MessageId: too_small; Message: invalid_type (expected string)',
      keys: {},
    });
  });

  it('routes SES events: feedback, and the topic check as an ignored skip', () => {
    const notification = (message: string) =>
      JSON.stringify({
        Type: 'Notification',
        MessageId: 'n-1',
        TopicArn: 'arn:t',
        Message: message,
      });
    expect(
      viaSqs(notification('Successfully validated SNS topic for Amazon SES event publishing.'))
        .request,
    ).toEqual({
      kind: 'skip',
      reason: 'ses-event-ignored',
      detail: 'SES topic validation',
      keys: { snsMessageId: 'n-1' },
    });
    const bounce = JSON.stringify({
      eventType: 'Bounce',
      mail: { messageId: 'ses-1', destination: ['a@example.com'], tags: {} },
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [] },
    });
    expect(viaSqs(notification(bounce)).request).toMatchObject({
      kind: 'ses-feedback',
      event: { feedback: 'bounce' },
      keys: { snsMessageId: 'n-1' },
    });
    // Neither SES nor EventBridge: read as an event, and unreadable as one.
    expect(viaSqs(notification('{}')).request).toMatchObject({
      kind: 'unreadable',
      reason: 'malformed-message',
      keys: { snsMessageId: 'n-1' },
    });
  });
});

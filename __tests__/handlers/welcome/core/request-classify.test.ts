/**
 * Every way a record is read, with the exact result: the skip reason and its
 * detail (what an operator reads in the log), the requests the pipeline
 * queues itself, and the receive count.
 */
import { readRecord } from '../../../../handlers/welcome/core/request';
import { createUserEvent, sqsRecord, tagUserEvent } from '../../../support/welcome-events';

const ev = createUserEvent({ userName: 'ada', eventId: 'e1' });
const detailOf = (e: Record<string, unknown>) => e.detail as Record<string, unknown>;

/** The request of an SQS record whose body is the SNS notification carrying `message`. */
const viaSns = (message: Record<string, unknown> | string) => {
  const id = typeof message === 'string' ? 'raw' : String(message.id);
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-0-${id}`,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:iam-onboarding',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
  });
  return readRecord(sqsRecord(body, { messageId: 'm-1' })).request;
};

/** The one item of an SQS invocation whose record body is `body` (a string: as is). */
const viaSqs = (body: Record<string, unknown> | string, receiveCount?: string) => {
  const record = sqsRecord(body, { messageId: 'm-1' });
  if (receiveCount !== undefined) record.attributes = { ApproximateReceiveCount: receiveCount };
  return readRecord(record);
};

describe('a CloudTrail event that is not a successful CreateUser is a named skip (or unreadable)', () => {
  it.each([
    [
      'a message that is not JSON',
      'not json',
      {
        kind: 'unreadable',
        reason: 'malformed-message',
        detail: 'not JSON',
        snsMessageId: 'sns-0-raw',
      },
    ],
    [
      'an envelope with missing fields (five named at most)',
      { id: 'x' },
      {
        kind: 'unreadable',
        reason: 'malformed-message',
        detail:
          'version: invalid_type (expected string); source: invalid_type (expected string); account: invalid_type (expected string); time: invalid_type (expected string); region: invalid_type (expected string)',
        snsMessageId: 'sns-0-x',
      },
    ],
    [
      'another source',
      { ...ev, source: 'aws.s3' },
      {
        kind: 'skip',
        reason: 'not-a-cloudtrail-api-call',
        detail: 'source aws.s3, detail-type AWS API Call via CloudTrail',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
    [
      'another detail-type',
      { ...ev, 'detail-type': 'Object Created' },
      {
        kind: 'skip',
        reason: 'not-a-cloudtrail-api-call',
        detail: 'source aws.iam, detail-type Object Created',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
    [
      'a detail that is not a CloudTrail call',
      { ...ev, detail: { eventName: 1 } },
      {
        kind: 'skip',
        reason: 'not-a-cloudtrail-api-call',
        detail:
          'eventSource: invalid_type (expected string); eventName: invalid_type (expected string)',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
    [
      'another IAM call',
      createUserEvent({ userName: 'a', eventId: 'e2', eventName: 'DeleteUser' }),
      {
        kind: 'skip',
        reason: 'not-create-user',
        detail: 'iam.amazonaws.com DeleteUser',
        eventId: 'e2',
        snsMessageId: 'sns-0-e2',
      },
    ],
    [
      'a CreateUser of another service',
      { ...ev, detail: { ...detailOf(ev), eventSource: 's3.amazonaws.com' } },
      {
        kind: 'skip',
        reason: 'not-create-user',
        detail: 's3.amazonaws.com CreateUser',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
    [
      'a TagUser of another service',
      { ...ev, detail: { ...detailOf(ev), eventSource: 's3.amazonaws.com', eventName: 'TagUser' } },
      {
        kind: 'skip',
        reason: 'not-create-user',
        detail: 's3.amazonaws.com TagUser',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
    [
      'a CreateUser that failed',
      createUserEvent({ userName: 'a', eventId: 'e3', errorCode: 'AccessDenied' }),
      {
        kind: 'skip',
        reason: 'create-user-failed',
        detail: 'CreateUser failed with AccessDenied',
        eventId: 'e3',
        snsMessageId: 'sns-0-e3',
      },
    ],
    [
      'a CreateUser whose response names no user',
      { ...ev, detail: { ...detailOf(ev), responseElements: { user: { userName: '' } } } },
      {
        kind: 'skip',
        reason: 'no-created-user-in-event',
        detail:
          'user.userName: too_small; user.userId: invalid_type (expected string); user.arn: invalid_type (expected string); user.path: invalid_type (expected string)',
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
      },
    ],
  ])('%s', (_label, message, expected) => {
    expect(viaSns(message)).toEqual(expected);
  });

  it('a user name over IAM’s 64 characters is no created user', () => {
    const long = 'a'.repeat(65);
    const e = createUserEvent({ userName: long, eventId: 'e4' });
    expect(viaSns(e)).toMatchObject({ reason: 'no-created-user-in-event' });
    expect(viaSns(createUserEvent({ userName: 'a'.repeat(64), eventId: 'e5' }))).toMatchObject({
      kind: 'welcome',
    });
  });
});

describe('a successful CreateUser', () => {
  it('carries the event, CloudTrail and SNS ids, the user and the CloudTrail time', () => {
    const e = createUserEvent({
      userName: 'ada',
      eventId: 'e1',
      eventTime: '2025-01-01T09:00:00Z',
    });
    expect(viaSns({ ...e, time: '2025-01-01T09:05:00Z' })).toEqual({
      kind: 'welcome',
      event: {
        eventId: 'e1',
        cloudTrailEventId: (e.detail as { eventID: string }).eventID,
        snsMessageId: 'sns-0-e1',
        userName: 'ada',
        userId: 'AIDAADA',
        path: '/iam-onboarding/',
        eventTimeMs: Date.parse('2025-01-01T09:00:00Z'),
      },
    });
  });

  it('without a CloudTrail event ID or a readable time, leaves them out', () => {
    const { eventID: _id, ...detail } = detailOf(ev);
    const read = viaSns({ ...ev, time: 'never', detail: { ...detail, eventTime: 'never' } });
    // Strict: left out, not present as undefined (a key the logs would print).
    expect(read).toStrictEqual({
      kind: 'welcome',
      event: {
        eventId: 'e1',
        snsMessageId: 'sns-0-e1',
        userName: 'ada',
        userId: 'AIDAADA',
        path: '/iam-onboarding/',
      },
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
      snsMessageId: 'sns-0-',
    });
    const d = detailOf(ev) as { responseElements: { user: Record<string, unknown> } };
    const user = { ...d.responseElements.user, userId: '' };
    expect(viaSns({ ...ev, detail: { ...d, responseElements: { user } } })).toEqual({
      kind: 'skip',
      reason: 'no-created-user-in-event',
      detail: 'user.userId: too_small',
      eventId: 'e1',
      snsMessageId: 'sns-0-e1',
    });
  });

  it('a TagUser that does not raise the counter is a skip that still names the event', () => {
    const tagged = tagUserEvent({
      userName: 'ada',
      eventId: 't1',
      tags: [{ key: 'team', value: 'x' }],
    });
    expect(viaSns(tagged)).toEqual({
      kind: 'skip',
      reason: 'not-a-resend-tag-change',
      detail: 'TagUser did not set resend-welcome',
      userName: 'ada',
      eventId: 't1',
      snsMessageId: 'sns-0-t1',
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
    expect(Object.keys(read)).toEqual(['kind', 'event']);
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
  ])('a receive count that is %s reads as %s', (_label, count, expected) => {
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
    expect(viaSqs(JSON.stringify({ 'iam-onboarding': 'reconcile' })).request).toEqual({
      kind: 'reconcile',
    });
    expect(viaSqs(JSON.stringify({ 'iam-onboarding': 'expire' })).request).toStrictEqual({
      kind: 'expire',
    });
    expect(
      viaSqs(JSON.stringify({ 'iam-onboarding': 'expire', startAfter: 'bo' })).request,
    ).toEqual({ kind: 'expire', startAfter: 'bo' });
    for (const reason of ['reconcile', 'redrive', 'operator'] as const) {
      expect(
        viaSqs(JSON.stringify({ 'iam-onboarding': 'welcome', userName: 'ada', reason })).request,
      ).toStrictEqual({
        kind: 'welcome',
        event: {
          eventId: `${reason}-request`,
          snsMessageId: 'm-1',
          userName: 'ada',
          path: '/iam-onboarding/',
          requested: reason,
        },
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

  it.each([
    ['an unknown request', { 'iam-onboarding': 'delete-everyone' }],
    [
      'a welcome with an unknown reason',
      { 'iam-onboarding': 'welcome', userName: 'a', reason: 'x' },
    ],
    [
      'a welcome without a user name',
      { 'iam-onboarding': 'welcome', userName: '', reason: 'operator' },
    ],
    [
      'a welcome with a user name over 64 characters',
      { 'iam-onboarding': 'welcome', userName: 'a'.repeat(65), reason: 'operator' },
    ],
    [
      'a welcome with an empty user id',
      { 'iam-onboarding': 'welcome', userName: 'a', userId: '', reason: 'operator' },
    ],
    ['an expiry continuing after nobody', { 'iam-onboarding': 'expire', startAfter: '' }],
    [
      'an expiry continuing after a name over 64',
      { 'iam-onboarding': 'expire', startAfter: 'a'.repeat(65) },
    ],
  ])('%s is no request: a malformed notification', (_label, body) => {
    expect(viaSqs(JSON.stringify(body)).request).toMatchObject({
      kind: 'unreadable',
      reason: 'malformed-sns-notification',
    });
  });

  it('names what is wrong with a record, a body and a notification', () => {
    expect(readRecord({ eventSource: 'aws:sqs', body: 1 })).toEqual({
      messageId: '',
      receiveCount: 1,
      // Without its ID it cannot be named as failed: acknowledged.
      request: {
        kind: 'skip',
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
      },
    });
    expect(viaSqs(JSON.stringify({ Type: 'Notification', MessageId: '' })).request).toEqual({
      kind: 'unreadable',
      reason: 'malformed-sns-notification',
      detail:
        'MessageId: too_small; TopicArn: invalid_type (expected string); Message: invalid_type (expected string)',
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
      snsMessageId: 'n-1',
    });
    const bounce = JSON.stringify({
      eventType: 'Bounce',
      mail: { messageId: 'ses-1', destination: ['a@example.com'], tags: {} },
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [] },
    });
    expect(viaSqs(notification(bounce)).request).toMatchObject({
      kind: 'ses-feedback',
      snsMessageId: 'n-1',
      event: { feedback: 'bounce' },
    });
    // Neither SES nor EventBridge: read as an event, and unreadable as one.
    expect(viaSqs(notification('{}')).request).toMatchObject({
      kind: 'unreadable',
      reason: 'malformed-message',
      snsMessageId: 'n-1',
    });
  });
});

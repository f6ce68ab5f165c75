/** Reading one SQS record (an SNS notification body, or a request the pipeline queued). */
import { readRecord } from '../../../../handlers/welcome/core/request';
import { createUserEvent, sqsEvent, sqsRecord } from '../../../support/welcome-events';

describe('readRecord', () => {
  it('reads an SQS record: message ID, receive count, the CreateUser inside', () => {
    const event = createUserEvent({ userName: 'ada', eventTime: '2025-01-01T11:59:00Z' });
    expect(readRecord(sqsRecord(event, { receiveCount: 3, messageId: 'm-1' }))).toEqual({
      messageId: 'm-1',
      receiveCount: 3,
      keys: { eventId: event.id, snsMessageId: `sns-${String(event.id)}`, userName: 'ada' },
      request: {
        kind: 'welcome',
        event: expect.objectContaining({
          eventId: event.id,
          userName: 'ada',
          eventTimeMs: Date.parse('2025-01-01T11:59:00Z'),
        }) as unknown,
      },
    });
  });

  it('reads each SQS record on its own; a body none of the writers sends is unreadable, with its reason', () => {
    const good = sqsRecord(createUserEvent({ userName: 'ada' }), { messageId: 'good' });
    const { messageId: _dropped, ...nameless } = sqsRecord(createUserEvent({ userName: 'bo' }));
    const items = [
      good,
      sqsRecord('not json', { messageId: 'raw' }),
      sqsRecord(JSON.stringify({ Type: 'SubscriptionConfirmation' }), { messageId: 'confirm' }),
      {
        ...sqsRecord(createUserEvent({ userName: 'cy' })),
        attributes: {},
        messageId: 'no-count',
      },
      nameless,
      // A raw-delivery body (the EventBridge event itself) is not what the subscription sends.
      sqsRecord(JSON.stringify(createUserEvent({ userName: 'di' })), { messageId: 'raw-event' }),
    ].map(readRecord);
    expect(items.map((i) => [i.messageId, i.receiveCount, i.request.kind])).toEqual([
      ['good', 1, 'welcome'],
      ['raw', 1, 'unreadable'],
      ['confirm', 1, 'unreadable'],
      ['no-count', 1, 'welcome'],
      ['', 1, 'unreadable'],
      ['raw-event', 1, 'unreadable'],
    ]);
    const reasons = items.map((i) => ('reason' in i.request ? i.request.reason : '-'));
    expect(reasons).toEqual([
      '-',
      'malformed-sns-notification',
      'malformed-sns-notification',
      '-',
      'malformed-sqs-record',
      'malformed-sns-notification',
    ]);
  });

  it('falls back to the EventBridge time, and leaves the time out when neither parses', () => {
    const base = createUserEvent({ userName: 'ada', eventTime: 'yesterday' });
    const withEnvelopeTime = { ...base, time: '2025-01-01T11:00:00Z' };
    const read = (e: Record<string, unknown>) => {
      const { request } = readRecord(sqsEvent(e).Records[0]);
      return request.kind === 'welcome' ? request.event.eventTimeMs : 'not parsed';
    };
    expect(read(withEnvelopeTime)).toBe(Date.parse('2025-01-01T11:00:00Z'));
    expect(read(base)).toBeUndefined();
  });
});

/** Reading the invocation: SQS records (SNS notification bodies) and direct SNS events. */
import { parseInvocation } from '../../../../handlers/welcome/core/event';
import { createUserEvent, snsEvent, sqsEvent, sqsRecord } from '../../../support/welcome-events';

describe('parseInvocation', () => {
  it('reads an SQS record: message ID, receive count, the CreateUser inside', () => {
    const event = createUserEvent({ userName: 'ada', eventTime: '2025-01-01T11:59:00Z' });
    const invocation = parseInvocation(
      sqsEvent(sqsRecord(event, { receiveCount: 3, messageId: 'm-1' })),
    );
    expect(invocation).toEqual({
      trigger: 'sqs',
      items: [
        {
          messageId: 'm-1',
          receiveCount: 3,
          parsed: {
            kind: 'create-user',
            event: expect.objectContaining({
              eventId: event.id,
              snsMessageId: `sns-${String(event.id)}`,
              userName: 'ada',
              eventTimeMs: Date.parse('2025-01-01T11:59:00Z'),
            }) as unknown,
          },
        },
      ],
    });
  });

  it('classifies each SQS record on its own; bad ones are named skips', () => {
    const good = sqsRecord(createUserEvent({ userName: 'ada' }), { messageId: 'good' });
    const { messageId: _dropped, ...nameless } = sqsRecord(createUserEvent({ userName: 'bo' }));
    const invocation = parseInvocation({
      Records: [
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
      ],
    });
    expect(invocation.trigger).toBe('sqs');
    const items = invocation.trigger === 'sqs' ? invocation.items : [];
    expect(items.map((i) => [i.messageId, i.receiveCount, i.parsed.kind])).toEqual([
      ['good', 1, 'create-user'],
      ['raw', 1, 'skip'],
      ['confirm', 1, 'skip'],
      ['no-count', 1, 'create-user'],
      [undefined, 1, 'skip'],
      ['raw-event', 1, 'skip'],
    ]);
    const reasons = items.map((i) => (i.parsed.kind === 'skip' ? i.parsed.reason : '-'));
    expect(reasons).toEqual([
      '-',
      'malformed-sns-notification',
      'malformed-sns-notification',
      '-',
      'malformed-sqs-record',
      'malformed-sns-notification',
    ]);
  });

  it('still reads a direct SNS event, and calls anything else a malformed SNS event', () => {
    const sns = parseInvocation(snsEvent(createUserEvent({ userName: 'ada' })));
    expect(sns.trigger).toBe('sns');
    expect(parseInvocation({ Records: [{ EventSource: 'aws:sqs', body: '{}' }] })).toEqual({
      trigger: 'sns',
      records: [expect.objectContaining({ kind: 'skip', reason: 'malformed-sns-event' })],
    });
  });

  it('falls back to the EventBridge time, and leaves the time out when neither parses', () => {
    const base = createUserEvent({ userName: 'ada', eventTime: 'yesterday' });
    const withEnvelopeTime = { ...base, time: '2025-01-01T11:00:00Z' };
    const read = (e: Record<string, unknown>) => {
      const inv = parseInvocation(sqsEvent(e));
      const parsed = inv.trigger === 'sqs' ? inv.items[0].parsed : undefined;
      return parsed?.kind === 'create-user' ? parsed.event.eventTimeMs : 'not parsed';
    };
    expect(read(withEnvelopeTime)).toBe(Date.parse('2025-01-01T11:00:00Z'));
    expect(read(base)).toBeUndefined();
  });
});

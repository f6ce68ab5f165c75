/** Reading SES's bounce, complaint and reject events, and the user tag they carry. */
import fc from 'fast-check';
import {
  decodeTagValue,
  encodeTagValue,
  parseSesEvent,
} from '../../../../handlers/welcome/core/ses-event';
import { readRecord } from '../../../../handlers/welcome/core/request';
import { sqsEvent, sqsRecord } from '../../../support/welcome-events';

const mail = (userTag?: string) => ({
  messageId: 'ses-1',
  destination: ['to@example.com'],
  tags: userTag === undefined ? {} : { 'iam-onboarding-user': [userTag] },
});

describe('the user tag', () => {
  it('round-trips every IAM user name through SES’s tag alphabet', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w+=,.@-]{1,64}$/), (name) => {
        const tag = encodeTagValue(name);
        expect(tag).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
        expect(decodeTagValue(tag)).toBe(name);
      }),
    );
  });

  it('refuses what it could not have written', () => {
    expect(decodeTagValue('a_zz')).toBeUndefined();
    expect(decodeTagValue('a.b')).toBeUndefined();
    expect(decodeTagValue('')).toBeUndefined();
  });
});

describe('parseSesEvent', () => {
  it('a permanent bounce names the user, the bounced address and the diagnostic', () => {
    const r = parseSesEvent(
      JSON.stringify({
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'NoEmail',
          bouncedRecipients: [
            { emailAddress: 'x@example.com', diagnosticCode: '550 no such user' },
          ],
        },
        mail: mail(encodeTagValue('alice.martin')),
      }),
    );
    expect(r).toEqual({
      kind: 'ses-feedback',
      event: {
        feedback: 'bounce',
        bounceType: 'Permanent',
        bounceSubType: 'NoEmail',
        userName: 'alice.martin',
        addresses: ['x@example.com'],
        sesMessageId: 'ses-1',
        detail: 'NoEmail: 550 no such user',
      },
    });
  });

  it('reads identity notifications (notificationType) alike', () => {
    const r = parseSesEvent(
      JSON.stringify({
        notificationType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: 'y@example.com' }] },
        mail: mail(),
      }),
    );
    expect(r).toMatchObject({
      kind: 'ses-feedback',
      event: { feedback: 'complaint', addresses: ['y@example.com'] },
    });
    expect(r.kind === 'ses-feedback' ? r.event.userName : 'not feedback').toBeUndefined();
  });

  it('a reject falls back to the email’s destination for the address', () => {
    expect(
      parseSesEvent(
        JSON.stringify({ eventType: 'Reject', reject: { reason: 'Bad content' }, mail: mail() }),
      ),
    ).toMatchObject({
      event: { feedback: 'reject', addresses: ['to@example.com'], detail: 'Bad content' },
    });
  });

  it('ignores SES’s topic check and other event types; anything else is not SES', () => {
    expect(
      parseSesEvent('Successfully validated SNS topic for Amazon SES event publishing.'),
    ).toEqual({ kind: 'skip', reason: 'ses-event-ignored', detail: 'SES topic validation' });
    expect(parseSesEvent(JSON.stringify({ eventType: 'Delivery', mail: mail() }))).toEqual({
      kind: 'skip',
      reason: 'ses-event-ignored',
      detail: 'SES Delivery event',
    });
    expect(parseSesEvent('not json')).toEqual({ kind: 'not-ses' });
    expect(parseSesEvent(JSON.stringify({ version: '0', id: 'e', detail: {} }))).toEqual({
      kind: 'not-ses',
    });
    expect(parseSesEvent(JSON.stringify({ eventType: 'Bounce', mail: {} }))).toEqual({
      kind: 'not-ses',
    });
  });
});

describe('in an SQS record', () => {
  it('an SES event from the feedback topic is its own kind; the topic check is a skip', () => {
    const feedback = sqsRecord(
      { eventType: 'Reject', reject: { reason: 'Bad content' }, mail: mail('bob') },
      { messageId: 'm1' },
    );
    const check = sqsRecord('x', { messageId: 'm2' });
    check.body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'n2',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:iam-onboarding-ses-feedback',
      Message: 'Successfully validated SNS topic for Amazon SES event publishing.',
    });
    const requests = sqsEvent(feedback, check).Records.map((r) => readRecord(r).request);
    expect(requests).toEqual([
      expect.objectContaining({
        kind: 'ses-feedback',
        event: expect.objectContaining({ userName: 'bob' }),
      }),
      expect.objectContaining({ kind: 'skip', reason: 'ses-event-ignored' }),
    ]);
  });
});

/** Every shape the dead-letter queue receives is recognised, with its user, its failure and how to replay it. */
import { RECONCILE_REQUEST, welcomeRequest } from '../../shared/contract';
import { describeDeadLetter } from '../../operations/dead-letters';

const event = (userName: string, extra: Record<string, unknown> = {}) => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  detail: {
    eventName: 'CreateUser',
    requestParameters: { userName, path: '/iam-onboarding/' },
    responseElements: { user: { userName, userId: `AIDA${userName.toUpperCase()}` } },
    ...extra,
  },
});
const envelope = (message: unknown) => ({
  Type: 'Notification',
  MessageId: 'sns-1',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:iam-onboarding-user-created',
  Message: JSON.stringify(message),
});

test('an EventBridge target failure: the event, with its error attributes', () => {
  expect(
    describeDeadLetter({
      body: JSON.stringify(event('ann')),
      messageAttributes: {
        RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/iam-onboarding-user-created',
        ERROR_CODE: 'SNS.AccessDenied',
        ERROR_MESSAGE: 'not authorized',
      },
    }),
  ).toEqual({
    source: 'create-user rule',
    users: [{ userName: 'ann', userId: 'AIDAANN' }],
    failure:
      'EventBridge could not deliver the CreateUser event (SNS.AccessDenied: not authorized)',
    replay: 'welcome',
  });
});

test('a reconcile request the schedule could not deliver is replayed as a reconcile', () => {
  expect(
    describeDeadLetter({
      body: JSON.stringify(RECONCILE_REQUEST),
      messageAttributes: { ERROR_CODE: 'SQS.KmsAccessDenied' },
    }),
  ).toMatchObject({ source: 'reconcile schedule', users: [], replay: 'reconcile' });
});

test('SNS could not deliver to the welcome queue: the envelope', () => {
  expect(
    describeDeadLetter({
      body: JSON.stringify(envelope(event('bob'))),
      messageAttributes: { ErrorCode: 'KMS.AccessDeniedException' },
    }),
  ).toEqual({
    source: 'topic delivery',
    users: [{ userName: 'bob', userId: 'AIDABOB' }],
    failure:
      'SNS could not deliver the CreateUser event to the welcome queue (KMS.AccessDeniedException); check the queue policy and the key policy',
    replay: 'welcome',
  });
});

test('moved from the welcome queue after five failures: event, welcome request', () => {
  const moved = {
    DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:iam-onboarding-welcome-queue',
    ApproximateReceiveCount: '5',
  };
  expect(
    describeDeadLetter({ body: JSON.stringify(envelope(event('cy'))), attributes: moved }),
  ).toMatchObject({
    source: 'welcome function',
    users: [{ userName: 'cy', userId: 'AIDACY' }],
    failure: expect.stringMatching(/failed on the CreateUser event 5 times/),
    replay: 'welcome',
  });
  expect(
    describeDeadLetter({
      body: JSON.stringify(welcomeRequest({ userName: 'dee', userId: 'AIDADEE' }, 'reconcile')),
      attributes: moved,
    }),
  ).toMatchObject({
    source: 'welcome function',
    users: [{ userName: 'dee', userId: 'AIDADEE' }],
    replay: 'welcome',
  });
});

test('a Lambda on-failure record from the earlier design', () => {
  const record = {
    version: '1.0',
    requestContext: { requestId: 'r', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: {
      Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(event('eve')) } }],
    },
    responseContext: { statusCode: 200, functionError: 'Unhandled' },
    responsePayload: {
      errorType: 'WelcomeError',
      errorMessage: 'send-email failed: MessageRejected',
    },
  };
  expect(describeDeadLetter({ body: JSON.stringify(record) })).toEqual({
    source: 'welcome function (earlier version)',
    users: [{ userName: 'eve', userId: 'AIDAEVE' }],
    failure: 'RetriesExhausted: WelcomeError: send-email failed: MessageRejected',
    replay: 'welcome',
  });
});

test('anything else is kept for a person: not JSON, another event, an empty body', () => {
  for (const body of ['not json', JSON.stringify(event('x', { eventName: 'DeleteUser' })), '']) {
    expect(describeDeadLetter({ body })).toMatchObject({
      source: 'unknown',
      replay: 'none',
      users: [],
    });
  }
});

/** An expire request in the dead-letter queue: named as the expiry schedule's, replayed from the start. */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describeDeadLetter } from '../../operations/dead-letters';
import { redrive } from '../../operations/redrive';
import { EXPIRE_REQUEST, expireRequest } from '../../shared/contract';

const sqsMock = mockClient(SQSClient);
afterEach(() => sqsMock.reset());

const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/iam-onboarding-welcome-failures';
const WELCOME = 'https://sqs.us-east-1.amazonaws.com/123456789012/iam-onboarding-welcome-queue';

test('EventBridge could not deliver it: the expiry schedule, not the create-user rule', () => {
  expect(
    describeDeadLetter({
      body: JSON.stringify(EXPIRE_REQUEST),
      messageAttributes: { ERROR_CODE: 'SQS.AccessDenied' },
    }),
  ).toEqual({
    source: 'expiry schedule',
    users: [],
    failure: 'EventBridge could not deliver the expire request (SQS.AccessDenied)',
    replay: 'expire',
  });
});

test('the function failed on a continuation five times: replayable', () => {
  expect(
    describeDeadLetter({
      body: JSON.stringify(expireRequest('ann')),
      attributes: { DeadLetterQueueSourceArn: 'arn:...', ApproximateReceiveCount: '5' },
    }),
  ).toMatchObject({ source: 'welcome function', replay: 'expire' });
});

test('--apply queues a fresh expire request (from the start) and deletes the dead letter', async () => {
  sqsMock
    .on(ReceiveMessageCommand)
    .resolvesOnce({
      Messages: [
        { MessageId: '1', ReceiptHandle: 'r1', Body: JSON.stringify(expireRequest('bo')) },
      ],
    })
    .resolves({ Messages: [] });
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'new' });
  const lines: string[] = [];
  const result = await redrive(new SQSClient({}), {
    deadLetterQueueUrl: DLQ,
    welcomeQueueUrl: WELCOME,
    apply: true,
    print: (l) => lines.push(l),
  });
  expect(result).toEqual({ seen: 1, replayed: 1, kept: 0 });
  expect(
    sqsMock
      .commandCalls(SendMessageCommand)
      .map((c) => JSON.parse(c.args[0].input.MessageBody!) as unknown),
  ).toEqual([EXPIRE_REQUEST]);
  expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(1);
  expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
});

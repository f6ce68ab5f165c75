/** `npm run redrive`: report, replay only what can be replayed, delete only what was replayed. */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { RECONCILE_REQUEST } from '../../shared/contract';
import { redrive } from '../../operations/redrive';

const sqsMock = mockClient(SQSClient);
afterEach(() => sqsMock.reset());

const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/iam-onboarding-welcome-failures';
const WELCOME = 'https://sqs.us-east-1.amazonaws.com/123456789012/iam-onboarding-welcome-queue';

const createUser = (userName: string) =>
  JSON.stringify({
    source: 'aws.iam',
    detail: {
      eventName: 'CreateUser',
      responseElements: { user: { userName, userId: `ID-${userName}` } },
    },
  });
const messages = [
  {
    MessageId: '1',
    ReceiptHandle: 'r1',
    Body: createUser('ann'),
    MessageAttributes: { ERROR_CODE: { StringValue: 'SNS.AccessDenied', DataType: 'String' } },
  },
  { MessageId: '2', ReceiptHandle: 'r2', Body: 'garbage' },
  {
    MessageId: '3',
    ReceiptHandle: 'r3',
    Body: JSON.stringify(RECONCILE_REQUEST),
    MessageAttributes: { ERROR_CODE: { StringValue: 'x', DataType: 'String' } },
  },
];

function run(apply: boolean, lines: string[] = []) {
  sqsMock.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
  return redrive(new SQSClient({}), {
    deadLetterQueueUrl: DLQ,
    welcomeQueueUrl: WELCOME,
    apply,
    print: (l) => lines.push(l),
  });
}

test('without --apply: reports each message and leaves every one in place, visible again', async () => {
  const lines: string[] = [];
  expect(await run(false, lines)).toEqual({ seen: 3, replayed: 0, kept: 3 });
  expect(lines[0]).toBe(
    '1. create-user rule | ann | EventBridge could not deliver the CreateUser event (SNS.AccessDenied) | replay: welcome',
  );
  expect(lines[1]).toMatch(/^2\. unknown \| - \| .* \| replay: none$/);
  expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  expect(
    sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.ReceiptHandle),
  ).toEqual(['r1', 'r2', 'r3']);
});

test('with --apply: queues a welcome or a reconcile, deletes those, keeps the unknown one', async () => {
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'new' });
  expect(await run(true)).toEqual({ seen: 3, replayed: 2, kept: 1 });
  const sent = sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
  expect(sent.map((i) => i.QueueUrl)).toEqual([WELCOME, WELCOME]);
  expect(sent.map((i) => JSON.parse(i.MessageBody!) as unknown)).toEqual([
    { 'iam-onboarding': 'welcome', userName: 'ann', userId: 'ID-ann', reason: 'redrive' },
    RECONCILE_REQUEST,
  ]);
  expect(
    sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle),
  ).toEqual(['r1', 'r3']);
  expect(
    sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.ReceiptHandle),
  ).toEqual(['r2']);
});

test('a replay that cannot be queued is kept, not deleted', async () => {
  sqsMock
    .on(SendMessageCommand)
    .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  const lines: string[] = [];
  expect(await run(true, lines)).toEqual({ seen: 3, replayed: 0, kept: 3 });
  expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  expect(lines).toContain('   kept: the replay could not be queued (AccessDenied)');
});

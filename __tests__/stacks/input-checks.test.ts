/** Constructs that take free-form input report every problem at once, naming the construct. */
import { TerraformStack, Testing } from 'cdktf';
import { DeadLetterQueue } from '../../stacks/dead-letter-queue';
import { EncryptedTopic } from '../../stacks/encrypted-topic';
import { ConstructInputError } from '../../stacks/input-checks';
import { SenderIdentity } from '../../stacks/sender-identity';
import { UserEventsRule } from '../../stacks/user-events-rule';
import { RequestFunction } from '../../stacks/request-function';
import { fixtureCode } from '../support/stack';

const stack = () => new TerraformStack(Testing.app(), 's');

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (e) {
    if (e instanceof ConstructInputError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConstructInputError');
}

test('EncryptedTopic: every problem in one error', () => {
  const s = stack();
  let error: unknown;
  try {
    new EncryptedTopic(s, 'topic', {
      name: 'bad name!',
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/x',
      publishers: [{ service: 'events', sourceArns: [] }],
      emailSubscribers: ['not-an-address', 'a@example.com', 'a@example.com'],
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConstructInputError);
  const e = error as ConstructInputError;
  expect(e.message).toMatch(/^Invalid properties for s\/topic:/);
  expect(e.problems).toEqual([
    'name "bad name!" may hold only letters, digits, "-" and "_"',
    'publishers[0].service "events" is not a service principal',
    'publishers[0].sourceArns must not be empty',
    'emailSubscribers[0] "not-an-address" is not an email address',
    'emailSubscribers lists an address twice',
  ]);
});

test('UserEventsRule refuses any region but us-east-1 (docs/design.md, "IAM events arrive only in us-east-1")', () => {
  const problems = problemsOf(
    () =>
      new UserEventsRule(stack(), 'rule', {
        accountId: '12345',
        region: 'eu-west-1',
        targetArn: 'arn:aws:sns:us-east-1:123456789012:t',
        deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
      }),
  );
  expect(problems).toEqual([
    'accountId "12345" must be 12 digits',
    'region must be us-east-1, where IAM events arrive (got eu-west-1)',
  ]);
});

test('RequestFunction refuses to cover every user, and out-of-range limits', () => {
  const problems = problemsOf(
    () =>
      new RequestFunction(stack(), 'fn', {
        accountId: '123456789012',
        queueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
        queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
        queueKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
        senderIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
        fromAddress: 'a@example.com',
        settings: { senderAddress: 'a@example.com', organisationName: 'O', helpContact: 'h' },
        logRetentionDays: 0,
        managedUserPath: '/',
        maximumConcurrency: 1001,
        reservedConcurrency: 3,
        batchSize: 11,
        codeDir: fixtureCode(),
      }),
  );
  expect(problems).toEqual([
    'managedUserPath must not be "/": that would cover every user in the account',
    'maximumConcurrency must be an integer from 2 to 1000 (got 1001)',
    'batchSize must be an integer from 1 to 10 (got 11)',
    "reservedConcurrency must be a whole number no smaller than maximumConcurrency (1001), or the queue's invocations are throttled (got 3)",
    'logRetentionDays must be an integer from 1 to 3653 (got 0)',
  ]);
});

test('SenderIdentity: the MAIL FROM domain must be under the sender domain', () => {
  expect(
    problemsOf(
      () =>
        new SenderIdentity(stack(), 'sender', {
          accountId: '123456789012',
          domain: 'example.com',
          mailFromDomain: 'mail.example.org',
        }),
    ),
  ).toEqual(['mailFromDomain "mail.example.org" must be a subdomain of "example.com"']);
});

test('DeadLetterQueue needs a sender and a valid retention', () => {
  expect(
    problemsOf(
      () =>
        new DeadLetterQueue(stack(), 'dlq', {
          name: 'q',
          senders: [],
          messageRetentionSeconds: 30,
        }),
    ),
  ).toEqual([
    'messageRetentionSeconds must be an integer from 60 to 1209600 (got 30)',
    'senders must name at least one sender',
  ]);
});

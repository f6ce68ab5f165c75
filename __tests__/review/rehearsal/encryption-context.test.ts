/**
 * KMS encryption-context conditions, decided before the evaluator
 * (review/rehearsal/encryption-context.ts): what holds is removed, what does
 * not is replaced by a condition no request meets, everything else is left
 * to the evaluator.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { evaluateHop } from '../../../review/rehearsal/evaluate';
import {
  decideEncryptionContext,
  UNMET_ENCRYPTION_CONTEXT,
} from '../../../review/rehearsal/encryption-context';
import type { Hop } from '../../../review/rehearsal';
import type { PolicyDocument } from '../../../review/rehearsal/resolve';

const ACCOUNT = '123456789012';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:iam-onboarding-welcome-queue`;
const OTHER_QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:someone-elses-queue`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`;
const SQS_CONTEXT = 'kms:EncryptionContext:aws:sqs:arn';

const statement = (condition: Record<string, Record<string, string | string[]>>) => ({
  Sid: 'SnsEncryptsForQueue',
  Effect: 'Allow',
  Principal: { Service: 'sns.amazonaws.com' },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
  Condition: condition,
});
const policy = (...statements: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});
/** The one statement's condition after deciding (undefined: the condition is gone). */
const decided = (
  condition: Record<string, Record<string, string | string[]>>,
  context: Record<string, string | string[]>,
) =>
  (
    decideEncryptionContext(policy(statement(condition)), context).Statement as Record<
      string,
      unknown
    >[]
  )[0].Condition;

describe('decideEncryptionContext', () => {
  it.each([
    ['StringEquals, the value', { StringEquals: { [SQS_CONTEXT]: QUEUE } }],
    ['StringEquals, one of a list', { StringEquals: { [SQS_CONTEXT]: [OTHER_QUEUE, QUEUE] } }],
    [
      'StringLike, a wildcard',
      { StringLike: { [SQS_CONTEXT]: `arn:aws:sqs:*:${ACCOUNT}:iam-onboarding-*` } },
    ],
    [
      'StringLike, a ? wildcard',
      {
        StringLike: {
          [SQS_CONTEXT]: `arn:aws:sqs:us-east-?:${ACCOUNT}:iam-onboarding-welcome-queue`,
        },
      },
    ],
  ])('%s: holds, so the condition is removed', (_what, condition) => {
    expect(decided(condition, { [SQS_CONTEXT]: QUEUE })).toBeUndefined();
  });

  it.each([
    ['StringEquals, another queue', { StringEquals: { [SQS_CONTEXT]: OTHER_QUEUE } }, QUEUE],
    [
      'StringEquals, case matters in values',
      { StringEquals: { [SQS_CONTEXT]: QUEUE.toUpperCase() } },
      QUEUE,
    ],
    [
      'StringLike, a pattern that does not match',
      { StringLike: { [SQS_CONTEXT]: `arn:aws:sqs:*:${ACCOUNT}:other-*` } },
      QUEUE,
    ],
    [
      'StringLike, dots are not wildcards',
      { StringLike: { [SQS_CONTEXT]: 'arn:aws:sqs:us-east-1:123456789012:a.b' } },
      'arn:aws:sqs:us-east-1:123456789012:axb',
    ],
  ])('%s: unmet, so the condition cannot hold', (_what, condition, value) => {
    expect(decided(condition, { [SQS_CONTEXT]: value })).toEqual(UNMET_ENCRYPTION_CONTEXT);
  });

  it('a request without the context key does not meet the condition', () => {
    expect(decided({ StringEquals: { [SQS_CONTEXT]: QUEUE } }, {})).toEqual(
      UNMET_ENCRYPTION_CONTEXT,
    );
    expect(
      decided(
        { StringEquals: { [SQS_CONTEXT]: QUEUE } },
        { 'kms:EncryptionContext:aws:sns:topicArn': QUEUE },
      ),
    ).toEqual(UNMET_ENCRYPTION_CONTEXT);
  });

  it('matches the context key whatever its case, in the policy or in the request', () => {
    expect(
      decided(
        { StringEquals: { 'KMS:ENCRYPTIONCONTEXT:AWS:SQS:ARN': QUEUE } },
        { [SQS_CONTEXT]: QUEUE },
      ),
    ).toBeUndefined();
    expect(
      decided(
        { StringEquals: { [SQS_CONTEXT]: QUEUE } },
        { 'kms:encryptioncontext:aws:sqs:arn': QUEUE },
      ),
    ).toBeUndefined();
  });

  it('leaves other operators on the context key to the evaluator', () => {
    for (const operator of [
      'StringNotEquals',
      'StringEqualsIgnoreCase',
      'ForAnyValue:StringEquals',
      'StringEqualsIfExists',
    ]) {
      const condition = { [operator]: { [SQS_CONTEXT]: OTHER_QUEUE } };
      expect(decided(condition, { [SQS_CONTEXT]: QUEUE })).toEqual(condition);
    }
  });

  it('keeps the other condition keys of the statement', () => {
    const condition = {
      StringEquals: { [SQS_CONTEXT]: QUEUE, 'kms:CallerAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:*` },
    };
    expect(decided(condition, { [SQS_CONTEXT]: QUEUE })).toEqual({
      StringEquals: { 'kms:CallerAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:*` },
    });
    // Unmet: the statement cannot apply, whatever the rest says.
    expect(decided(condition, { [SQS_CONTEXT]: OTHER_QUEUE })).toEqual(UNMET_ENCRYPTION_CONTEXT);
  });

  it('leaves statements without such conditions, and the input, untouched', () => {
    const plain = { Sid: 'Root', Effect: 'Allow', Action: 'kms:*', Resource: '*' };
    const source = { StringEquals: { 'aws:SourceAccount': ACCOUNT } };
    const input = policy(
      plain,
      statement(source),
      statement({ StringEquals: { [SQS_CONTEXT]: QUEUE } }),
    );
    const copy = JSON.parse(JSON.stringify(input)) as PolicyDocument;
    const out = decideEncryptionContext(input, { [SQS_CONTEXT]: OTHER_QUEUE });
    expect(out.Statement).toEqual([
      plain,
      statement(source),
      statement(UNMET_ENCRYPTION_CONTEXT as unknown as Record<string, Record<string, string>>),
    ]);
    expect(input).toEqual(copy);
    // A single statement object (not a list) is read too.
    const { Condition: _held, ...bare } = statement({ StringEquals: { [SQS_CONTEXT]: QUEUE } });
    const single = { Statement: statement({ StringEquals: { [SQS_CONTEXT]: QUEUE } }) };
    expect(decideEncryptionContext(single, { [SQS_CONTEXT]: QUEUE }).Statement).toEqual([bare]);
  });
});

describe('through the evaluator', () => {
  const keyPolicy = policy(statement({ StringEquals: { [SQS_CONTEXT]: QUEUE } }));
  const hop = (context: Record<string, string>): Hop => ({
    name: 'sns -> key',
    principal: 'sns.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: KEY,
    context,
    identityPolicies: [],
    resourcePolicy: { label: 'key policy of k', document: keyPolicy, unresolved: [] },
    expect: 'allowed',
  });

  it('allows the queue the key statement names, and only it', async () => {
    expect((await evaluateHop(hop({ [SQS_CONTEXT]: QUEUE }), ACCOUNT)).status).toBe('allowed');
    const other = await evaluateHop(hop({ [SQS_CONTEXT]: OTHER_QUEUE }), ACCOUNT);
    expect(other.status).toBe('DENIED');
    expect(other.reason).toContain('SnsEncryptsForQueue: its condition does not hold');
  });

  // Why the workaround exists. When this fails, iam-simulate reads these keys
  // itself: encryption-context.ts can go (README, "What the rehearsal checks").
  it('iam-simulate alone drops kms:EncryptionContext:* request keys', async () => {
    const simulate = (resourcePolicy: PolicyDocument) =>
      runSimulation(
        {
          request: {
            principal: 'sns.amazonaws.com',
            action: 'kms:GenerateDataKey',
            resource: { resource: KEY, accountId: ACCOUNT },
            contextVariables: { [SQS_CONTEXT]: QUEUE },
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy,
        },
        { simulationMode: 'Strict' },
      );
    // The same request and statement, without the condition: allowed, so only the condition fails.
    const { Condition: _c, ...unconditioned } = statement({});
    const outcome = async (p: PolicyDocument) => {
      const result = await simulate(p);
      return result.resultType === 'error' ? result.errors : result.overallResult;
    };
    expect(await outcome(policy(unconditioned))).toBe('Allowed');
    expect(await outcome(keyPolicy)).toBe('ImplicitlyDenied');
  });
});

/**
 * The expiry schedule as synthesized: a daily rule putting EXPIRE_REQUEST
 * into the welcome queue, admitted by the queue and the dead-letter queue,
 * watched by an alarm, with the limit in the function's environment and the
 * expired tag in its role; nothing of it when settings turn expiry off. The
 * reconcile schedule, now built by the same construct, keeps its addresses.
 */
import { Testing, TerraformStack } from 'cdktf';
import { EXPIRE_REQUEST, EXPIRED_TAG_KEY, WELCOME_ENV } from '../../shared/contract';
import { QueueSchedule } from '../../stacks/queue-schedule';
import { PIPELINE_NAMES } from '../../stacks/welcome-pipeline';
import {
  only,
  ref,
  resourcesOf,
  statement,
  statements,
  synthStack,
  trailNoZone,
  zoneNoTrail,
  type TfConfig,
} from '../support/stack';

const ACCOUNT = '123456789012';
const EXPIRY_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${PIPELINE_NAMES.expiryRule}`;

const on = synthStack(trailNoZone()).config;
const off = synthStack({
  ...trailNoZone(),
  expiry: { ...trailNoZone().expiry, enabled: false },
}).config;

const queueArn = (c: TfConfig) =>
  ref(c, 'aws_sqs_queue', { name: PIPELINE_NAMES.requestQueue }, 'arn');
const dlqArn = (c: TfConfig) =>
  ref(c, 'aws_sqs_queue', { name: PIPELINE_NAMES.deadLetterQueue }, 'arn');
const queuePolicy = (c: TfConfig, name: string) =>
  only(c, 'aws_sqs_queue_policy', { queue_url: ref(c, 'aws_sqs_queue', { name }, 'url') }).policy;
const fnEnv = (c: TfConfig) =>
  (only(c, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables;
const rolePolicy = (c: TfConfig) => only(c, 'aws_iam_role_policy').policy;

describe('expiry on (the default)', () => {
  test('a daily rule puts the fixed expire request into the welcome queue; what fails goes to the dead-letter queue', () => {
    const rule = only(on, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.expiryRule });
    expect(rule).toMatchObject({ schedule_expression: 'rate(1 day)', state: 'ENABLED' });
    const target = only(on, 'aws_cloudwatch_event_target', {
      rule: ref(on, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.expiryRule }, 'name'),
    });
    expect(target).toMatchObject({
      arn: queueArn(on),
      input: JSON.stringify(EXPIRE_REQUEST),
      dead_letter_config: { arn: dlqArn(on) },
      retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 },
    });
    expect(JSON.parse(String(target.input))).toEqual({ 'iam-onboarding': 'expire' });
  });

  test('the welcome queue and the dead-letter queue admit the rule, by its ARN', () => {
    expect(
      statement(queuePolicy(on, PIPELINE_NAMES.requestQueue), 'RulesSendRequests'),
    ).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': expect.arrayContaining([EXPIRY_ARN]) } },
    });
    const dlq = statements(queuePolicy(on, PIPELINE_NAMES.deadLetterQueue)).find(
      (s) => (s.Principal as { Service?: string }).Service === 'events.amazonaws.com',
    );
    expect(dlq?.Condition?.ArnEquals?.['aws:SourceArn']).toContain(EXPIRY_ARN);
  });

  test('an alarm when EventBridge cannot deliver the request', () => {
    expect(
      only(on, 'aws_cloudwatch_metric_alarm', {
        dimensions: { RuleName: PIPELINE_NAMES.expiryRule },
      }),
    ).toMatchObject({
      alarm_name: 'iam-onboarding-expiry-failed-invocations',
      namespace: 'AWS/Events',
      metric_name: 'FailedInvocations',
      threshold: 1,
      alarm_actions: [ref(on, 'aws_sns_topic', { name: PIPELINE_NAMES.alertsTopic }, 'arn')],
    });
  });

  test('the function gets the limit, and may write the expired tag only, on managed users only', () => {
    expect(fnEnv(on)[WELCOME_ENV.unusedPasswordDays]).toBe('7');
    expect(statement(rolePolicy(on), 'MarkManagedUsersExpired')).toEqual({
      Sid: 'MarkManagedUsersExpired',
      Effect: 'Allow',
      Action: 'iam:TagUser',
      Resource: `arn:aws:iam::${ACCOUNT}:user/iam-onboarding/*`,
      Condition: {
        StringEquals: { 'iam:ResourceTag/managed-by': 'iam-onboarding' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [EXPIRED_TAG_KEY] },
      },
    });
  });

  test('follows the settings: days and schedule', () => {
    const example = synthStack(zoneNoTrail()).config;
    expect(fnEnv(example)[WELCOME_ENV.unusedPasswordDays]).toBe('14');
    expect(
      only(example, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.expiryRule })
        .schedule_expression,
    ).toBe('cron(0 6 * * ? *)');
    const weekly = synthStack({
      ...zoneNoTrail(),
      expiry: { enabled: true, unusedPasswordDays: 30, schedule: 'cron(0 6 ? * MON *)' },
    }).config;
    expect(fnEnv(weekly)[WELCOME_ENV.unusedPasswordDays]).toBe('30');
    expect(
      only(weekly, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.expiryRule })
        .schedule_expression,
    ).toBe('cron(0 6 ? * MON *)');
  });
});

describe('expiry off', () => {
  test('no rule, no alarm, no admission, no setting, no expired-tag grant', () => {
    expect(
      Object.values(resourcesOf(off, 'aws_cloudwatch_event_rule')).map((r) => r.name),
    ).not.toContain(PIPELINE_NAMES.expiryRule);
    expect(JSON.stringify(resourcesOf(off, 'aws_cloudwatch_metric_alarm'))).not.toContain(
      PIPELINE_NAMES.expiryRule,
    );
    expect(String(queuePolicy(off, PIPELINE_NAMES.requestQueue))).not.toContain(EXPIRY_ARN);
    expect(String(queuePolicy(off, PIPELINE_NAMES.deadLetterQueue))).not.toContain(EXPIRY_ARN);
    expect(fnEnv(off)).not.toHaveProperty(WELCOME_ENV.unusedPasswordDays);
    expect(String(rolePolicy(off))).not.toContain(EXPIRED_TAG_KEY);
  });
});

test('the reconcile schedule keeps its Terraform addresses (moving them would replace the rule)', () => {
  // The names cdktf derived before QueueSchedule existed (construct path + hash).
  expect(Object.keys(resourcesOf(on, 'aws_cloudwatch_event_rule'))).toContain(
    'pipeline_reconcile_rule_FDFE0CB0',
  );
  expect(Object.keys(resourcesOf(on, 'aws_cloudwatch_event_target'))).toContain(
    'pipeline_reconcile_target_B4BF1C7E',
  );
  expect(
    resourcesOf(on, 'aws_cloudwatch_event_rule').pipeline_reconcile_rule_FDFE0CB0,
  ).toMatchObject({
    name: PIPELINE_NAMES.reconcileRule,
    description: 'iam-onboarding: periodic reconcile, welcomes managed users never welcomed',
    schedule_expression: 'rate(1 hour)',
  });
});

describe('QueueSchedule input checks', () => {
  const build = (props: Partial<ConstructorParameters<typeof QueueSchedule>[2]>) => () => {
    const stack = new TerraformStack(Testing.app(), 'checks');
    new QueueSchedule(stack, 'schedule', {
      accountId: ACCOUNT,
      name: 'ok-name',
      description: 'test',
      scheduleExpression: 'rate(1 day)',
      body: EXPIRE_REQUEST,
      requestQueueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
      deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      ...props,
    });
  };

  test('a valid schedule is accepted', () => {
    expect(build({})).not.toThrow();
  });

  test('a bad expression, name and event age are each named', () => {
    expect(build({ scheduleExpression: 'daily' })).toThrow(/scheduleExpression/);
    expect(build({ name: 'bad name!' })).toThrow(/name "bad name!" may hold only/);
    expect(build({ maximumEventAgeSeconds: 10 })).toThrow(/maximumEventAgeSeconds/);
  });
});

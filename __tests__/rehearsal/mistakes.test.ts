/**
 * Injected mistakes: each breaks one grant in a configuration and must make
 * the rehearsal report that hop, by name, as DENIED (so the run exits 1).
 */
import { rehearse, summarize, type Verdict } from '../../lib/rehearsal';
import { trailNoZone } from '../pipeline/support';
import {
  editPolicy,
  resource,
  sqsTriggerConfig,
  synthesizedConfig,
  withoutAction,
  withoutService,
  withoutStatementsFor,
  type MutableConfig,
} from './support';

async function denied(config: MutableConfig): Promise<Map<string, Verdict>> {
  const { verdicts } = await rehearse(config);
  expect(summarize(verdicts).failures).toBeGreaterThan(0);
  return new Map(verdicts.filter((v) => v.status === 'DENIED').map((v) => [v.hop.name, v]));
}

describe('mistakes in today’s synthesized pipeline', () => {
  it('the topic policy without the events statement', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(
      resource(config, 'aws_sns_topic_policy', {
        arn: '${aws_sns_topic.pipeline_topic_6234EDEE.arn}',
      }),
      withoutStatementsFor('events.amazonaws.com'),
    );
    const d = await denied(config);
    expect(d.get('events -> topic iam-onboarding-user-created: sns:Publish')?.reason).toBe(
      'topic policy of iam-onboarding-user-created has no statement allowing events.amazonaws.com sns:Publish',
    );
  });

  it('the role without sqs:SendMessage to its on-failure destination', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(resource(config, 'aws_iam_role_policy'), withoutAction('sqs:SendMessage'));
    const d = await denied(config);
    expect(
      d.get(
        'role iam-onboarding-welcome -> on-failure queue iam-onboarding-welcome-failures: sqs:SendMessage',
      )?.reason,
    ).toMatch(
      /^no statement in role policy welcome allows sqs:SendMessage on arn:aws:sqs:us-east-1:123456789012:iam-onboarding-welcome-failures/,
    );
  });

  it('no Lambda permission for the topic', async () => {
    const config = synthesizedConfig(trailNoZone());
    delete config.resource.aws_lambda_permission;
    const d = await denied(config);
    expect(d.get('sns -> function iam-onboarding-welcome: lambda:InvokeFunction')?.reason).toBe(
      'there is no resource policy to allow sns.amazonaws.com',
    );
  });

  it('a Lambda permission for another topic', async () => {
    const config = synthesizedConfig(trailNoZone());
    const permission = resource(config, 'aws_lambda_permission');
    permission.source_arn = 'arn:aws:sns:us-east-1:123456789012:someone-elses-topic';
    const d = await denied(config);
    expect(
      d.get('sns -> function iam-onboarding-welcome: lambda:InvokeFunction')?.reason,
    ).toContain('AllowInvokeFromWelcomeTopic: its condition does not hold');
  });

  it('a key policy without the account (root) statement', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(resource(config, 'aws_kms_key'), (s) =>
      s.filter((x) => !JSON.stringify(x.Principal).includes(':root')),
    );
    const d = await denied(config);
    for (const action of ['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion']) {
      expect(d.get(`account root -> key iam-onboarding: ${action}`)?.reason).toBe(
        `key policy of iam-onboarding has no statement allowing arn:aws:iam::123456789012:root ${action}`,
      );
    }
  });

  it('the alerts topic without the cloudwatch statement', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(
      resource(config, 'aws_sns_topic_policy', {
        arn: '${aws_sns_topic.pipeline_alerts_topic_634EA807.arn}',
      }),
      withoutStatementsFor('cloudwatch.amazonaws.com'),
    );
    const d = await denied(config);
    const alarmHops = [...d.keys()].filter((n) =>
      n.startsWith('cloudwatch -> topic iam-onboarding-alerts: sns:Publish'),
    );
    expect(alarmHops).toHaveLength(5);
    expect(alarmHops).toContain(
      'cloudwatch -> topic iam-onboarding-alerts: sns:Publish (alarm iam-onboarding-dead-letters)',
    );
  });

  it('an explicit deny is named', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(resource(config, 'aws_iam_role_policy'), (s) => [
      ...s,
      { Sid: 'NoEmail', Effect: 'Deny', Action: 'ses:SendEmail', Resource: '*' },
    ]);
    const d = await denied(config);
    expect(
      d.get('role iam-onboarding-welcome -> identity example.com: ses:SendEmail')?.reason,
    ).toBe('explicit deny NoEmail in role policy welcome');
  });
});

describe('mistakes in the new shape (fixture)', () => {
  it('a role Lambda may not assume', async () => {
    const config = sqsTriggerConfig();
    const role = resource(config, 'aws_iam_role');
    role.assume_role_policy = (role.assume_role_policy as string).replace(
      'lambda.amazonaws.com',
      'ec2.amazonaws.com',
    );
    const d = await denied(config);
    expect([...d.keys()]).toEqual(['lambda -> role iam-onboarding-welcome: sts:AssumeRole']);
  });

  it('the key policy without sns.amazonaws.com: SNS cannot write to the encrypted queue', async () => {
    const config = sqsTriggerConfig();
    editPolicy(resource(config, 'aws_kms_key'), withoutService('sns.amazonaws.com'));
    const d = await denied(config);
    expect([...d.keys()]).toEqual([
      'sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:GenerateDataKey',
      'sns -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:Decrypt',
    ]);
    expect(d.values().next().value?.reason).toBe(
      'key policy of iam-onboarding has no statement allowing sns.amazonaws.com kms:GenerateDataKey',
    );
  });

  it('the role without sqs:ReceiveMessage on the queue it is triggered by', async () => {
    const config = sqsTriggerConfig();
    editPolicy(resource(config, 'aws_iam_role_policy'), withoutAction('sqs:ReceiveMessage'));
    const d = await denied(config);
    expect([...d.keys()]).toEqual([
      'role iam-onboarding-welcome -> queue iam-onboarding-welcome-queue: sqs:ReceiveMessage',
    ]);
  });

  it('the role without kms:Decrypt on the queue’s key', async () => {
    const config = sqsTriggerConfig();
    editPolicy(resource(config, 'aws_iam_role_policy'), withoutAction('kms:Decrypt'));
    const d = await denied(config);
    expect([...d.keys()]).toEqual([
      'role iam-onboarding-welcome -> key iam-onboarding (of queue iam-onboarding-welcome-queue): kms:Decrypt',
    ]);
  });

  it('the dead-letter queue policy without the events statement', async () => {
    const config = sqsTriggerConfig();
    editPolicy(
      resource(config, 'aws_sqs_queue_policy', { queue_url: '${aws_sqs_queue.dead-letters.url}' }),
      withoutStatementsFor('events.amazonaws.com'),
    );
    const d = await denied(config);
    expect([...d.keys()]).toEqual([
      'events -> dead-letter queue iam-onboarding-welcome-failures: sqs:SendMessage',
    ]);
  });

  it('a KMS-encrypted dead-letter queue whose key does not admit events', async () => {
    const config = sqsTriggerConfig();
    resource(config, 'aws_sqs_queue', {
      name: 'iam-onboarding-welcome-failures',
    }).kms_master_key_id = '${aws_kms_key.key.arn}';
    delete resource(config, 'aws_sqs_queue', { name: 'iam-onboarding-welcome-failures' })
      .sqs_managed_sse_enabled;
    editPolicy(resource(config, 'aws_kms_key'), withoutService('events.amazonaws.com'));
    const d = await denied(config);
    expect([...d.keys()]).toEqual(
      expect.arrayContaining([
        'events -> key iam-onboarding (of queue iam-onboarding-welcome-failures): kms:GenerateDataKey',
        'events -> key iam-onboarding (of topic iam-onboarding-user-created): kms:GenerateDataKey',
      ]),
    );
  });

  it('a queue encrypted with the AWS-managed key: services cannot use it', async () => {
    const config = sqsTriggerConfig();
    resource(config, 'aws_sqs_queue', { name: 'iam-onboarding-welcome-queue' }).kms_master_key_id =
      'alias/aws/sqs';
    const d = await denied(config);
    expect(
      d.get('sns -> key aws/sqs (of queue iam-onboarding-welcome-queue): kms:GenerateDataKey')
        ?.reason,
    ).toContain('AWS-managed key');
  });

  it('an unresolvable reference in a policy is a denial, never a match', async () => {
    const config = sqsTriggerConfig();
    editPolicy(resource(config, 'aws_iam_role_policy'), (s) =>
      s.map((x) =>
        x.Sid === 'ReadWelcomeQueue' ? { ...x, Resource: '${aws_sqs_queue.gone.arn}' } : x,
      ),
    );
    const d = await denied(config);
    expect(
      d.get('role iam-onboarding-welcome -> queue iam-onboarding-welcome-queue: sqs:ReceiveMessage')
        ?.reason,
    ).toContain('cannot resolve: ${aws_sqs_queue.gone.arn}');
  });
});

/**
 * Injected mistakes in today's synthesized pipeline (config/settings.json):
 * each breaks one grant or one condition, and must make the rehearsal report
 * exactly the hops it breaks, by name: DENIED for a hop the flow needs, OPEN
 * for a request the role must refuse. Either fails the run (exit 1, see
 * cli.test.ts).
 */
import { rehearse, summarize, type Status, type Verdict } from '../../../review/rehearsal';
import { trailNoZone } from '../../support/stack';
import {
  editPolicy,
  editStatement,
  policyOf,
  resource,
  synthesizedConfig,
  withoutAction,
  withoutCondition,
  withoutStatement,
  withoutStatementsFor,
  type MutableConfig,
} from '../../support/rehearsal';

const ACCOUNT = '123456789012';
const TOPIC = 'iam-onboarding-user-created';
const QUEUE = 'iam-onboarding-welcome-queue';
const DLQ = 'iam-onboarding-welcome-failures';
const ROLE = 'role iam-onboarding-welcome';
const USER_RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/iam-onboarding-user-created`;
const RECONCILE_RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/iam-onboarding-reconcile`;
const EXPIRY_RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/iam-onboarding-expire-passwords`;
/** The SES feedback topic's delivery into the same queue (ses-feedback.ts) is named by its topic. */
const FROM_FEEDBACK = ' (from topic iam-onboarding-ses-feedback)';

const config = (): MutableConfig => synthesizedConfig(trailNoZone());
const key = (c: MutableConfig) => resource(c, 'aws_kms_key');
const rolePolicy = (c: MutableConfig) => resource(c, 'aws_iam_role_policy');

/** The failing verdicts of a broken configuration, in hop order (the run must fail). */
async function failing(c: MutableConfig, status: Status = 'DENIED'): Promise<Verdict[]> {
  const { verdicts } = await rehearse(c);
  expect(summarize(verdicts).failures).toBeGreaterThan(0);
  return verdicts.filter((v) => v.status === status);
}
const names = (vs: readonly Verdict[]) => vs.map((v) => v.hop.name);

describe('named in the issue: each reported DENIED by hop name', () => {
  it('the topic policy without the events statement', async () => {
    const c = config();
    editPolicy(policyOf(c, 'aws_sns_topic', TOPIC), withoutStatementsFor('events.amazonaws.com'));
    const d = await failing(c);
    expect(names(d)).toEqual([`events -> topic ${TOPIC}: sns:Publish`]);
    expect(d[0].reason).toBe(
      `topic policy of ${TOPIC} has no statement allowing events.amazonaws.com sns:Publish`,
    );
  });

  it('the queue’s key without the SNS grant (SnsEncryptsForQueue)', async () => {
    const c = config();
    editPolicy(key(c), withoutStatement('SnsEncryptsForQueue'));
    const d = await failing(c);
    expect(names(d)).toEqual([
      `sns -> key iam-onboarding (of queue ${QUEUE}): kms:GenerateDataKey`,
      `sns -> key iam-onboarding (of queue ${QUEUE}): kms:Decrypt`,
      `sns -> key iam-onboarding (of queue ${QUEUE}): kms:GenerateDataKey${FROM_FEEDBACK}`,
      `sns -> key iam-onboarding (of queue ${QUEUE}): kms:Decrypt${FROM_FEEDBACK}`,
    ]);
    expect(d[0].reason).toBe(
      'key policy of iam-onboarding has no statement allowing sns.amazonaws.com kms:GenerateDataKey',
    );
  });

  it('the role without sqs:SendMessage (UseWelcomeQueue): the reconcile run cannot queue welcomes', async () => {
    const c = config();
    editPolicy(rolePolicy(c), withoutAction('sqs:SendMessage'));
    const d = await failing(c);
    expect(names(d)).toEqual([`${ROLE} -> queue ${QUEUE}: sqs:SendMessage`]);
    expect(d[0].reason).toMatch(
      new RegExp(
        `^no statement in role policy welcome allows sqs:SendMessage on arn:aws:sqs:us-east-1:${ACCOUNT}:${QUEUE}`,
      ),
    );
  });
});

describe('the encryption context is checked', () => {
  it.each([
    [
      'EventsEncryptsForTopic names another topic',
      'EventsEncryptsForTopic',
      'kms:EncryptionContext:aws:sns:topicArn',
      `arn:aws:sns:us-east-1:${ACCOUNT}:iam-onboarding-alerts`,
      `events -> key iam-onboarding (of topic ${TOPIC})`,
    ],
    [
      'SnsEncryptsForQueue names another queue',
      'SnsEncryptsForQueue',
      'kms:EncryptionContext:aws:sqs:arn',
      `arn:aws:sqs:us-east-1:${ACCOUNT}:${DLQ}`,
      `sns -> key iam-onboarding (of queue ${QUEUE})`,
    ],
    [
      'EventsEncryptsForQueue conditions on the topic context key instead',
      'EventsEncryptsForQueue',
      'kms:EncryptionContext:aws:sns:topicArn',
      `arn:aws:sqs:us-east-1:${ACCOUNT}:${QUEUE}`,
      `events -> key iam-onboarding (of queue ${QUEUE})`,
    ],
  ])('%s', async (_what, sid, contextKey, value, hop) => {
    const c = config();
    editPolicy(
      key(c),
      editStatement(sid, (s) => ({ ...s, Condition: { StringEquals: { [contextKey]: [value] } } })),
    );
    const d = await failing(c);
    // Services' KMS requests carry no aws:SourceArn: one pair per sender, and
    // for the queue those are the two schedules (expiry, reconcile); SNS uses
    // the key for the queue for both topics that deliver into it.
    const pair = [`${hop}: kms:GenerateDataKey`, `${hop}: kms:Decrypt`];
    const twice = hop === `events -> key iam-onboarding (of queue ${QUEUE})`;
    const alsoFromFeedback = hop.startsWith('sns ->')
      ? [`${hop}: kms:GenerateDataKey${FROM_FEEDBACK}`, `${hop}: kms:Decrypt${FROM_FEEDBACK}`]
      : [];
    expect(names(d)).toEqual([...(twice ? [...pair, ...pair] : pair), ...alsoFromFeedback]);
    expect(d[0].reason).toContain(
      `key policy of iam-onboarding has no statement allowing ${d[0].hop.principal} kms:GenerateDataKey (`,
    );
    expect(d[0].reason).toContain(`${sid}: its condition does not hold`);
  });

  it('a KMS-encrypted dead-letter queue: no key statement names it, so no service may use the key for it', async () => {
    const c = config();
    const dlq = resource(c, 'aws_sqs_queue', { name: DLQ });
    dlq.kms_master_key_id = resource(c, 'aws_sqs_queue', { name: QUEUE }).kms_master_key_id;
    delete dlq.sqs_managed_sse_enabled;
    const d = await failing(c);
    const forDlq = `key iam-onboarding (of queue ${DLQ})`;
    expect(names(d)).toEqual([
      `events -> ${forDlq}: kms:GenerateDataKey`,
      `events -> ${forDlq}: kms:Decrypt`,
      `events -> ${forDlq}: kms:GenerateDataKey`,
      `events -> ${forDlq}: kms:Decrypt`,
      `events -> ${forDlq}: kms:GenerateDataKey`,
      `events -> ${forDlq}: kms:Decrypt`,
      `sns -> ${forDlq}: kms:GenerateDataKey`,
      `sns -> ${forDlq}: kms:Decrypt`,
      `sns -> ${forDlq}: kms:GenerateDataKey${FROM_FEEDBACK}`,
      `sns -> ${forDlq}: kms:Decrypt${FROM_FEEDBACK}`,
    ]);
    // One pair per rule whose target redrives there (the expiry schedule's,
    // the reconcile schedule's, then the user-created rule's): the names are alike because KMS requests
    // are rehearsed without aws:SourceArn.
    expect(d.every((v) => v.hop.context['aws:SourceArn'] === undefined)).toBe(true);
  });
});

describe('what the role must refuse: each reported OPEN when its condition is dropped', () => {
  it('without the iam:ResourceTag condition, the calls on an untagged user under the path are open', async () => {
    const c = config();
    const noTag = withoutCondition('iam:ResourceTag/managed-by');
    editPolicy(rolePolicy(c), (s) =>
      editStatement(
        'MarkManagedUsersWelcomed',
        noTag,
      )(editStatement('WelcomeManagedUsersOnly', noTag)(s)),
    );
    const open = await failing(c, 'OPEN');
    expect(names(open)).toEqual([
      `${ROLE} -> user iam-onboarding/untagged: iam:CreateLoginProfile`,
      `${ROLE} -> user iam-onboarding/untagged: iam:DeleteLoginProfile`,
      `${ROLE} -> user iam-onboarding/untagged: iam:GetLoginProfile`,
      `${ROLE} -> user iam-onboarding/untagged: iam:ListAccessKeys`,
      `${ROLE} -> user iam-onboarding/untagged: iam:UpdateAccessKey`,
      `${ROLE} -> user iam-onboarding/untagged: iam:TagUser`,
    ]);
    expect(open[0].reason).toBe(
      'must be refused, but WelcomeManagedUsersOnly (role policy welcome) allows it',
    );
    expect(names(await failing(c))).toEqual([]);
  });

  it('TagUser without the aws:TagKeys condition may rewrite the email tag and the resend request', async () => {
    const c = config();
    editPolicy(
      rolePolicy(c),
      editStatement('MarkManagedUsersWelcomed', withoutCondition('aws:TagKeys')),
    );
    const open = await failing(c, 'OPEN');
    expect(names(open)).toEqual([
      `${ROLE} -> user iam-onboarding/new.person (rewrite the email tag): iam:TagUser`,
      `${ROLE} -> user iam-onboarding/new.person (write the resend request tag): iam:TagUser`,
      `${ROLE} -> user iam-onboarding/new.person (rewrite the email tag along with a tag it may write): iam:TagUser`,
    ]);
    expect(open[0].reason).toBe(
      'must be refused, but MarkManagedUsersWelcomed (role policy welcome) allows it',
    );
  });

  it('SES without the ses:FromAddress condition may send as another address', async () => {
    const c = config();
    editPolicy(
      rolePolicy(c),
      editStatement('SendAsTheSenderOnly', withoutCondition('ses:FromAddress')),
    );
    const open = await failing(c, 'OPEN');
    expect(names(open)).toEqual([
      `${ROLE} -> identity example.com (send as another address): ses:SendEmail`,
    ]);
  });

  it('a sender address the condition does not name: the function cannot send at all', async () => {
    const c = config();
    editPolicy(
      rolePolicy(c),
      editStatement('SendAsTheSenderOnly', (s) => ({
        ...s,
        Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
      })),
    );
    expect(names(await failing(c))).toEqual([`${ROLE} -> identity example.com: ses:SendEmail`]);
  });
});

describe('other mistakes', () => {
  it('the alerts topic without the cloudwatch statement: every alarm', async () => {
    const c = config();
    editPolicy(
      policyOf(c, 'aws_sns_topic', 'iam-onboarding-alerts'),
      withoutStatementsFor('cloudwatch.amazonaws.com'),
    );
    const d = await failing(c);
    const alarms = Object.values(c.resource.aws_cloudwatch_metric_alarm).map((a) => a.alarm_name);
    // Ten for the pipeline, four for admin notices and SES feedback (notice-alarms.ts).
    expect(alarms).toHaveLength(14);
    expect(names(d)).toEqual(
      alarms.map(
        (a) => `cloudwatch -> topic iam-onboarding-alerts: sns:Publish (alarm ${String(a)})`,
      ),
    );
  });

  it('the welcome queue without its policy: neither SNS nor the reconcile schedule may send', async () => {
    const c = config();
    const queuePolicies = c.resource.aws_sqs_queue_policy;
    const welcomePolicy = policyOf(c, 'aws_sqs_queue', QUEUE);
    const [name] = Object.entries(queuePolicies).find(([, p]) => p === welcomePolicy)!;
    delete queuePolicies[name];
    const d = await failing(c);
    expect(names(d)).toEqual([
      `events -> queue ${QUEUE}: sqs:SendMessage`,
      `events -> queue ${QUEUE}: sqs:SendMessage`,
      `sns -> queue ${QUEUE}: sqs:SendMessage`,
      `sns -> queue ${QUEUE}: sqs:SendMessage${FROM_FEEDBACK}`,
    ]);
    expect(d.map((v) => v.hop.context['aws:SourceArn']).slice(0, 2)).toEqual([
      EXPIRY_RULE,
      RECONCILE_RULE,
    ]);
    expect(d[2].reason).toBe('there is no resource policy to allow sns.amazonaws.com');
  });

  it('the queue policy names another topic', async () => {
    const c = config();
    editPolicy(
      policyOf(c, 'aws_sqs_queue', QUEUE),
      editStatement('TopicDeliversCreateUserEvents', (s) => ({
        ...s,
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:someone-elses-topic` },
        },
      })),
    );
    const d = await failing(c);
    expect(names(d)).toEqual([`sns -> queue ${QUEUE}: sqs:SendMessage`]);
    expect(d[0].reason).toContain('TopicDeliversCreateUserEvents: its condition does not hold');
  });

  it('the dead-letter queue policy without the schedules’ rules: only their redrives', async () => {
    const c = config();
    editPolicy(
      policyOf(c, 'aws_sqs_queue', DLQ),
      editStatement('AllowFailuresFromSource0', (s) => ({
        ...s,
        Condition: { ArnEquals: { 'aws:SourceArn': [USER_RULE] } },
      })),
    );
    const d = await failing(c);
    expect(names(d)).toEqual([
      `events -> dead-letter queue ${DLQ}: sqs:SendMessage`,
      `events -> dead-letter queue ${DLQ}: sqs:SendMessage`,
    ]);
    expect(d.map((v) => v.hop.context['aws:SourceArn'])).toEqual([EXPIRY_RULE, RECONCILE_RULE]);
  });

  it('a role Lambda may not assume', async () => {
    const c = config();
    const role = resource(c, 'aws_iam_role');
    role.assume_role_policy = (role.assume_role_policy as string).replace(
      'lambda.amazonaws.com',
      'ec2.amazonaws.com',
    );
    expect(names(await failing(c))).toEqual([`lambda -> ${ROLE}: sts:AssumeRole`]);
  });

  it('the role without sqs:ReceiveMessage on the queue it is triggered by', async () => {
    const c = config();
    editPolicy(rolePolicy(c), withoutAction('sqs:ReceiveMessage'));
    expect(names(await failing(c))).toEqual([`${ROLE} -> queue ${QUEUE}: sqs:ReceiveMessage`]);
  });

  it('the role without kms:Decrypt on the queue’s key', async () => {
    const c = config();
    editPolicy(rolePolicy(c), withoutAction('kms:Decrypt'));
    expect(names(await failing(c))).toEqual([
      `${ROLE} -> key iam-onboarding (of queue ${QUEUE}): kms:Decrypt`,
      // SNS also asks for the publisher's Decrypt on the admins' encrypted topic.
      `${ROLE} -> key iam-onboarding (of topic iam-onboarding-admin-notices): kms:Decrypt`,
    ]);
  });

  it('a key policy without the account (root) statement: no administration, and the role’s IAM grant no longer counts', async () => {
    const c = config();
    editPolicy(key(c), withoutStatement('AccountAdministersKeyThroughIam'));
    const d = await failing(c);
    expect(names(d)).toEqual([
      `${ROLE} -> key iam-onboarding (of queue ${QUEUE}): kms:Decrypt`,
      `${ROLE} -> key iam-onboarding (of queue ${QUEUE}): kms:GenerateDataKey`,
      `${ROLE} -> key iam-onboarding (of topic iam-onboarding-admin-notices): kms:GenerateDataKey`,
      `${ROLE} -> key iam-onboarding (of topic iam-onboarding-admin-notices): kms:Decrypt`,
      'account root -> key iam-onboarding: kms:PutKeyPolicy',
      'account root -> key iam-onboarding: kms:DescribeKey',
      'account root -> key iam-onboarding: kms:ScheduleKeyDeletion',
    ]);
    expect(d[4].reason).toBe(
      `key policy of iam-onboarding has no statement allowing arn:aws:iam::${ACCOUNT}:root kms:PutKeyPolicy`,
    );
  });

  it('an explicit deny is named', async () => {
    const c = config();
    editPolicy(rolePolicy(c), (s) => [
      ...s,
      { Sid: 'NoEmail', Effect: 'Deny', Action: 'ses:SendEmail', Resource: '*' },
    ]);
    const d = await failing(c);
    expect(names(d)).toEqual([
      `${ROLE} -> identity example.com: ses:SendEmail`,
      `${ROLE} -> configuration set iam-onboarding-welcome: ses:SendEmail`,
    ]);
    expect(d[0].reason).toBe('explicit deny NoEmail in role policy welcome');
  });

  it('a queue encrypted with the AWS-managed key: services cannot use it', async () => {
    const c = config();
    resource(c, 'aws_sqs_queue', { name: QUEUE }).kms_master_key_id = 'alias/aws/sqs';
    const { verdicts } = await rehearse(c);
    const byName = new Map(verdicts.map((v) => [v.hop.name, v]));
    const sns = byName.get(`sns -> key aws/sqs (of queue ${QUEUE}): kms:GenerateDataKey`);
    expect(sns?.status).toBe('DENIED');
    expect(sns?.reason).toContain('AWS-managed key');
    expect(
      byName.get(`events -> key aws/sqs (of queue ${QUEUE}): kms:GenerateDataKey`)?.status,
    ).toBe('DENIED');
    expect(byName.get(`${ROLE} -> key aws/sqs (of queue ${QUEUE}): kms:Decrypt`)?.status).toBe(
      'skipped',
    );
  });

  it('an unresolvable reference in a policy is a denial, never a match', async () => {
    const c = config();
    editPolicy(
      rolePolicy(c),
      editStatement('UseWelcomeQueue', (s) => ({ ...s, Resource: '${aws_sqs_queue.gone.arn}' })),
    );
    const d = await failing(c);
    // The whole policy is unfit to evaluate: every hop of the role fails, none passes by accident.
    expect(d.length).toBeGreaterThan(20);
    expect(d.every((v) => v.hop.name.startsWith(`${ROLE} -> `))).toBe(true);
    const receive = d.find((v) => v.hop.name === `${ROLE} -> queue ${QUEUE}: sqs:ReceiveMessage`);
    expect(receive?.reason).toContain('cannot resolve: ${aws_sqs_queue.gone.arn}');
  });
});

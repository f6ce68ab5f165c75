/**
 * The rehearsal on real configurations: both settings examples as
 * synthesized today pass end to end, each hop allowed by the statement
 * meant for it and each request the role must refuse refused.
 */
import { MUST_BE_REFUSED, UNMANAGED_USERS } from '../../../review/rehearsal/handler-calls';
import { rehearse, summarize, type Verdict } from '../../../review/rehearsal';
import { trailNoZone, zoneNoTrail } from '../../support/stack';
import { synthesizedConfig } from '../../support/rehearsal';

const ROLE = 'role iam-onboarding-welcome';
const TOPIC = 'iam-onboarding-user-created';
const QUEUE = 'iam-onboarding-welcome-queue';
const KEY_OF = (what: string) => `key iam-onboarding (of ${what})`;

const names = (verdicts: readonly Verdict[], status: Verdict['status']) =>
  verdicts.filter((v) => v.status === status).map((v) => v.hop.name);

describe.each([
  // With admin notices by email and Slack (config/settings.json), and with none.
  ['config/settings.json (trail created, no zone)', trailNoZone, 'example.com', 167],
  ['config/examples/existing-trail-with-zone.json', zoneNoTrail, 'example.org', 154],
])('today’s pipeline with %s', (_label, settings, domain, hopCount) => {
  let verdicts: readonly Verdict[];
  let account: string;
  beforeAll(async () => {
    ({ verdicts, accountId: account } = await rehearse(synthesizedConfig(settings())));
  });

  it('passes end to end: nothing DENIED, OPEN or left unchecked', () => {
    expect(names(verdicts, 'DENIED')).toEqual([]);
    expect(names(verdicts, 'OPEN')).toEqual([]);
    expect(names(verdicts, 'skipped')).toEqual([]);
    expect(summarize(verdicts)).toMatchObject({ failures: 0 });
    expect(verdicts).toHaveLength(hopCount);
    expect(account).toBe(settings().accountId);
  });

  it('covers every hop of the flow, each allowed by the statement meant for it', () => {
    const byName = new Map(verdicts.map((v) => [v.hop.name, v]));
    const expectAllowed = (name: string, sid: string) => {
      expect({ name, status: byName.get(name)?.status }).toEqual({ name, status: 'allowed' });
      expect(byName.get(name)?.reason).toContain(sid);
    };
    // CloudTrail -> EventBridge -> the encrypted topic.
    expectAllowed(`events -> topic ${TOPIC}: sns:Publish`, 'AllowPublishFromSource0');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      expectAllowed(`events -> ${KEY_OF(`topic ${TOPIC}`)}: ${action}`, 'EventsEncryptsForTopic');
    // The hourly schedule -> the encrypted welcome queue.
    expectAllowed(`events -> queue ${QUEUE}: sqs:SendMessage`, 'RulesSendRequests');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      expectAllowed(`events -> ${KEY_OF(`queue ${QUEUE}`)}: ${action}`, 'EventsEncryptsForQueue');
    // The topic -> the encrypted welcome queue.
    expectAllowed(`sns -> queue ${QUEUE}: sqs:SendMessage`, 'TopicDeliversCreateUserEvents');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      expectAllowed(`sns -> ${KEY_OF(`queue ${QUEUE}`)}: ${action}`, 'SnsEncryptsForQueue');
    expectAllowed(
      'sns -> dead-letter queue iam-onboarding-welcome-failures: sqs:SendMessage',
      'AllowFailuresFromSource1',
    );
    expectAllowed(
      'events -> dead-letter queue iam-onboarding-welcome-failures: sqs:SendMessage',
      'AllowFailuresFromSource0',
    );
    expect(
      byName.get('events -> dead-letter queue iam-onboarding-welcome-failures: sqs:SendMessage')
        ?.hop.note,
    ).toBe('SSE-SQS: no key policy involved');
    // The event source mapping polls with the function's role.
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
      expectAllowed(`${ROLE} -> queue ${QUEUE}: ${action}`, 'UseWelcomeQueue');
    expectAllowed(`${ROLE} -> ${KEY_OF(`queue ${QUEUE}`)}: kms:Decrypt`, 'UseWelcomeQueueKey');
    expectAllowed(`lambda -> ${ROLE}: sts:AssumeRole`, 'LambdaAssumesRole');
    // The handler's calls.
    const user = 'user iam-onboarding/new.person';
    for (const action of [
      'iam:GetLoginProfile',
      'iam:CreateLoginProfile',
      'iam:DeleteLoginProfile',
    ])
      expectAllowed(`${ROLE} -> ${user}: ${action}`, 'WelcomeManagedUsersOnly');
    expectAllowed(`${ROLE} -> ${user}: iam:TagUser`, 'MarkManagedUsersWelcomed');
    expectAllowed(`${ROLE} -> ${user} (expired tag): iam:TagUser`, 'MarkManagedUsersExpired');
    expectAllowed(`${ROLE} -> ${user}: iam:GetUser`, 'ReadUsersToDecide');
    expectAllowed(`${ROLE} -> account: iam:ListUsers`, 'AccountLevelReads');
    // The reconcile run queues welcomes: its own send, and its own data key.
    expectAllowed(`${ROLE} -> queue ${QUEUE}: sqs:SendMessage`, 'UseWelcomeQueue');
    expectAllowed(
      `${ROLE} -> ${KEY_OF(`queue ${QUEUE}`)}: kms:GenerateDataKey`,
      'UseWelcomeQueueKey',
    );
    expectAllowed(`${ROLE} -> identity ${domain}: ses:SendEmail`, 'SendAsTheSenderOnly');
    expectAllowed(
      `${ROLE} -> log group /aws/lambda/iam-onboarding-welcome: logs:PutLogEvents`,
      'OwnLogGroupOnly',
    );
    // Alarms -> the encrypted alerts topic.
    expectAllowed(
      `cloudwatch -> ${KEY_OF('topic iam-onboarding-alerts')}: kms:GenerateDataKey (alarm iam-onboarding-dead-letters)`,
      'CloudwatchEncryptsForTopic',
    );
    expectAllowed(
      'account root -> key iam-onboarding: kms:PutKeyPolicy',
      'AccountAdministersKeyThroughIam',
    );
  });

  it('refuses what the role must refuse: calls on users it does not manage but reads, and misuse on one it does', () => {
    // Everything but GetUser and ListUserTags (shared/function-calls.ts: managed-user, managed-user-tag),
    // a suspension's key calls among them.
    const writes = [
      'iam:CreateLoginProfile',
      'iam:DeleteLoginProfile',
      'iam:GetLoginProfile',
      'iam:ListAccessKeys',
      'iam:UpdateAccessKey',
      'iam:TagUser',
    ];
    expect(UNMANAGED_USERS).toContain('iam-onboarding/untagged');
    const ofTheFunction = names(verdicts, 'refused').filter((n) => n.startsWith(ROLE));
    expect(ofTheFunction).toEqual([
      ...writes.flatMap((action) => UNMANAGED_USERS.map((u) => `${ROLE} -> user ${u}: ${action}`)),
      ...UNMANAGED_USERS.map((u) => `${ROLE} -> user ${u} (expired tag): iam:TagUser`),
      ...UNMANAGED_USERS.map((u) => `${ROLE} -> user ${u} (suspension records): iam:TagUser`),
      `${ROLE} -> user iam-onboarding/new.person (rewrite the email tag): iam:TagUser`,
      `${ROLE} -> user iam-onboarding/new.person (write the resend request tag): iam:TagUser`,
      `${ROLE} -> user iam-onboarding/new.person (rewrite the email tag along with a tag it may write): iam:TagUser`,
      `${ROLE} -> identity ${domain} (send as another address): ses:SendEmail`,
      `${ROLE} -> configuration set iam-onboarding-welcome (send as another address): ses:SendEmail`,
    ]);
    expect(MUST_BE_REFUSED.map((r) => r.label)).toEqual([
      'rewrite the email tag',
      'write the resend request tag',
      'rewrite the email tag along with a tag it may write',
      'send as another address',
    ]);
  });

  it('refuses anyone but the deploy role the tags that steer a resend (the shipped SCP)', () => {
    const others = names(verdicts, 'refused').filter((n) => !n.startsWith(ROLE));
    const taggers = others.filter((n) => n.startsWith('role another-tagger '));
    expect(taggers).toHaveLength(14);
    // The rest are the welcome queue's senders other than the pipeline.
    expect(others.filter((n) => !taggers.includes(n))).toEqual([
      `another principal of the account -> queue ${QUEUE} (a forged SES bounce): sqs:SendMessage`,
      `sns -> queue ${QUEUE} (from topic not-the-pipeline): sqs:SendMessage`,
    ]);
    const deploy = verdicts.filter((v) => v.hop.name.startsWith('role iam-onboarding-deploy '));
    expect(deploy.map((v) => v.status)).toEqual(Array(15).fill('allowed'));
  });

  it('KMS requests carry the encryption context of the topic or queue they are for', () => {
    const kms = verdicts.filter(
      (v) => v.hop.action.startsWith('kms:') && v.hop.principal !== `arn:aws:iam::${account}:root`,
    );
    expect(kms.length).toBeGreaterThan(20);
    for (const v of kms) {
      // SSM decrypts the Slack webhook's parameter for the role: checked in notice-hops.test.ts.
      if (v.hop.name.includes('(of parameter ')) continue;
      const of = /\(of (topic|queue) ([^)]+)\)/.exec(v.hop.name);
      expect(of).not.toBeNull();
      const [, kind, name] = of!;
      // A role's requests also carry its ARN (the welcome queue's deny reads it); a service's do not.
      const { 'aws:PrincipalArn': principalArn, ...context } = v.hop.context;
      expect(principalArn).toBe(
        v.hop.principal.startsWith('arn:aws:sts::')
          ? `arn:aws:iam::${account}:role/iam-onboarding-welcome`
          : undefined,
      );
      expect(context).toEqual(
        kind === 'topic'
          ? {
              'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:us-east-1:${account}:${name}`,
            }
          : { 'kms:EncryptionContext:aws:sqs:arn': `arn:aws:sqs:us-east-1:${account}:${name}` },
      );
    }
  });

  it('the managed user carries its tags; the untagged one does not', () => {
    const user = (name: string) =>
      verdicts.find((v) => v.hop.name === `${ROLE} -> user ${name}: iam:CreateLoginProfile`)!.hop;
    expect(user('iam-onboarding/new.person').context).toMatchObject({
      'iam:ResourceTag/managed-by': 'iam-onboarding',
    });
    // Only the role's own ARN, which every request of the role carries.
    expect(Object.keys(user('iam-onboarding/untagged').context)).toEqual(['aws:PrincipalArn']);
  });

  it('gone with the old shape: no invoke permission, no on-failure destination', () => {
    const hops = verdicts.map((v) => v.hop.name);
    expect(
      hops.filter((h) => h.includes('lambda:InvokeFunction') || h.includes('on-failure')),
    ).toEqual([]);
  });
});

it('rehearses the trail bucket only when the stack creates the trail', async () => {
  const created = (await rehearse(synthesizedConfig(trailNoZone()))).verdicts;
  const existing = (await rehearse(synthesizedConfig(zoneNoTrail()))).verdicts;
  const trailHops = (vs: readonly Verdict[]) =>
    vs.filter((v) => v.hop.principal === 'cloudtrail.amazonaws.com');
  expect(trailHops(created).map((v) => [v.status, v.hop.name])).toEqual([
    ['allowed', 'cloudtrail -> bucket iam-onboarding-trail-123456789012: s3:GetBucketAcl'],
    ['allowed', 'cloudtrail -> bucket iam-onboarding-trail-123456789012: s3:PutObject'],
  ]);
  expect(trailHops(existing)).toEqual([]);
});

it('takes the account and names from the configuration, not from assumptions', async () => {
  const { accountId, verdicts } = await rehearse(
    synthesizedConfig({ ...trailNoZone(), accountId: '111122223333' }),
  );
  expect(accountId).toBe('111122223333');
  expect(summarize(verdicts).failures).toBe(0);
  const resources = verdicts.map((v) => v.hop.resource);
  expect(resources).toContain('arn:aws:sqs:us-east-1:111122223333:iam-onboarding-welcome-queue');
  expect(resources.filter((r) => r.includes('123456789012'))).toEqual([]);
});

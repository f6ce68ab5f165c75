/**
 * The hops admin notices and SES feedback add, on config/settings.json (which
 * configures both email and Slack): each allowed by the statement meant for
 * it, and a mistake in each reported DENIED by hop name.
 */
import { rehearse, summarize, type Verdict } from '../../../review/rehearsal';
import { trailNoZone, zoneNoTrail } from '../../support/stack';
import {
  editPolicy,
  editStatement,
  policyOf,
  resource,
  synthesizedConfig,
  withoutStatement,
  withoutStatementsFor,
  type MutableConfig,
} from '../../support/rehearsal';

const ACCOUNT = '123456789012';
const ROLE = 'role iam-onboarding-welcome';
const FEEDBACK = 'iam-onboarding-ses-feedback';
const ADMIN = 'iam-onboarding-admin-notices';
const QUEUE = 'iam-onboarding-welcome-queue';
const PARAMETER = '/iam-onboarding/slack-webhook-url';

const config = (): MutableConfig => synthesizedConfig(trailNoZone());
const names = (vs: readonly Verdict[], status: Verdict['status']) =>
  vs.filter((v) => v.status === status).map((v) => v.hop.name);

async function denied(c: MutableConfig): Promise<Verdict[]> {
  const { verdicts } = await rehearse(c);
  expect(summarize(verdicts).failures).toBeGreaterThan(0);
  return verdicts.filter((v) => v.status === 'DENIED');
}

describe('every new hop, allowed by its own statement', () => {
  let byName: Map<string, Verdict>;
  beforeAll(async () => {
    const { verdicts } = await rehearse(config());
    expect(names(verdicts, 'DENIED')).toEqual([]);
    expect(names(verdicts, 'OPEN')).toEqual([]);
    byName = new Map(verdicts.map((v) => [v.hop.name, v]));
  });
  const allowedBy = (name: string, sid: string) => {
    const v = byName.get(name);
    expect({ name, status: v?.status }).toEqual({ name, status: 'allowed' });
    expect(v?.reason).toContain(sid);
    return v!;
  };

  it('SES -> the feedback topic, for its configuration set, with the key', () => {
    const publish = allowedBy(`ses -> topic ${FEEDBACK}: sns:Publish`, 'AllowPublishFromSource0');
    expect(publish.hop.context).toEqual({
      'aws:SourceArn': `arn:aws:ses:us-east-1:${ACCOUNT}:configuration-set/iam-onboarding-welcome`,
      'aws:SourceAccount': ACCOUNT,
    });
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      allowedBy(
        `ses -> key iam-onboarding (of topic ${FEEDBACK}): ${action}`,
        'SesEncryptsForTopic',
      );
  });

  it('the feedback topic -> the welcome queue (and its redrive), named by the topic', () => {
    const from = ` (from topic ${FEEDBACK})`;
    allowedBy(`sns -> queue ${QUEUE}: sqs:SendMessage${from}`, 'TopicsDeliverSesFeedback');
    allowedBy(
      `sns -> key iam-onboarding (of queue ${QUEUE}): kms:GenerateDataKey${from}`,
      'SnsEncryptsForQueue',
    );
    allowedBy(
      `sns -> dead-letter queue iam-onboarding-welcome-failures: sqs:SendMessage${from}`,
      'AllowFailuresFromSource1',
    );
  });

  it('the role -> the admins’ topic, and its key for that topic', () => {
    allowedBy(`${ROLE} -> topic ${ADMIN}: sns:Publish`, 'PublishAdminNotices');
    allowedBy(`${ROLE} -> topic ${ADMIN}: sns:Publish`, 'AllowPublishFromRoles');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
      allowedBy(`${ROLE} -> key iam-onboarding (of topic ${ADMIN}): ${action}`, 'UseAdminTopicKey');
  });

  it('the role -> the Slack parameter, decrypted through SSM only', () => {
    allowedBy(`${ROLE} -> parameter ${PARAMETER}: ssm:GetParameter`, 'ReadSlackWebhookParameter');
    const decrypt = allowedBy(
      `${ROLE} -> key aws/ssm (of parameter ${PARAMETER}): kms:Decrypt`,
      'DecryptSlackWebhookThroughSsm',
    );
    expect(decrypt.hop.context).toMatchObject({
      'kms:ViaService': 'ssm.us-east-1.amazonaws.com',
      'kms:CallerAccount': ACCOUNT,
    });
  });

  it('the role -> the configuration set on SendEmail, as the sender only', () => {
    allowedBy(
      `${ROLE} -> configuration set iam-onboarding-welcome: ses:SendEmail`,
      'SendWithTheConfigurationSetOnly',
    );
    expect(
      byName.get(
        `${ROLE} -> configuration set iam-onboarding-welcome (send as another address): ses:SendEmail`,
      )?.status,
    ).toBe('refused');
  });
});

it('without notifications configured: no admin topic or parameter hop, the feedback ones stay', async () => {
  const { verdicts } = await rehearse(synthesizedConfig(zoneNoTrail()));
  const all = verdicts.map((v) => v.hop.name);
  expect(all.filter((n) => n.includes(ADMIN) || n.includes('(of parameter'))).toEqual([]);
  expect(all.filter((n) => n.includes('admin-notices'))).toEqual([]);
  expect(all).toContain(`ses -> topic ${FEEDBACK}: sns:Publish`);
  expect(summarize(verdicts).failures).toBe(0);
});

describe('mistakes, each DENIED by hop name', () => {
  it('the key without the SES grant: SES cannot publish its events', async () => {
    const c = config();
    editPolicy(resource(c, 'aws_kms_key'), withoutStatement('SesEncryptsForTopic'));
    const d = await denied(c);
    expect(d.map((v) => v.hop.name)).toEqual([
      `ses -> key iam-onboarding (of topic ${FEEDBACK}): kms:GenerateDataKey`,
      `ses -> key iam-onboarding (of topic ${FEEDBACK}): kms:Decrypt`,
    ]);
    expect(d[0].reason).toBe(
      'key policy of iam-onboarding has no statement allowing ses.amazonaws.com kms:GenerateDataKey',
    );
  });

  it('the feedback topic policy without the SES statement', async () => {
    const c = config();
    editPolicy(policyOf(c, 'aws_sns_topic', FEEDBACK), withoutStatementsFor('ses.amazonaws.com'));
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `ses -> topic ${FEEDBACK}: sns:Publish`,
    ]);
  });

  it('the feedback topic policy for another configuration set', async () => {
    const c = config();
    editPolicy(
      policyOf(c, 'aws_sns_topic', FEEDBACK),
      editStatement('AllowPublishFromSource0', (s) => ({
        ...s,
        Condition: {
          ArnLike: {
            'aws:SourceArn': `arn:aws:ses:us-east-1:${ACCOUNT}:configuration-set/another`,
          },
        },
      })),
    );
    const d = await denied(c);
    expect(d.map((v) => v.hop.name)).toEqual([`ses -> topic ${FEEDBACK}: sns:Publish`]);
  });

  it('the queue policy without the feedback topic', async () => {
    const c = config();
    editPolicy(policyOf(c, 'aws_sqs_queue', QUEUE), withoutStatement('TopicsDeliverSesFeedback'));
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `sns -> queue ${QUEUE}: sqs:SendMessage (from topic ${FEEDBACK})`,
    ]);
  });

  it('the role without the configuration set: every send would fail', async () => {
    const c = config();
    editPolicy(
      resource(c, 'aws_iam_role_policy'),
      withoutStatement('SendWithTheConfigurationSetOnly'),
    );
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `${ROLE} -> configuration set iam-onboarding-welcome: ses:SendEmail`,
    ]);
  });

  it('the role’s key grant for another topic: publishing notices fails', async () => {
    const c = config();
    editPolicy(
      resource(c, 'aws_iam_role_policy'),
      editStatement('UseAdminTopicKey', (s) => ({
        ...s,
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:us-east-1:${ACCOUNT}:iam-onboarding-alerts`,
          },
        },
      })),
    );
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `${ROLE} -> key iam-onboarding (of topic ${ADMIN}): kms:GenerateDataKey`,
      `${ROLE} -> key iam-onboarding (of topic ${ADMIN}): kms:Decrypt`,
    ]);
  });

  it('the role without GetParameter on the webhook’s parameter', async () => {
    const c = config();
    editPolicy(resource(c, 'aws_iam_role_policy'), withoutStatement('ReadSlackWebhookParameter'));
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `${ROLE} -> parameter ${PARAMETER}: ssm:GetParameter`,
    ]);
  });

  it('aws/ssm admits the account through SSM by itself: the role’s own KMS grant is not what decides', async () => {
    // AWS documents that the aws/ssm key policy lets every principal of the
    // account decrypt through SSM; the role's statement states the intent
    // (and would carry a customer-managed key that delegates to IAM).
    const c = config();
    editPolicy(
      resource(c, 'aws_iam_role_policy'),
      withoutStatement('DecryptSlackWebhookThroughSsm'),
    );
    const { verdicts } = await rehearse(c);
    const hop = verdicts.find(
      (v) => v.hop.name === `${ROLE} -> key aws/ssm (of parameter ${PARAMETER}): kms:Decrypt`,
    );
    expect(hop?.status).toBe('allowed');
    expect(hop?.reason).toContain('Allow access through AWS Systems Manager');
  });

  it('the admins’ topic denying the role: the deny names it', async () => {
    const c = config();
    editPolicy(
      policyOf(c, 'aws_sns_topic', ADMIN),
      editStatement('DenyPublishFromAnyOtherSource', (s) => ({
        ...s,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/other` } },
      })),
    );
    const d = await denied(c);
    expect(d.map((v) => v.hop.name)).toEqual([`${ROLE} -> topic ${ADMIN}: sns:Publish`]);
    expect(d[0].reason).toContain('DenyPublishFromAnyOtherSource');
  });
});

describe('the Slack bot token (welcome DMs)', () => {
  const TOKEN = '/iam-onboarding/slack-bot-token';
  const withToken = (webhook: boolean): MutableConfig => {
    const s = trailNoZone();
    return synthesizedConfig({
      ...s,
      notifications: webhook ? s.notifications : { adminEmails: s.notifications.adminEmails },
      delivery: { ...s.delivery, channel: 'slack', slackBotTokenParameter: TOKEN },
    });
  };

  it.each([
    [true, 'DecryptSlackWebhookThroughSsm'],
    [false, 'DecryptSlackBotTokenThroughSsm'],
  ])('the role may read and decrypt it through SSM (webhook too: %s)', async (webhook, sid) => {
    const { verdicts } = await rehearse(withToken(webhook));
    expect(names(verdicts, 'DENIED')).toEqual([]);
    const byName = new Map(verdicts.map((v) => [v.hop.name, v]));
    const read = byName.get(`${ROLE} -> parameter ${TOKEN}: ssm:GetParameter`);
    expect(read?.status).toBe('allowed');
    expect(read?.reason).toContain('ReadSlackBotTokenParameter');
    const decrypt = byName.get(`${ROLE} -> key aws/ssm (of parameter ${TOKEN}): kms:Decrypt`);
    expect(decrypt?.status).toBe('allowed');
    expect(decrypt?.reason).toContain(sid);
  });

  it('without its statement the read is DENIED, by name', async () => {
    const c = withToken(true);
    editPolicy(resource(c, 'aws_iam_role_policy'), withoutStatement('ReadSlackBotTokenParameter'));
    expect((await denied(c)).map((v) => v.hop.name)).toEqual([
      `${ROLE} -> parameter ${TOKEN}: ssm:GetParameter`,
    ]);
  });
});

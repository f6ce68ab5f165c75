/**
 * Admin notices and SES feedback as synthesized: the admins' topic, the
 * configuration set and its event destination, the feedback topic and its
 * subscription, the policies, the role's grants, the outputs, and that the
 * Slack webhook URL can never enter the configuration (no SSM parameter
 * resource, only its name).
 */
import { Testing } from 'cdktf';
import { WELCOME_ENV } from '../../shared/contract';
import { PIPELINE_NAMES } from '../../stacks/welcome-pipeline';
import { AdminNotices, putWebhookCommand } from '../../stacks/admin-notices';
import {
  only,
  ref,
  resourcesOf,
  statement,
  statements,
  synthStack,
  trailNoZone,
  zoneNoTrail,
} from '../support/stack';

const ACCOUNT = '123456789012';
const arn = (service: string, name: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${name}`;
const SET_ARN = arn('ses', `configuration-set/${PIPELINE_NAMES.configurationSet}`);
const PARAMETER = '/iam-onboarding/slack-webhook-url';

const withNotices = synthStack(trailNoZone()).config;
const without = synthStack(zoneNoTrail()).config;
const keyRef = ref(withNotices, 'aws_kms_key', {}, 'arn');
const topicRef = (name: string) => ref(withNotices, 'aws_sns_topic', { name }, 'arn');
const rolePolicy = only(withNotices, 'aws_iam_role_policy').policy;

describe('the admins’ topic', () => {
  const topic = only(withNotices, 'aws_sns_topic', { name: PIPELINE_NAMES.adminTopic });
  const policy = only(withNotices, 'aws_sns_topic_policy', {
    arn: topicRef(PIPELINE_NAMES.adminTopic),
  }).policy;

  test('encrypted with the pipeline key; one email subscription per admin address', () => {
    expect(topic.kms_master_key_id).toBe(keyRef);
    const subs = Object.values(resourcesOf(withNotices, 'aws_sns_topic_subscription')).filter(
      (s) => s.topic_arn === topicRef(PIPELINE_NAMES.adminTopic),
    );
    expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual([['email', 'it-admins@example.com']]);
  });

  test('only the welcome function’s role may publish', () => {
    const roleArn = ref(withNotices, 'aws_iam_role', {}, 'arn');
    expect(statements(policy)).toEqual([
      {
        Sid: 'AllowPublishFromRoles',
        Effect: 'Allow',
        Principal: { AWS: [roleArn] },
        Action: 'sns:Publish',
        Resource: topicRef(PIPELINE_NAMES.adminTopic),
      },
      {
        Sid: 'DenyPublishFromAnyOtherSource',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicRef(PIPELINE_NAMES.adminTopic),
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [roleArn] } },
      },
    ]);
  });

  test('no admin address: no topic, no grant, no environment variable', () => {
    expect(Object.values(resourcesOf(without, 'aws_sns_topic')).map((t) => t.name)).not.toContain(
      PIPELINE_NAMES.adminTopic,
    );
    const sids = statements(only(without, 'aws_iam_role_policy').policy).map((s) => s.Sid);
    expect(sids).not.toContain('PublishAdminNotices');
    expect(sids).not.toContain('ReadSlackWebhookParameter');
    expect(sids).toContain('SendWithTheConfigurationSetOnly');
  });
});

describe('the Slack webhook', () => {
  test('no SSM parameter resource: the provider would read the URL back into the state', () => {
    expect(resourcesOf(withNotices, 'aws_ssm_parameter')).toEqual({});
    expect(JSON.stringify(withNotices)).not.toMatch(/hooks\.slack\.com/);
    expect(
      (withNotices as unknown as { data?: Record<string, unknown> }).data?.aws_ssm_parameter,
    ).toBeUndefined();
  });

  test('the function gets the parameter’s name; the role may read exactly it, decrypting through SSM', () => {
    const fn = only(withNotices, 'aws_lambda_function');
    expect(
      (fn.environment as { variables: Record<string, string> }).variables[
        WELCOME_ENV.slackWebhookParameter
      ],
    ).toBe(PARAMETER);
    expect(statement(rolePolicy, 'ReadSlackWebhookParameter')).toEqual({
      Sid: 'ReadSlackWebhookParameter',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: arn('ssm', `parameter${PARAMETER}`),
    });
    expect(statement(rolePolicy, 'DecryptSlackWebhookThroughSsm')).toEqual({
      Sid: 'DecryptSlackWebhookThroughSsm',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: arn('kms', 'key/*'),
      Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
    });
  });

  test('an output gives the exact command that stores the URL, reading it from standard input', () => {
    const output = withNotices.output?.slack_webhook_put_command;
    expect(output?.value).toBe(
      `aws ssm put-parameter --region us-east-1 --name ${PARAMETER} --type SecureString --overwrite --value file:///dev/stdin`,
    );
    expect(output?.description).toContain('never in Terraform');
    expect(without.output?.slack_webhook_put_command).toBeUndefined();
  });

  test('a parameter name that is the URL itself is refused without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/secretsecret';
    const stack = Testing.synthScope((scope) => {
      new AdminNotices(scope, 'notices', {
        accountId: ACCOUNT,
        topicName: 'x',
        kmsKeyArn: arn('kms', 'key/k'),
        publisherRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
        slackWebhookParameter: 'ok-name',
      });
    });
    expect(stack).toContain('ok-name');
    let message = '';
    try {
      Testing.synthScope((scope) => {
        new AdminNotices(scope, 'notices', {
          accountId: ACCOUNT,
          topicName: 'x',
          kmsKeyArn: arn('kms', 'key/k'),
          publisherRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
          slackWebhookParameter: url,
        });
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('slackWebhookParameter may contain only letters');
    expect(message).not.toContain('secretsecret');
  });

  test('the command names the parameter as given', () => {
    expect(putWebhookCommand('plain-name')).toContain('--name plain-name --type SecureString');
  });
});

describe('SES feedback', () => {
  const feedbackTopic = topicRef(PIPELINE_NAMES.feedbackTopic);

  test('a configuration set whose destination sends bounces, complaints and rejects to the encrypted topic', () => {
    expect(only(withNotices, 'aws_ses_configuration_set')).toMatchObject({
      name: PIPELINE_NAMES.configurationSet,
    });
    const destination = only(withNotices, 'aws_ses_event_destination');
    expect(destination).toMatchObject({
      configuration_set_name: ref(withNotices, 'aws_ses_configuration_set', {}, 'name'),
      enabled: true,
      matching_types: ['bounce', 'complaint', 'reject'],
      sns_destination: { topic_arn: feedbackTopic },
    });
    // SES checks it can publish when the destination is created.
    expect(destination.depends_on).toEqual(
      expect.arrayContaining([
        `aws_sns_topic_policy.${Object.entries(resourcesOf(withNotices, 'aws_sns_topic_policy')).find(([, p]) => p.arn === feedbackTopic)![0]}`,
        `aws_kms_key.${Object.keys(resourcesOf(withNotices, 'aws_kms_key'))[0]}`,
      ]),
    );
    expect(
      only(withNotices, 'aws_sns_topic', { name: PIPELINE_NAMES.feedbackTopic }).kms_master_key_id,
    ).toBe(keyRef);
  });

  test('only SES, for this configuration set and account, may publish', () => {
    const policy = only(withNotices, 'aws_sns_topic_policy', { arn: feedbackTopic }).policy;
    expect(statement(policy, 'AllowPublishFromSource0')).toEqual({
      Sid: 'AllowPublishFromSource0',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: feedbackTopic,
      Condition: {
        ArnLike: { 'aws:SourceArn': [SET_ARN] },
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
      },
    });
    expect(statement(policy, 'DenyPublishFromAnyOtherSource').Condition).toEqual({
      ArnNotLike: { 'aws:SourceArn': [SET_ARN] },
    });
  });

  test('the topic delivers into the welcome queue, SNS envelope kept, redriven to the dead-letter queue', () => {
    const queueArn = ref(
      withNotices,
      'aws_sqs_queue',
      { name: PIPELINE_NAMES.requestQueue },
      'arn',
    );
    const dlqArn = ref(
      withNotices,
      'aws_sqs_queue',
      { name: PIPELINE_NAMES.deadLetterQueue },
      'arn',
    );
    expect(
      only(withNotices, 'aws_sns_topic_subscription', { topic_arn: feedbackTopic }),
    ).toMatchObject({
      protocol: 'sqs',
      endpoint: queueArn,
      raw_message_delivery: false,
      redrive_policy: JSON.stringify({ deadLetterTargetArn: dlqArn }),
    });
  });

  test('every send uses the set: the role may send with it, as the sender only', () => {
    expect(statement(rolePolicy, 'SendWithTheConfigurationSetOnly')).toEqual({
      Sid: 'SendWithTheConfigurationSetOnly',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: SET_ARN,
      Condition: { StringEquals: { 'ses:FromAddress': 'onboarding@example.com' } },
    });
    const fn = only(without, 'aws_lambda_function');
    expect(
      (fn.environment as { variables: Record<string, string> }).variables[
        WELCOME_ENV.sesConfigurationSet
      ],
    ).toBe(PIPELINE_NAMES.configurationSet);
  });
});

describe('alarms', () => {
  const names = (c: typeof withNotices) =>
    Object.values(resourcesOf(c, 'aws_cloudwatch_metric_alarm')).map((a) => a.alarm_name);

  test('bounces, undelivered notices, the admins’ topic and the feedback redrive alarm to the alerts topic', () => {
    expect(names(withNotices)).toEqual(
      expect.arrayContaining([
        'iam-onboarding-welcome-email-problems',
        'iam-onboarding-admin-notices-not-delivered',
        'iam-onboarding-admin-notices-failed',
        'iam-onboarding-ses-feedback-redrive-failures',
      ]),
    );
    expect(
      only(withNotices, 'aws_cloudwatch_log_metric_filter', {
        name: 'iam-onboarding-welcome-email-problems',
      }).pattern,
    ).toBe('{ ($.level = "ERROR") && ($.message = "welcome email problem") }');
    const alerts = topicRef(PIPELINE_NAMES.alertsTopic);
    expect(
      only(withNotices, 'aws_cloudwatch_metric_alarm', {
        alarm_name: 'iam-onboarding-welcome-email-problems',
      }),
    ).toMatchObject({ alarm_actions: [alerts], ok_actions: [alerts], threshold: 1 });
  });

  test('the email-problems alarm says how to lift a suppression, which no roster edit fixes', () => {
    const { alarm_description: description } = only(withNotices, 'aws_cloudwatch_metric_alarm', {
      alarm_name: 'iam-onboarding-welcome-email-problems',
    });
    expect(description).toContain('suppression list');
    expect(description).toContain('aws sesv2 delete-suppressed-destination --email-address');
    expect(String(description).length).toBeLessThanOrEqual(1024);
  });

  test('without destinations only the bounce and redrive alarms', () => {
    const mine = names(without).filter((n) =>
      /email-problems|admin-notices|ses-feedback/.test(String(n)),
    );
    expect(mine.sort()).toEqual([
      'iam-onboarding-ses-feedback-redrive-failures',
      'iam-onboarding-welcome-email-problems',
    ]);
  });
});

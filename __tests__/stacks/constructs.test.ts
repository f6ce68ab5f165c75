/**
 * What the stack deploys, resource by resource and policy statement by
 * statement, as synthesized from the two shipped settings files.
 */
import { MANAGED_USER_PATH, RECONCILE_REQUEST, WELCOME_ENV } from '../../shared/contract';
import { PIPELINE_NAMES } from '../../stacks/welcome-pipeline';
import {
  arnLike,
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
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${PIPELINE_NAMES.rule}`;
const RECONCILE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${PIPELINE_NAMES.reconcileRule}`;
const EXPIRY_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${PIPELINE_NAMES.expiryRule}`;
const ruleRef = (c: TfConfig, name: string) =>
  ref(c, 'aws_cloudwatch_event_rule', { name }, 'name');

const withTrail = synthStack(trailNoZone()).config;
const withZone = synthStack(zoneNoTrail()).config;

const topicRef = (c: TfConfig, name: string = PIPELINE_NAMES.topic) =>
  ref(c, 'aws_sns_topic', { name }, 'arn');
const queueRef = (c: TfConfig) =>
  ref(c, 'aws_sqs_queue', { name: PIPELINE_NAMES.deadLetterQueue }, 'arn');
const workQueueRef = (c: TfConfig, attr = 'arn') =>
  ref(c, 'aws_sqs_queue', { name: PIPELINE_NAMES.requestQueue }, attr);
const keyRef = (c: TfConfig) => ref(c, 'aws_kms_key', {}, 'arn');

describe('provider', () => {
  test('us-east-1, and only the configured account', () => {
    const [aws] = withTrail.provider.aws;
    expect(aws).toMatchObject({ region: 'us-east-1', allowed_account_ids: [ACCOUNT] });
    expect(withZone.provider.aws[0]).toMatchObject({ allowed_account_ids: ['210987654321'] });
  });
});

describe('CloudTrail trail (trail.create = true)', () => {
  const trail = only(withTrail, 'aws_cloudtrail');
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/iam-onboarding`;
  const bucket = only(withTrail, 'aws_s3_bucket');
  const bucketRef = ref(withTrail, 'aws_s3_bucket', {}, 'arn');
  const policy = only(withTrail, 'aws_s3_bucket_policy').policy;

  test('records management events, multi-region, including IAM (global service) events', () => {
    expect(trail).toMatchObject({
      name: 'iam-onboarding',
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_logging: true,
      enable_log_file_validation: true,
      event_selector: [{ include_management_events: true, read_write_type: 'All' }],
      s3_bucket_name: ref(withTrail, 'aws_s3_bucket', {}, 'id'),
    });
    expect(trail.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\./)]),
    );
    expect(bucket.bucket).toBe(`iam-onboarding-trail-${ACCOUNT}`);
  });

  test('the bucket blocks all public access, is encrypted and owner-enforced', () => {
    expect(only(withTrail, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(withTrail, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
    expect(only(withTrail, 'aws_s3_bucket_ownership_controls').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
  });

  test('the bucket policy admits CloudTrail for this account and this trail only', () => {
    expect(statement(policy, 'CloudTrailAclCheck')).toEqual({
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: bucketRef,
      Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    });
    expect(statement(policy, 'CloudTrailWrite')).toEqual({
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketRef}/AWSLogs/${ACCOUNT}/*`,
      Condition: {
        StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    });
    expect(statement(policy, 'DenyInsecureTransport')).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements(policy)).toHaveLength(3);
  });

  test('nothing of the trail when an existing one is relied on', () => {
    for (const type of ['aws_cloudtrail', 'aws_s3_bucket', 'aws_s3_bucket_policy']) {
      expect(resourcesOf(withZone, type)).toEqual({});
    }
  });

  test('the log bucket cannot be destroyed by this tool', () => {
    expect(only(withTrail, 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('without the trail, the log bucket and its protections are forgotten, not destroyed', () => {
    // The addresses the trail's storage has when the stack creates it...
    const storage = Object.entries(withTrail.resource)
      .filter(([type]) => type.startsWith('aws_s3_bucket'))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    expect(storage).toHaveLength(6);
    // ...are exactly what a stack without it forgets (and nothing is forgotten with it).
    const removed = (withZone as unknown as { removed: unknown[] }).removed;
    expect(removed).toEqual(
      expect.arrayContaining(storage.map((from) => ({ from, lifecycle: { destroy: false } }))),
    );
    expect(removed).toHaveLength(6);
    expect((withTrail as unknown as { removed?: unknown }).removed).toBeUndefined();
  });
});

describe('EventBridge rule', () => {
  test('is named as the topic policy expects, on the default bus', () => {
    const rule = only(withTrail, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.rule });
    expect(rule).toMatchObject({ name: PIPELINE_NAMES.rule, state: 'ENABLED' });
    expect(rule.event_bus_name).toBeUndefined();
  });

  test('targets the topic, retries, and keeps what it cannot deliver', () => {
    expect(
      only(withTrail, 'aws_cloudwatch_event_target', { target_id: 'welcome-topic' }),
    ).toMatchObject({
      rule: ruleRef(withTrail, PIPELINE_NAMES.rule),
      arn: topicRef(withTrail),
      dead_letter_config: { arn: queueRef(withTrail) },
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
    });
  });
});

describe('reconcile schedule', () => {
  test('hourly by default, named as the queue policy expects', () => {
    const rule = only(withTrail, 'aws_cloudwatch_event_rule', {
      name: PIPELINE_NAMES.reconcileRule,
    });
    expect(rule).toMatchObject({ schedule_expression: 'rate(1 hour)', state: 'ENABLED' });
    expect(RECONCILE_ARN.endsWith(`:rule/${String(rule.name)}`)).toBe(true);
  });

  test('puts the fixed reconcile request into the welcome queue; keeps what it cannot deliver', () => {
    expect(
      only(withTrail, 'aws_cloudwatch_event_target', {
        rule: ruleRef(withTrail, PIPELINE_NAMES.reconcileRule),
      }),
    ).toMatchObject({
      target_id: 'welcome-queue',
      arn: workQueueRef(withTrail),
      input: JSON.stringify(RECONCILE_REQUEST),
      dead_letter_config: { arn: queueRef(withTrail) },
    });
  });

  test('follows the settings', () => {
    const daily = synthStack({
      ...trailNoZone(),
      delivery: {
        maximumConcurrency: 2,
        reconcileSchedule: 'cron(0 6 * * ? *)',
        channel: 'email',
      },
    }).config;
    expect(
      only(daily, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.reconcileRule })
        .schedule_expression,
    ).toBe('cron(0 6 * * ? *)');
  });
});

describe('KMS key', () => {
  const key = only(withTrail, 'aws_kms_key');

  test('is customer-managed with rotation on', () => {
    expect(key.enable_key_rotation).toBe(true);
    // The deploy role may change or delete only keys tagged so at creation.
    expect(key.tags).toEqual({ 'managed-by': 'iam-onboarding' });
    expect(only(withTrail, 'aws_kms_alias')).toMatchObject({ name: 'alias/iam-onboarding' });
  });

  test('lets each service encrypt only for its own topic or queue (encryption context; docs/design.md, "AWS services need a customer-managed key to write encrypted messages")', () => {
    const use = (service: string, contextKey: string, arn: string) => ({
      Effect: 'Allow',
      Principal: { Service: service },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { [`kms:EncryptionContext:${contextKey}`]: [arn] } },
    });
    const arn = (service: string, name: string) =>
      `arn:aws:${service}:us-east-1:${ACCOUNT}:${name}`;
    expect(statement(key.policy, 'EventsEncryptsForTopic')).toMatchObject(
      use('events.amazonaws.com', 'aws:sns:topicArn', arn('sns', PIPELINE_NAMES.topic)),
    );
    // The reconcile schedule's requests into the welcome queue.
    expect(statement(key.policy, 'EventsEncryptsForQueue')).toMatchObject(
      use('events.amazonaws.com', 'aws:sqs:arn', arn('sqs', PIPELINE_NAMES.requestQueue)),
    );
    expect(statement(key.policy, 'CloudwatchEncryptsForTopic')).toMatchObject(
      use('cloudwatch.amazonaws.com', 'aws:sns:topicArn', arn('sns', PIPELINE_NAMES.alertsTopic)),
    );
    expect(statement(key.policy, 'SnsEncryptsForQueue')).toMatchObject(
      use('sns.amazonaws.com', 'aws:sqs:arn', arn('sqs', PIPELINE_NAMES.requestQueue)),
    );
    // SES publishing bounce, complaint and reject events.
    expect(statement(key.policy, 'SesEncryptsForTopic')).toMatchObject(
      use('ses.amazonaws.com', 'aws:sns:topicArn', arn('sns', PIPELINE_NAMES.feedbackTopic)),
    );
  });

  test('the ARNs the key policy names are those of the topics and the queue deployed', () => {
    // Derived from names (the resources refer to the key, so the key cannot refer to them).
    for (const name of [PIPELINE_NAMES.topic, PIPELINE_NAMES.alertsTopic]) {
      expect(only(withTrail, 'aws_sns_topic', { name }).kms_master_key_id).toBe(keyRef(withTrail));
    }
    expect(
      only(withTrail, 'aws_sqs_queue', { name: PIPELINE_NAMES.requestQueue }).kms_master_key_id,
    ).toBe(keyRef(withTrail));
  });

  test('is administered by this account through IAM, nobody else', () => {
    expect(statement(key.policy, 'AccountAdministersKeyThroughIam').Principal).toEqual({
      AWS: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(statements(key.policy)).toHaveLength(6);
  });
});

describe('user-created topic', () => {
  const topic = only(withTrail, 'aws_sns_topic', { name: PIPELINE_NAMES.topic });
  const policy = only(withTrail, 'aws_sns_topic_policy', { arn: topicRef(withTrail) }).policy;

  test('is encrypted with the customer-managed key', () => {
    expect(topic.kms_master_key_id).toBe(keyRef(withTrail));
  });

  test('only the rule may publish (aws:SourceArn)', () => {
    expect(statement(policy, 'AllowPublishFromSource0')).toEqual({
      Sid: 'AllowPublishFromSource0',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicRef(withTrail),
      Condition: { ArnLike: { 'aws:SourceArn': [RULE_ARN] } },
    });
    expect(statement(policy, 'DenyPublishFromAnyOtherSource')).toEqual({
      Sid: 'DenyPublishFromAnyOtherSource',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: topicRef(withTrail),
      Condition: { ArnNotLike: { 'aws:SourceArn': [RULE_ARN] } },
    });
    expect(statements(policy)).toHaveLength(2);
  });

  test('the ARN in the policy is the rule actually deployed', () => {
    const rule = only(withTrail, 'aws_cloudwatch_event_rule', { name: PIPELINE_NAMES.rule });
    expect(RULE_ARN.endsWith(`:rule/${String(rule.name)}`)).toBe(true);
  });
});

describe('welcome function', () => {
  const fn = only(withTrail, 'aws_lambda_function');
  const fnRef = (attr: string) => ref(withTrail, 'aws_lambda_function', {}, attr);
  const role = only(withTrail, 'aws_iam_role', { name: PIPELINE_NAMES.function });
  const policy = only(withTrail, 'aws_iam_role_policy').policy;
  const identityArn = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`;

  test('nodejs22.x, bundled asset with a content hash, no reserved concurrency', () => {
    // A reservation fails to deploy on new accounts (quota 10); the queue paces instead.
    expect(fn).not.toHaveProperty('reserved_concurrent_executions');
    expect(fn).toMatchObject({
      function_name: PIPELINE_NAMES.function,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      timeout: 60,
      role: ref(withTrail, 'aws_iam_role', { name: PIPELINE_NAMES.function }, 'arn'),
      logging_config: {
        log_group: ref(withTrail, 'aws_cloudwatch_log_group', {}, 'name'),
        log_format: 'Text',
      },
    });
    expect(fn.filename).toMatch(/^assets\/.+\/[0-9A-F]{32}\/[^/]+\.zip$/);
    // Base64 SHA-256 of the package, as Lambda reports CodeSha256 (asset.test.ts checks the value).
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test('environment: exactly the non-secret settings, under the contract names', () => {
    expect((fn.environment as { variables: unknown }).variables).toEqual({
      [WELCOME_ENV.senderAddress]: 'Example IT <onboarding@example.com>',
      [WELCOME_ENV.senderIdentityArn]: identityArn,
      [WELCOME_ENV.organisationName]: 'Example Corp',
      [WELCOME_ENV.helpContact]: 'it-help@example.com or #it-help on chat',
      [WELCOME_ENV.welcomeQueueUrl]: workQueueRef(withTrail, 'url'),
      [WELCOME_ENV.requireMfa]: 'true',
      [WELCOME_ENV.unusedPasswordDays]: '7',
      // Names and ARNs only: the Slack URL stays in SSM.
      [WELCOME_ENV.adminTopicArn]: `arn:aws:sns:us-east-1:${ACCOUNT}:${PIPELINE_NAMES.adminTopic}`,
      [WELCOME_ENV.slackWebhookParameter]: '/iam-onboarding/slack-webhook-url',
      [WELCOME_ENV.sesConfigurationSet]: PIPELINE_NAMES.configurationSet,
    });
    const zoneFn = only(withZone, 'aws_lambda_function');
    const zoneEnv = (zoneFn.environment as { variables: Record<string, string> }).variables;
    expect(zoneEnv).toMatchObject({
      [WELCOME_ENV.accountAlias]: 'example-labs',
      [WELCOME_ENV.senderAddress]: '"Example Labs, IT" <welcome@it.example.org>',
      [WELCOME_ENV.sesConfigurationSet]: PIPELINE_NAMES.configurationSet,
    });
    // No notifications configured there: no destinations in the environment.
    expect(zoneEnv).not.toHaveProperty(WELCOME_ENV.adminTopicArn);
    expect(zoneEnv).not.toHaveProperty(WELCOME_ENV.slackWebhookParameter);
  });

  test('only Lambda assumes the role', () => {
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Sid: 'LambdaAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ]);
  });

  test('IAM: login profiles, access keys and the welcomed tag of users under the managed path only; reads of any user', () => {
    const managed = { StringEquals: { 'iam:ResourceTag/managed-by': 'iam-onboarding' } };
    expect(statement(policy, 'WelcomeManagedUsersOnly')).toEqual({
      Sid: 'WelcomeManagedUsersOnly',
      Effect: 'Allow',
      // Access keys for a suspension: listed and deactivated, never created or deleted.
      Action: [
        'iam:CreateLoginProfile',
        'iam:DeleteLoginProfile',
        'iam:GetLoginProfile',
        'iam:ListAccessKeys',
        'iam:UpdateAccessKey',
      ],
      Resource: `arn:aws:iam::${ACCOUNT}:user${MANAGED_USER_PATH}*`,
      Condition: managed,
    });
    // The welcomed and resent marks only: the role cannot rewrite the address,
    // the managed-by tag or the resend request.
    expect(statement(policy, 'MarkManagedUsersWelcomed')).toEqual({
      Sid: 'MarkManagedUsersWelcomed',
      Effect: 'Allow',
      Action: 'iam:TagUser',
      Resource: `arn:aws:iam::${ACCOUNT}:user${MANAGED_USER_PATH}*`,
      Condition: {
        ...managed,
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [
            'iam-onboarding:welcomed',
            'iam-onboarding:resent',
            'iam-onboarding:sent-to',
          ],
        },
      },
    });
    // Path-scoped reads would turn a deleted user's NoSuchEntity into AccessDenied.
    expect(statement(policy, 'ReadUsersToDecide')).toEqual({
      Sid: 'ReadUsersToDecide',
      Effect: 'Allow',
      Action: ['iam:GetUser', 'iam:ListUserTags'],
      Resource: `arn:aws:iam::${ACCOUNT}:user/*`,
    });
    const writes =
      JSON.stringify(policy).match(/iam:(Create|Delete|Update|Put|Attach|Tag)\w*/g) ?? [];
    expect(writes.sort()).toEqual([
      'iam:CreateLoginProfile',
      'iam:DeleteLoginProfile',
      'iam:TagUser',
      'iam:TagUser',
      'iam:TagUser',
      'iam:UpdateAccessKey',
    ]);
    // A suspension turns keys off (never deletes them: WelcomeManagedUsersOnly above)
    // and records what it did; managed users only.
    expect(statement(policy, 'MarkManagedUsersSuspended')).toEqual({
      Sid: 'MarkManagedUsersSuspended',
      Effect: 'Allow',
      Action: 'iam:TagUser',
      Resource: `arn:aws:iam::${ACCOUNT}:user${MANAGED_USER_PATH}*`,
      Condition: {
        ...managed,
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [
            'iam-onboarding:suspended-at',
            'iam-onboarding:reinstated-at',
            'iam-onboarding:end-warned',
          ],
        },
      },
    });
    // ListUsers and SESv2 GetSuppressedDestination have no resource type
    // (Service Authorization Reference): authorized against "*".
    expect(statement(policy, 'AccountLevelReads')).toEqual({
      Sid: 'AccountLevelReads',
      Effect: 'Allow',
      Action: [
        'iam:GetAccountPasswordPolicy',
        'iam:ListAccountAliases',
        'iam:ListUsers',
        'ses:GetSuppressedDestination',
      ],
      Resource: '*',
    });
  });

  test('SES: SendEmail as the configured From address only (any identity, for sandbox recipients)', () => {
    expect(statement(policy, 'SendAsTheSenderOnly')).toEqual({
      Sid: 'SendAsTheSenderOnly',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/*`,
      Condition: { StringEquals: { 'ses:FromAddress': 'onboarding@example.com' } },
    });
    const zonePolicy = only(withZone, 'aws_iam_role_policy').policy;
    expect(statement(zonePolicy, 'SendAsTheSenderOnly').Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'welcome@it.example.org' },
    });
  });

  test('logs: its own log group only, which has a retention period', () => {
    expect(statement(policy, 'OwnLogGroupOnly')).toEqual({
      Sid: 'OwnLogGroupOnly',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${PIPELINE_NAMES.function}:*`,
    });
    expect(only(withTrail, 'aws_cloudwatch_log_group')).toMatchObject({
      name: `/aws/lambda/${PIPELINE_NAMES.function}`,
      retention_in_days: 90,
    });
    expect(only(withZone, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  test('queue: drains the welcome queue and decrypts its messages; nothing else', () => {
    expect(statement(policy, 'UseWelcomeQueue')).toEqual({
      Sid: 'UseWelcomeQueue',
      Effect: 'Allow',
      Action: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:SendMessage',
      ],
      Resource: workQueueRef(withTrail),
    });
    expect(statement(policy, 'UseWelcomeQueueKey')).toEqual({
      Sid: 'UseWelcomeQueueKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: keyRef(withTrail),
      // Not the topics' data: only what SQS encrypts for the welcome queue.
      Condition: {
        StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': workQueueRef(withTrail) },
      },
    });
    // Nine for the welcome and a suspension, one for the expiry; five for notices
    // and SES feedback (admin-notices.test.ts).
    expect(statements(policy)).toHaveLength(15);
    expect(resourcesOf(withTrail, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  test('fed by the queue: one message a run, failures reported per message, at most 2 at once', () => {
    expect(only(withTrail, 'aws_lambda_event_source_mapping')).toMatchObject({
      event_source_arn: workQueueRef(withTrail),
      function_name: fnRef('arn'),
      batch_size: 1,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 2 },
    });
    // No other way in: SNS no longer invokes the function directly.
    expect(resourcesOf(withTrail, 'aws_lambda_permission')).toEqual({});
    expect(resourcesOf(withTrail, 'aws_lambda_function_event_invoke_config')).toEqual({});
  });

  test('settings raise the pace and may reserve concurrency', () => {
    const custom = synthStack({
      ...trailNoZone(),
      delivery: {
        maximumConcurrency: 5,
        reservedConcurrency: 8,
        reconcileSchedule: 'rate(1 day)',
        channel: 'email',
      },
    }).config;
    expect(only(custom, 'aws_lambda_function').reserved_concurrent_executions).toBe(8);
    expect(only(custom, 'aws_lambda_event_source_mapping').scaling_config).toEqual({
      maximum_concurrency: 5,
    });
  });
});

describe('welcome queue', () => {
  const queue = only(withTrail, 'aws_sqs_queue', { name: PIPELINE_NAMES.requestQueue });
  const policy = only(withTrail, 'aws_sqs_queue_policy', {
    queue_url: workQueueRef(withTrail, 'url'),
  }).policy;

  test('encrypted with the pipeline key; six function timeouts of visibility; five tries, then the dead-letter queue', () => {
    expect(queue).toMatchObject({
      kms_master_key_id: keyRef(withTrail),
      visibility_timeout_seconds: 360,
      message_retention_seconds: 1209600,
    });
    expect(JSON.parse(String(queue.redrive_policy))).toEqual({
      deadLetterTargetArn: queueRef(withTrail),
      maxReceiveCount: 5,
    });
  });

  test('only the topics, the reconcile and expiry schedules and the function may send to it', () => {
    expect(statements(policy)).toEqual([
      {
        Sid: 'TopicDeliversCreateUserEvents',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: workQueueRef(withTrail),
        Condition: { ArnEquals: { 'aws:SourceArn': topicRef(withTrail) } },
      },
      {
        Sid: 'RulesSendRequests',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: workQueueRef(withTrail),
        Condition: { ArnEquals: { 'aws:SourceArn': [RECONCILE_ARN, EXPIRY_ARN] } },
      },
      {
        Sid: 'TopicsDeliverSesFeedback',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: workQueueRef(withTrail),
        Condition: {
          ArnEquals: {
            'aws:SourceArn': [`arn:aws:sns:us-east-1:${ACCOUNT}:${PIPELINE_NAMES.feedbackTopic}`],
          },
        },
      },
      {
        Sid: 'DenyOtherSenders',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: workQueueRef(withTrail),
        Condition: {
          ArnNotEquals: {
            'aws:SourceArn': [
              topicRef(withTrail),
              RECONCILE_ARN,
              EXPIRY_ARN,
              `arn:aws:sns:us-east-1:${ACCOUNT}:${PIPELINE_NAMES.feedbackTopic}`,
            ],
            'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/${PIPELINE_NAMES.function}`],
          },
        },
      },
    ]);
  });

  test('the operator roles of the settings are exempt from the deny too', () => {
    const operator = `arn:aws:iam::${ACCOUNT}:role/it-operator`;
    const config = synthStack({
      ...trailNoZone(),
      delivery: { ...trailNoZone().delivery, operatorRoles: [operator] },
    }).config;
    const queuePolicy = only(config, 'aws_sqs_queue_policy', {
      queue_url: workQueueRef(config, 'url'),
    }).policy;
    const deny = statements(queuePolicy).find((st) => st.Sid === 'DenyOtherSenders');
    expect(deny?.Condition).toMatchObject({
      ArnNotEquals: {
        'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/${PIPELINE_NAMES.function}`, operator],
      },
    });
  });

  test('subscribed to the topic (SNS envelope kept), with a redrive for failed deliveries', () => {
    expect(
      only(withTrail, 'aws_sns_topic_subscription', {
        protocol: 'sqs',
        topic_arn: topicRef(withTrail),
      }),
    ).toMatchObject({
      topic_arn: topicRef(withTrail),
      endpoint: workQueueRef(withTrail),
      raw_message_delivery: false,
      redrive_policy: JSON.stringify({ deadLetterTargetArn: queueRef(withTrail) }),
    });
  });
});

describe('dead-letter queue', () => {
  const queue = only(withTrail, 'aws_sqs_queue', { name: PIPELINE_NAMES.deadLetterQueue });
  const policy = only(withTrail, 'aws_sqs_queue_policy', {
    queue_url: ref(withTrail, 'aws_sqs_queue', { name: PIPELINE_NAMES.deadLetterQueue }, 'url'),
  }).policy;

  test('is encrypted and keeps messages 14 days', () => {
    expect(queue).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
  });

  test('admits EventBridge for the rule and SNS for the topic, nothing else', () => {
    expect(statements(policy)).toEqual([
      {
        Sid: 'AllowFailuresFromSource0',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueRef(withTrail),
        Condition: { ArnEquals: { 'aws:SourceArn': [RULE_ARN, RECONCILE_ARN, EXPIRY_ARN] } },
      },
      {
        Sid: 'AllowFailuresFromSource1',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueRef(withTrail),
        Condition: {
          ArnEquals: {
            'aws:SourceArn': [
              topicRef(withTrail),
              `arn:aws:sns:us-east-1:${ACCOUNT}:${PIPELINE_NAMES.feedbackTopic}`,
            ],
          },
        },
      },
    ]);
  });
});

describe('alarms and the alerts topic', () => {
  const alarms = Object.values(resourcesOf(withTrail, 'aws_cloudwatch_metric_alarm'));
  const alertsArn = topicRef(withTrail, PIPELINE_NAMES.alertsTopic);
  const alertsPolicy = only(withTrail, 'aws_sns_topic_policy', { arn: alertsArn }).policy;

  test('function errors and a non-empty dead-letter queue raise alarms', () => {
    expect(only(withTrail, 'aws_cloudwatch_metric_alarm', { metric_name: 'Errors' })).toMatchObject(
      {
        namespace: 'AWS/Lambda',
        dimensions: { FunctionName: PIPELINE_NAMES.function },
        statistic: 'Sum',
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
      },
    );
    expect(
      only(withTrail, 'aws_cloudwatch_metric_alarm', {
        metric_name: 'ApproximateNumberOfMessagesVisible',
      }),
    ).toMatchObject({
      namespace: 'AWS/SQS',
      dimensions: { QueueName: PIPELINE_NAMES.deadLetterQueue },
      statistic: 'Maximum',
      threshold: 1,
    });
  });

  test('so do failures to reach the dead-letter queue itself', () => {
    const metrics = alarms.map((a) => `${String(a.namespace)}/${String(a.metric_name)}`).sort();
    expect(metrics).toEqual([
      'AWS/Events/FailedInvocations',
      'AWS/Events/FailedInvocations',
      'AWS/Events/FailedInvocations',
      'AWS/Events/InvocationsFailedToBeSentToDlq',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      // The admins' topic, and the SES feedback topic's delivery (notice-alarms.ts).
      'AWS/SNS/NumberOfNotificationsFailed',
      'AWS/SNS/NumberOfNotificationsFailedToRedriveToDlq',
      'AWS/SNS/NumberOfNotificationsFailedToRedriveToDlq',
      'AWS/SQS/ApproximateAgeOfOldestMessage',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'iam-onboarding/AdminNoticesNotDelivered',
      'iam-onboarding/WelcomeEmailProblems',
      'iam-onboarding/WelcomeFailures',
    ]);
  });

  test('a failed welcome raises an alarm at once, from the function log lines', () => {
    // Batch item failures are not function errors: the Errors metric never sees them.
    expect(
      only(withTrail, 'aws_cloudwatch_log_metric_filter', {
        name: 'iam-onboarding-welcome-failures',
      }),
    ).toMatchObject({
      log_group_name: ref(withTrail, 'aws_cloudwatch_log_group', {}, 'name'),
      pattern:
        '{ ($.level = "ERROR") && (($.message = "event failed") || ($.message = "welcomed tag not written")) }',
      metric_transformation: { namespace: 'iam-onboarding', name: 'WelcomeFailures', value: '1' },
    });
    const alarm = only(withTrail, 'aws_cloudwatch_metric_alarm', {
      metric_name: 'WelcomeFailures',
    });
    expect(alarm).toMatchObject({ namespace: 'iam-onboarding', statistic: 'Sum', threshold: 1 });
    expect(alarm).not.toHaveProperty('dimensions');
  });

  test('a welcome queue that stops draining raises an alarm after half an hour', () => {
    expect(
      only(withTrail, 'aws_cloudwatch_metric_alarm', {
        metric_name: 'ApproximateAgeOfOldestMessage',
      }),
    ).toMatchObject({
      dimensions: { QueueName: PIPELINE_NAMES.requestQueue },
      statistic: 'Maximum',
      threshold: 1800,
    });
  });

  test('each alert says it will not repeat while the alarm stays on', () => {
    for (const a of alarms)
      expect(String(a.alarm_description)).toMatch(/not again while it stays in ALARM/);
  });

  test('every alarm notifies the alerts topic, which admits exactly these alarms', () => {
    const pattern = statement(alertsPolicy, 'AllowPublishFromSource0');
    expect(pattern).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: alertsArn,
    });
    const [arnPattern] = pattern.Condition!.ArnLike['aws:SourceArn'] as string[];
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([alertsArn]);
      expect(a.ok_actions).toEqual([alertsArn]);
      expect(a.treat_missing_data).toBe('notBreaching');
      const arn = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${String(a.alarm_name)}`;
      expect(arnLike(arnPattern, arn)).toBe(true);
    }
    expect(
      arnLike(arnPattern, `arn:aws:cloudwatch:us-east-1:999999999999:alarm:iam-onboarding-x`),
    ).toBe(false);
  });

  test('the alerts topic is encrypted and mails the configured addresses', () => {
    expect(
      only(withTrail, 'aws_sns_topic', { name: PIPELINE_NAMES.alertsTopic }).kms_master_key_id,
    ).toBe(keyRef(withTrail));
    const emails = Object.values(resourcesOf(withZone, 'aws_sns_topic_subscription'))
      .filter((s) => s.protocol === 'email')
      .map((s) => s.endpoint)
      .sort();
    expect(emails).toEqual(['oncall@example.org', 'platform-alerts@example.org']);
  });
});

describe('sender identity', () => {
  test('domain identity with DKIM and a MAIL FROM domain', () => {
    expect(only(withTrail, 'aws_ses_domain_identity').domain).toBe('example.com');
    const identityDomain = ref(withTrail, 'aws_ses_domain_identity', {}, 'domain');
    expect(only(withTrail, 'aws_ses_domain_dkim').domain).toBe(identityDomain);
    expect(only(withTrail, 'aws_ses_domain_mail_from')).toMatchObject({
      domain: identityDomain,
      mail_from_domain: 'mail.example.com',
      behavior_on_mx_failure: 'UseDefaultValue',
    });
  });

  test('without a hosted zone: no records, an output listing the six to add', () => {
    expect(resourcesOf(withTrail, 'aws_route53_record')).toEqual({});
    expect(resourcesOf(withTrail, 'aws_ses_domain_identity_verification')).toEqual({});
    const records = withTrail.output!.ses_dns_records.value as { name: string; type: string }[];
    expect(records.map((r) => r.type)).toEqual(['TXT', 'CNAME', 'CNAME', 'CNAME', 'MX', 'TXT']);
    expect(records[0].name).toBe('_amazonses.example.com');
    expect(records[4].name).toBe('mail.example.com');
  });

  test('with a hosted zone: verification, three DKIM and two MAIL FROM records, then verification', () => {
    const records = Object.values(resourcesOf(withZone, 'aws_route53_record'));
    expect(records).toHaveLength(6);
    for (const r of records) expect(r.zone_id).toBe('Z0123456789ABCDEFGHIJ');
    const byType = (t: string) => records.filter((r) => r.type === t);
    expect(
      byType('TXT')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['_amazonses.example.org', 'bounce.example.org']);
    expect(byType('MX')).toEqual([
      expect.objectContaining({
        name: 'bounce.example.org',
        records: ['10 feedback-smtp.us-east-1.amazonses.com'],
      }),
    ]);
    const dkimRef = ref(withZone, 'aws_ses_domain_dkim', {}, 'dkim_tokens');
    expect(
      byType('CNAME')
        .map((r) => r.name)
        .sort(),
    ).toEqual(
      [0, 1, 2].map((i) => `\${element(${dkimRef.slice(2, -1)}, ${i})}._domainkey.example.org`),
    );
    expect(only(withZone, 'aws_ses_domain_identity_verification').domain).toBe(
      ref(withZone, 'aws_ses_domain_identity', {}, 'domain'),
    );
  });

  test('the deploy waits 10 minutes for verification, not the provider default 45', () => {
    expect(only(withZone, 'aws_ses_domain_identity_verification').timeouts).toEqual({
      create: '10m',
    });
  });

  test('with a hosted zone, every plan checks that it is the public zone of the sender domain', () => {
    const checks = (withZone as unknown as { check: Record<string, unknown> }).check;
    expect(checks).toEqual({
      sender_hosted_zone: {
        data: { aws_route53_zone: { sender: { zone_id: 'Z0123456789ABCDEFGHIJ' } } },
        assert: [
          {
            condition:
              '${lower(trimsuffix(data.aws_route53_zone.sender.name, ".")) == "example.org"}',
            error_message: expect.stringContaining(
              'hostedZoneId Z0123456789ABCDEFGHIJ is not the zone of the sender domain example.org',
            ),
          },
          {
            condition: '${!data.aws_route53_zone.sender.private_zone}',
            error_message: expect.stringContaining('is a private hosted zone'),
          },
        ],
      },
    });
    expect((withTrail as unknown as { check?: unknown }).check).toBeUndefined();
  });
});

describe('order of creation', () => {
  /** The Terraform addresses of every resource of a type. */
  const addresses = (c: TfConfig, type: string) =>
    Object.keys(resourcesOf(c, type)).map((name) => `${type}.${name}`);

  test('users are created only once everything that welcomes them exists', () => {
    const user = only(withTrail, 'aws_iam_user');
    expect([...(user.depends_on as string[])].sort()).toEqual(
      [
        ...addresses(withTrail, 'aws_cloudtrail'),
        // The CreateUser rule's target (the reconcile schedule is not needed first).
        `aws_cloudwatch_event_target.${Object.entries(resourcesOf(withTrail, 'aws_cloudwatch_event_target')).find(([, t]) => t.target_id === 'welcome-topic')![0]}`,
        ...addresses(withTrail, 'aws_lambda_function'),
        ...addresses(withTrail, 'aws_lambda_event_source_mapping'),
        // The queue's policy and subscription, not the alerts topic's email subscriptions.
        `aws_sns_topic_subscription.${Object.entries(resourcesOf(withTrail, 'aws_sns_topic_subscription')).find(([, s]) => s.protocol === 'sqs' && s.topic_arn === topicRef(withTrail))![0]}`,
        `aws_sqs_queue_policy.${Object.entries(resourcesOf(withTrail, 'aws_sqs_queue_policy')).find(([name]) => name.includes('_queue_policy'))![0]}`,
        `aws_sns_topic_policy.${Object.entries(resourcesOf(withTrail, 'aws_sns_topic_policy')).find(([, p]) => p.arn === topicRef(withTrail))![0]}`,
      ].sort(),
    );
  });

  test('with a hosted zone, also after SES has verified the sender; without a trail, not after one', () => {
    const deps = only(withZone, 'aws_iam_user').depends_on as string[];
    expect(deps).toEqual(
      expect.arrayContaining(addresses(withZone, 'aws_ses_domain_identity_verification')),
    );
    expect(addresses(withZone, 'aws_ses_domain_identity_verification')).toHaveLength(1);
    expect(deps.some((d) => d.startsWith('aws_cloudtrail.'))).toBe(false);
  });
});

import { TerraformOutput, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { mailFromDomain, senderEmail, type Settings } from '../inputs/settings';
import { CloudTrailTrail, KeptTrailLogs } from './cloudtrail-trail';
import { DeadLetterQueue } from './dead-letter-queue';
import { EncryptedTopic } from './encrypted-topic';
import { alarmArnPattern, FailureAlarms } from './failure-alarms';
import { PipelineKey } from './pipeline-key';
import { PIPELINE_REGION } from './region';
import { ReconcileSchedule } from './reconcile-schedule';
import { QueueSchedule } from './queue-schedule';
import { EXPIRE_REQUEST } from '../shared/contract';
import { SenderIdentity } from './sender-identity';
import { defaultBusRuleArn, UserEventsRule } from './user-events-rule';
import { RequestFunction } from './request-function';
import { RequestQueue } from './request-queue';
import { AdminNotices } from './admin-notices';
import { NoticeAlarms } from './notice-alarms';
import { SesFeedback } from './ses-feedback';
import { WELCOME_QUEUE_MAX_RECEIVES } from '../shared/contract';
import { ssmParameterArn } from '../shared/ssm-parameter';

/**
 * Names of the pipeline's resources (all start with "iam-onboarding"), as
 * deployed. Some say less than they carry: the user-events rule and topic
 * also carry TagUser (a resend), the request queue and the function every
 * kind of request (welcome, resend, reconcile, expire, SES feedback). They
 * stay as they are: each is the resource's AWS name, which AWS cannot
 * change in place (a new name replaces the queue with its waiting messages,
 * the function with its role and log group, the rule, and everything that
 * names them: policies, alarms, runbooks). The code's names say what they
 * carry instead (RequestQueue, RequestFunction, UserEventsRule).
 */
export const PIPELINE_NAMES = {
  prefix: 'iam-onboarding',
  rule: 'iam-onboarding-user-created',
  topic: 'iam-onboarding-user-created',
  alertsTopic: 'iam-onboarding-alerts',
  deadLetterQueue: 'iam-onboarding-welcome-failures',
  requestQueue: 'iam-onboarding-welcome-queue',
  reconcileRule: 'iam-onboarding-reconcile',
  expiryRule: 'iam-onboarding-expire-passwords',
  function: 'iam-onboarding-welcome',
  keyAlias: 'iam-onboarding',
  defaultTrail: 'iam-onboarding',
  adminTopic: 'iam-onboarding-admin-notices',
  feedbackTopic: 'iam-onboarding-ses-feedback',
  configurationSet: 'iam-onboarding-welcome',
} as const;

export interface WelcomePipelineProps {
  /** Validated settings (inputs/settings.ts). */
  readonly settings: Settings;
  /**
   * Directory holding the bundled welcome function.
   * @default bundles handlers/welcome (stacks/welcome-bundle.ts)
   */
  readonly welcomeCodeDir?: string;
}

/** Seconds one run of the welcome function may take (room for SES back-off). */
const WELCOME_TIMEOUT_SECONDS = 60;

/**
 * The welcome pipeline (docs/design.md, "The flow"): CloudTrail -> EventBridge rule ->
 * encrypted SNS topic -> encrypted queue -> welcome function -> SES, with a
 * dead-letter queue and alarms so that no event vanishes. Everything in
 * us-east-1 (docs/design.md, "IAM events arrive only in us-east-1").
 */
export class WelcomePipeline extends Construct {
  /** Absent when the settings rely on an existing trail. */
  readonly trail?: CloudTrailTrail;
  /** Present exactly when `trail` is absent: forgets a log bucket this stack once created. */
  readonly keptTrailLogs?: KeptTrailLogs;
  readonly sender: SenderIdentity;
  readonly key: PipelineKey;
  readonly topic: EncryptedTopic;
  readonly alertsTopic: EncryptedTopic;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly queue: RequestQueue;
  readonly rule: UserEventsRule;
  readonly reconcile: ReconcileSchedule;
  /** Absent when settings `expiry.enabled` is false. */
  readonly expiry?: QueueSchedule;
  /** The function (construct id `welcome`, kept: it is in every Terraform address of the function). */
  readonly welcome: RequestFunction;
  readonly alarms: FailureAlarms;
  /** The admins' topic (with admin addresses) and the Slack webhook's parameter name. */
  readonly notices: AdminNotices;
  /** SES configuration set, its bounce/complaint/reject topic and its subscription to the queue. */
  readonly feedback: SesFeedback;
  readonly noticeAlarms: NoticeAlarms;
  /**
   * What must exist before a managed user is created, or its CreateUser
   * event finds nobody listening and the person never gets an email: the
   * trail (when this stack creates it), the rule and its target, the topic
   * and its policy, the queue with its policy and subscription, the function
   * with its event source mapping, and, with a hosted zone, the verified sender.
   */
  readonly listeners: readonly TerraformResource[];

  constructor(scope: Construct, id: string, props: WelcomePipelineProps) {
    super(scope, id);
    const s = props.settings;
    const region = PIPELINE_REGION;
    const accountId = s.accountId;

    if (s.trail.create) {
      this.trail = new CloudTrailTrail(this, 'trail', {
        accountId,
        trailName: s.trail.name ?? PIPELINE_NAMES.defaultTrail,
      });
    } else {
      // Turning trail.create off (or never having it on): forget the log
      // bucket instead of destroying it; the audit logs stay in the account.
      this.keptTrailLogs = new KeptTrailLogs(this, 'trail');
    }

    this.sender = new SenderIdentity(this, 'sender', {
      accountId,
      domain: s.sender.domain,
      mailFromDomain: mailFromDomain(s),
      ...(s.hostedZoneId ? { hostedZoneId: s.hostedZoneId } : {}),
    });

    // Known before the rule and alarms exist, so the policies can name them.
    const ruleArn = defaultBusRuleArn(region, accountId, PIPELINE_NAMES.rule);
    const reconcileArn = defaultBusRuleArn(region, accountId, PIPELINE_NAMES.reconcileRule);
    const expiryArns = s.expiry.enabled
      ? [defaultBusRuleArn(region, accountId, PIPELINE_NAMES.expiryRule)]
      : [];
    const alarms = alarmArnPattern(region, accountId, PIPELINE_NAMES.prefix);

    // The key's policy names the resources it encrypts by ARN; they are
    // derived from their names, as the resources refer to the key.
    const arn = (service: string, name: string) =>
      `arn:aws:${service}:${region}:${accountId}:${name}`;
    this.key = new PipelineKey(this, 'key', {
      accountId,
      aliasName: PIPELINE_NAMES.keyAlias,
      serviceUsers: [
        {
          service: 'events.amazonaws.com',
          contextKey: 'aws:sns:topicArn',
          resourceArns: [arn('sns', PIPELINE_NAMES.topic)],
        },
        {
          // The reconcile and expiry schedules' requests into the request queue.
          service: 'events.amazonaws.com',
          contextKey: 'aws:sqs:arn',
          resourceArns: [arn('sqs', PIPELINE_NAMES.requestQueue)],
        },
        {
          service: 'cloudwatch.amazonaws.com',
          contextKey: 'aws:sns:topicArn',
          resourceArns: [arn('sns', PIPELINE_NAMES.alertsTopic)],
        },
        {
          service: 'sns.amazonaws.com',
          contextKey: 'aws:sqs:arn',
          resourceArns: [arn('sqs', PIPELINE_NAMES.requestQueue)],
        },
        {
          // Bounce, complaint and reject events of the welcome emails.
          service: 'ses.amazonaws.com',
          contextKey: 'aws:sns:topicArn',
          resourceArns: [arn('sns', PIPELINE_NAMES.feedbackTopic)],
        },
      ],
    });
    this.topic = new EncryptedTopic(this, 'topic', {
      name: PIPELINE_NAMES.topic,
      kmsKeyArn: this.key.keyArn,
      publishers: [{ service: 'events.amazonaws.com', sourceArns: [ruleArn] }],
    });
    this.alertsTopic = new EncryptedTopic(this, 'alerts', {
      name: PIPELINE_NAMES.alertsTopic,
      kmsKeyArn: this.key.keyArn,
      publishers: [{ service: 'cloudwatch.amazonaws.com', sourceArns: [alarms] }],
      emailSubscribers: s.alerts.emails,
    });
    this.deadLetterQueue = new DeadLetterQueue(this, 'dead-letters', {
      name: PIPELINE_NAMES.deadLetterQueue,
      senders: [
        { service: 'events.amazonaws.com', sourceArns: [ruleArn, reconcileArn, ...expiryArns] },
        {
          service: 'sns.amazonaws.com',
          sourceArns: [this.topic.topicArn, arn('sns', PIPELINE_NAMES.feedbackTopic)],
        },
      ],
    });
    this.queue = new RequestQueue(this, 'queue', {
      name: PIPELINE_NAMES.requestQueue,
      topicArn: this.topic.topicArn,
      eventRuleArns: [reconcileArn, ...expiryArns],
      feedbackTopicArns: [arn('sns', PIPELINE_NAMES.feedbackTopic)],
      // The function's role is named after it (request-function.ts).
      functionRoleArn: `arn:aws:iam::${accountId}:role/${PIPELINE_NAMES.function}`,
      operatorRoleArns: s.delivery.operatorRoles,
      maxReceiveCount: WELCOME_QUEUE_MAX_RECEIVES,
      kmsKeyArn: this.key.keyArn,
      deadLetterQueueArn: this.deadLetterQueue.queueArn,
      // AWS's advice for a queue that feeds a function: six times its timeout.
      visibilityTimeoutSeconds: 6 * WELCOME_TIMEOUT_SECONDS,
    });
    this.rule = new UserEventsRule(this, 'rule', {
      accountId,
      name: PIPELINE_NAMES.rule,
      targetArn: this.topic.topicArn,
      deadLetterQueueArn: this.deadLetterQueue.queueArn,
    });
    this.reconcile = new ReconcileSchedule(this, 'reconcile', {
      accountId,
      name: PIPELINE_NAMES.reconcileRule,
      requestQueueArn: this.queue.queueArn,
      deadLetterQueueArn: this.deadLetterQueue.queueArn,
      scheduleExpression: s.delivery.reconcileSchedule,
    });
    if (s.expiry.enabled) {
      this.expiry = new QueueSchedule(this, 'expiry', {
        accountId,
        name: PIPELINE_NAMES.expiryRule,
        description:
          'iam-onboarding: daily expiry, deletes temporary passwords never used in time and tells the admins',
        scheduleExpression: s.expiry.schedule,
        body: EXPIRE_REQUEST,
        requestQueueArn: this.queue.queueArn,
        deadLetterQueueArn: this.deadLetterQueue.queueArn,
      });
    }
    this.feedback = new SesFeedback(this, 'ses-feedback', {
      accountId,
      configurationSetName: PIPELINE_NAMES.configurationSet,
      topicName: PIPELINE_NAMES.feedbackTopic,
      kmsKeyArn: this.key.keyArn,
      queueArn: this.queue.queueArn,
      deadLetterQueueArn: this.deadLetterQueue.queueArn,
      dependsOn: [this.queue.policy, this.key.key],
    });
    const adminTopicArn =
      s.notifications.adminEmails.length > 0 ? arn('sns', PIPELINE_NAMES.adminTopic) : undefined;
    const slackParameter = s.notifications.slackWebhookParameter;
    const botTokenParameter = s.delivery.slackBotTokenParameter;
    this.welcome = new RequestFunction(this, 'welcome', {
      notices: {
        ...(adminTopicArn ? { adminTopicArn } : {}),
        ...(slackParameter
          ? {
              slackWebhookParameter: {
                name: slackParameter,
                arn: ssmParameterArn(region, accountId, slackParameter),
              },
            }
          : {}),
        sesConfigurationSet: {
          name: this.feedback.configurationSetName,
          arn: this.feedback.configurationSetArn,
        },
        ...(botTokenParameter
          ? {
              slackBotTokenParameter: {
                name: botTokenParameter,
                arn: ssmParameterArn(region, accountId, botTokenParameter),
              },
            }
          : {}),
        deliveryChannel: s.delivery.channel,
      },
      accountId,
      functionName: PIPELINE_NAMES.function,
      queueArn: this.queue.queueArn,
      queueUrl: this.queue.queue.url,
      queueKeyArn: this.key.keyArn,
      timeoutSeconds: WELCOME_TIMEOUT_SECONDS,
      maximumConcurrency: s.delivery.maximumConcurrency,
      ...(s.delivery.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: s.delivery.reservedConcurrency }),
      senderIdentityArn: this.sender.identityArn,
      fromAddress: senderEmail(s),
      logRetentionDays: s.logRetentionDays,
      settings: {
        senderAddress: s.sender.address,
        organisationName: s.organisationName,
        helpContact: s.helpContact,
        requireMfa: s.security.requireMfa,
        ...(s.accountAlias ? { accountAlias: s.accountAlias } : {}),
        ...(s.expiry.enabled ? { unusedPasswordDays: s.expiry.unusedPasswordDays } : {}),
        ...(s.security.deployRoleArn ? { deployRoleArn: s.security.deployRoleArn } : {}),
      },
      ...(props.welcomeCodeDir ? { codeDir: props.welcomeCodeDir } : {}),
    });
    this.alarms = new FailureAlarms(this, 'alarms', {
      accountId,
      namePrefix: PIPELINE_NAMES.prefix,
      alertTopicArn: this.alertsTopic.topicArn,
      functionName: PIPELINE_NAMES.function,
      functionLogGroupName: this.welcome.logGroup.name,
      deadLetterQueueName: PIPELINE_NAMES.deadLetterQueue,
      ruleName: PIPELINE_NAMES.rule,
      reconcileRuleName: PIPELINE_NAMES.reconcileRule,
      ...(this.expiry ? { expiryRuleName: this.expiry.ruleName } : {}),
      topicName: PIPELINE_NAMES.topic,
      requestQueueName: PIPELINE_NAMES.requestQueue,
    });

    this.notices = new AdminNotices(this, 'admin-notices', {
      accountId,
      topicName: PIPELINE_NAMES.adminTopic,
      kmsKeyArn: this.key.keyArn,
      publisherRoleArn: this.welcome.role.arn,
      adminEmails: s.notifications.adminEmails,
      ...(slackParameter ? { slackWebhookParameter: slackParameter } : {}),
      ...(botTokenParameter ? { slackBotTokenParameter: botTokenParameter } : {}),
    });
    this.noticeAlarms = new NoticeAlarms(this, 'notice-alarms', {
      namePrefix: PIPELINE_NAMES.prefix,
      alertTopicArn: this.alertsTopic.topicArn,
      functionLogGroupName: this.welcome.logGroup.name,
      feedbackTopicName: PIPELINE_NAMES.feedbackTopic,
      ...(this.notices.topic ? { adminTopicName: PIPELINE_NAMES.adminTopic } : {}),
      deliversNotices: this.notices.topic !== undefined || slackParameter !== undefined,
    });

    this.listeners = [
      ...(this.trail ? [this.trail.trail] : []),
      this.rule.target,
      this.topic.policy,
      this.queue.policy,
      this.queue.subscription,
      this.welcome.function,
      this.welcome.eventSource,
      ...(this.sender.verification ? [this.sender.verification] : []),
    ];

    new TerraformOutput(this, 'dead-letter-queue-url', {
      description: 'Where undelivered CreateUser events wait (inspect, then redrive)',
      value: this.deadLetterQueue.queue.url,
    }).overrideLogicalId('dead_letter_queue_url');
    new TerraformOutput(this, 'alerts-topic-arn', {
      description: 'Operational alerts (confirm the email subscriptions)',
      value: this.alertsTopic.topicArn,
    }).overrideLogicalId('alerts_topic_arn');
  }
}

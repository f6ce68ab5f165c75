import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import {
  EXPIRED_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
  MANAGED_USER_PATH,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  UNUSED_PASSWORD_DAYS,
  WELCOME_ENV,
  WELCOMED_TAG_KEY,
  SUSPENDED_AT_TAG_KEY,
  REINSTATED_AT_TAG_KEY,
  END_WARNED_TAG_KEY,
} from '../shared/contract';
import { actionsOn, QUEUE_POLLER_ACTIONS, statementActions } from '../shared/function-calls';
import { bundleWelcome } from './welcome-bundle';
import {
  adminNoticeEnvironment,
  type AdminNoticeGrantProps,
  adminNoticeStatements,
} from './admin-notice-grants';
import { zipDirectorySync } from './zip';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';
import { PIPELINE_REGION } from './region';

/**
 * How many copies of the function the queue may run at once: the least an
 * event source mapping takes. Two copies send at most a few emails a second,
 * close to the SES sandbox's 1 a second (the handler backs off on
 * `Throttling`) and far below production's 14; 1000 new people drain in
 * about a quarter of an hour. It reserves nothing, so it deploys on a new
 * account whose Lambda quota is 10 (config/README.md "Pacing").
 */
export const FUNCTION_MAXIMUM_CONCURRENCY = 2;

/** Non-secret settings the function reads (shared/contract.ts WELCOME_ENV). */
export interface RequestFunctionSettings {
  /** From address, e.g. `Example IT <onboarding@example.com>`. */
  readonly senderAddress: string;
  readonly organisationName: string;
  readonly helpContact: string;
  /** @default none: the function asks IAM for the account alias */
  readonly accountAlias?: string;
  /**
   * Managed people must set up MFA (settings `security.requireMfa`): the email explains how.
   * @default false
   */
  readonly requireMfa?: boolean;
  /**
   * Days an unused temporary password may stay (settings `expiry`): the
   * function deletes older unused login profiles when the expiry schedule
   * asks, and may then write the expired tag.
   * @default none: expiry off, no expired tag allowed
   */
  readonly unusedPasswordDays?: number;
  /**
   * The deploy role's ARN (settings `security.deployRoleArn`): the only
   * caller whose TagUser may send a resend to a changed address.
   * @default none: every resend is unattributed (handlers/welcome/core/resend.ts)
   */
  readonly deployRoleArn?: string;
}

export interface RequestFunctionProps {
  readonly accountId: string;
  /** @default "iam-onboarding-welcome" (also the role's and the log group's name) */
  readonly functionName?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** ARN of the queue the function drains (stacks/request-queue.ts); its only trigger. */
  readonly queueArn: string;
  /**
   * URL of that queue: the reconcile run queues a welcome there for each user
   * it finds, the expiry run its next page.
   */
  readonly queueUrl: string;
  /** ARN of the key that encrypts the queue: the function decrypts what it receives. */
  readonly queueKeyArn: string;
  /** ARN of the SES identity the function sends from (the sender domain). */
  readonly senderIdentityArn: string;
  /**
   * The bare From address (`onboarding@example.com`): the only one the role
   * may send as (`ses:FromAddress`).
   */
  readonly fromAddress: string;
  readonly settings: RequestFunctionSettings;
  /** Days the log group keeps logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /**
   * IAM path of the users the function may act on (resource ARNs `user<path>*`).
   * @default MANAGED_USER_PATH ("/iam-onboarding/")
   */
  readonly managedUserPath?: string;
  /**
   * Copies the queue may run at once (the event source mapping's maximum
   * concurrency, 2 to 1000). Reserves nothing.
   * @default FUNCTION_MAXIMUM_CONCURRENCY (2); see its documentation
   */
  readonly maximumConcurrency?: number;
  /**
   * Lambda concurrency reserved for the function, for accounts whose quota
   * allows it (a reservation that leaves under 10 unreserved fails to deploy).
   * Must be at least `maximumConcurrency`, or the queue's invocations are throttled.
   * @default none
   */
  readonly reservedConcurrency?: number;
  /**
   * Messages per invocation. One keeps an invocation short and a failure
   * confined to one person.
   * @default 1
   */
  readonly batchSize?: number;
  /** @default 60 (room for the handler's back-off on SES throttling) */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * Directory holding the bundled `index.js`. It is zipped reproducibly to
   * `<codeDir>.zip` (stacks/zip.ts), which becomes the asset.
   * @default bundles handlers/welcome with esbuild (stacks/welcome-bundle.ts)
   */
  readonly codeDir?: string;
  /**
   * Admin notices, SES feedback and Slack DMs: the admins' topic, the Slack
   * webhook's parameter, the configuration set the emails are sent with, the
   * bot token's parameter and the default channel (grants and environment in
   * admin-notice-grants.ts).
   * @default none of them
   */
  readonly notices?: Pick<
    AdminNoticeGrantProps,
    | 'adminTopicArn'
    | 'slackWebhookParameter'
    | 'sesConfigurationSet'
    | 'slackBotTokenParameter'
    | 'deliveryChannel'
  >;
}

/**
 * The function that serves every request of the request queue (welcome,
 * resend, reconcile, expire, SES feedback; the handler is handlers/welcome):
 * nodejs22.x, bundled code, a role granting exactly the table of its calls
 * (shared/function-calls.ts), writes on the managed users only, its own log
 * group with retention, fed by the queue through an event source mapping
 * that reports failures per message (the queue's redrive policy is its
 * failure path). Deployed as `iam-onboarding-welcome` (function, role and
 * log group), its construct id `welcome`: both kept from when it only
 * welcomed, as a new name or address would replace all three
 * (welcome-pipeline.ts, PIPELINE_NAMES).
 *
 * Scoping: by IAM path and by the managed-by tag. Every managed user is
 * created under MANAGED_USER_PATH, and IAM evaluates user ARNs with their path
 * (`arn:aws:iam::<account>:user/iam-onboarding/<name>`), so the role cannot
 * touch a user elsewhere; `iam:ResourceTag/managed-by` also requires the tag
 * the stack sets (the handler checks it too).
 */
export class RequestFunction extends Construct {
  readonly asset: TerraformAsset;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly function: LambdaFunction;
  readonly eventSource: LambdaEventSourceMapping;
  readonly functionName: string;
  /** The role's policy statements, as rendered. */
  readonly statements: readonly PolicyStatement[];
  /** The environment the function gets (names from WELCOME_ENV). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RequestFunctionProps) {
    super(scope, id);
    const name = props.functionName ?? 'iam-onboarding-welcome';
    const region = props.region ?? PIPELINE_REGION;
    const path = props.managedUserPath ?? MANAGED_USER_PATH;
    const maxConcurrency = props.maximumConcurrency ?? FUNCTION_MAXIMUM_CONCURRENCY;
    const reserved = props.reservedConcurrency;
    const batchSize = props.batchSize ?? 1;
    const timeout = props.timeoutSeconds ?? 60;
    const memorySize = props.memorySize ?? 256;
    new InputChecks()
      .matches('functionName', name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(name.length <= 64, 'functionName is longer than 64 characters')
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches('managedUserPath', path, /^\/(?:[\x21-\x7e]+\/)?$/, 'must start and end with "/"')
      .check(
        path !== '/',
        'managedUserPath must not be "/": that would cover every user in the account',
      )
      .integerIn('maximumConcurrency', maxConcurrency, 2, 1000)
      .integerIn('batchSize', batchSize, 1, 10)
      .check(
        reserved === undefined || (Number.isInteger(reserved) && reserved >= maxConcurrency),
        `reservedConcurrency must be a whole number no smaller than maximumConcurrency (${maxConcurrency}), or the queue's invocations are throttled (got ${reserved})`,
      )
      .integerIn('timeoutSeconds', timeout, 1, 900)
      .integerIn('memorySize', memorySize, 128, 10240)
      .integerIn('logRetentionDays', props.logRetentionDays, 1, 3653)
      .check(
        props.settings.unusedPasswordDays === undefined ||
          (Number.isInteger(props.settings.unusedPasswordDays) &&
            props.settings.unusedPasswordDays >= UNUSED_PASSWORD_DAYS.min &&
            props.settings.unusedPasswordDays <= UNUSED_PASSWORD_DAYS.max),
        `settings.unusedPasswordDays must be a whole number from ${UNUSED_PASSWORD_DAYS.min} to ${UNUSED_PASSWORD_DAYS.max} (got ${props.settings.unusedPasswordDays})`,
      )
      .throwIfAny(this);
    this.functionName = name;

    // A reproducible zip of the bundle, beside it: its hash changes exactly
    // when the code does, on any machine.
    const code = props.codeDir
      ? zipDirectorySync(props.codeDir, `${props.codeDir.replace(/[\\/]+$/, '')}.zip`)
      : bundleWelcome();
    this.asset = new TerraformAsset(this, 'code', { path: code.archive, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays,
    });

    this.role = new IamRole(this, 'role', {
      name,
      description: 'iam-onboarding welcome function',
      assumeRolePolicy: policyJson([
        {
          Sid: 'LambdaAssumesRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
    });

    const managedUsers = `arn:aws:iam::${props.accountId}:user${path}*`;
    const noticeGrants: AdminNoticeGrantProps = {
      accountId: props.accountId,
      region,
      pipelineKeyArn: props.queueKeyArn,
      fromAddress: props.fromAddress,
      ...props.notices,
    };
    this.statements = [
      {
        // Path and tag: someone who may create users under the path but not
        // tag them managed cannot have a console password mailed anywhere.
        // GetLoginProfile tells "a profile exists" apart (see TagUser below).
        Sid: 'WelcomeManagedUsersOnly',
        Effect: 'Allow',
        Action: statementActions('managed-user'),
        Resource: managedUsers,
        Condition: {
          StringEquals: { [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE },
        },
      },
      {
        // After a successful send: tells "welcomed" from "a profile exists but
        // no email went out", and records the resend value served and the
        // address it went to. Only those tags: the role cannot rewrite the
        // address, the managed-by mark or the resend request itself.
        Sid: 'MarkManagedUsersWelcomed',
        Effect: 'Allow',
        Action: statementActions('managed-user-tag'),
        Resource: managedUsers,
        Condition: {
          StringEquals: { [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': [WELCOMED_TAG_KEY, RESENT_TAG_KEY, SENT_TO_TAG_KEY],
          },
        },
      },
      {
        // A suspension (the roster's, or an end date passed): the keys are
        // turned off by the first statement's ListAccessKeys/UpdateAccessKey;
        // the function records what it did, with only these tags.
        Sid: 'MarkManagedUsersSuspended',
        Effect: 'Allow',
        Action: 'iam:TagUser',
        Resource: managedUsers,
        Condition: {
          StringEquals: { [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': [SUSPENDED_AT_TAG_KEY, REINSTATED_AT_TAG_KEY, END_WARNED_TAG_KEY],
          },
        },
      },
      {
        // Reads only, on any user: for a user that no longer exists IAM
        // authorizes against an ARN without the path, so a path-scoped GetUser
        // would answer AccessDenied instead of NoSuchEntity, and a deleted user
        // would fail (and alarm) instead of being skipped. The handler still
        // acts only on users under the managed path with the managed tag.
        Sid: 'ReadUsersToDecide',
        Effect: 'Allow',
        Action: statementActions('user'),
        Resource: `arn:aws:iam::${props.accountId}:user/*`,
      },
      {
        // Account-level reads: these actions have no resource to scope to
        // (ListUsers: the reconcile run lists the managed path;
        // GetSuppressedDestination: SES's suppression list, read before a
        // password is issued).
        Sid: 'AccountLevelReads',
        Effect: 'Allow',
        Action: statementActions('account'),
        Resource: '*',
      },
      {
        // Any identity of the account as resource, because in the SES sandbox
        // SES also authorizes the (verified) recipient's identity; the From
        // address is what is pinned.
        Sid: 'SendAsTheSenderOnly',
        Effect: 'Allow',
        Action: statementActions('sender-identity'),
        Resource: `arn:aws:ses:${region}:${props.accountId}:identity/*`,
        Condition: { StringEquals: { 'ses:FromAddress': props.fromAddress } },
      },
      {
        Sid: 'OwnLogGroupOnly',
        Effect: 'Allow',
        Action: statementActions('own-log-stream'),
        Resource: `arn:aws:logs:${region}:${props.accountId}:log-group:/aws/lambda/${name}:*`,
      },
      {
        // The event source mapping polls with the function's role; the
        // reconcile run queues one welcome per user it finds, the expiry
        // run its next page (SendMessage).
        Sid: 'UseWelcomeQueue',
        Effect: 'Allow',
        Action: [...QUEUE_POLLER_ACTIONS, ...actionsOn('request-queue')],
        Resource: props.queueArn,
      },
      {
        // The key also encrypts the topics: the role may use it for its
        // queue's messages only (SQS names the queue in the encryption context).
        Sid: 'UseWelcomeQueueKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: props.queueKeyArn,
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': props.queueArn } },
      },
      ...(props.settings.unusedPasswordDays === undefined
        ? []
        : [
            {
              // After deleting an unused login profile: when, for reports.
              // Only that tag, like the welcomed one.
              Sid: 'MarkManagedUsersExpired',
              Effect: 'Allow' as const,
              Action: statementActions('managed-user-tag'),
              Resource: managedUsers,
              Condition: {
                StringEquals: { [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE },
                'ForAllValues:StringEquals': { 'aws:TagKeys': [EXPIRED_TAG_KEY] },
              },
            },
          ]),
      ...adminNoticeStatements(noticeGrants),
    ];
    this.rolePolicy = new IamRolePolicy(this, 'policy', {
      name: 'welcome',
      role: this.role.id,
      policy: policyJson(this.statements),
    });

    this.environment = {
      [WELCOME_ENV.senderAddress]: props.settings.senderAddress,
      [WELCOME_ENV.senderIdentityArn]: props.senderIdentityArn,
      [WELCOME_ENV.organisationName]: props.settings.organisationName,
      [WELCOME_ENV.helpContact]: props.settings.helpContact,
      [WELCOME_ENV.welcomeQueueUrl]: props.queueUrl,
      [WELCOME_ENV.requireMfa]: props.settings.requireMfa === true ? 'true' : 'false',
      ...(props.settings.accountAlias
        ? { [WELCOME_ENV.accountAlias]: props.settings.accountAlias }
        : {}),
      ...(props.settings.unusedPasswordDays === undefined
        ? {}
        : { [WELCOME_ENV.unusedPasswordDays]: String(props.settings.unusedPasswordDays) }),
      ...(props.settings.deployRoleArn
        ? { [WELCOME_ENV.deployRoleArn]: props.settings.deployRoleArn }
        : {}),
      ...adminNoticeEnvironment(noticeGrants),
    };

    this.function = new LambdaFunction(this, 'function', {
      functionName: name,
      description: 'iam-onboarding: login profile and welcome email for each new managed user',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      architectures: ['arm64'],
      filename: this.asset.path,
      // Lambda's own CodeSha256 of the reproducible zip: a code update is planned exactly when it differs.
      sourceCodeHash: code.archiveSha256,
      timeout,
      memorySize,
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      environment: { variables: this.environment },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      // The log group (with its retention) and the permissions exist before the first run.
      dependsOn: [this.logGroup, this.rolePolicy],
    });

    this.eventSource = new LambdaEventSourceMapping(this, 'queue', {
      eventSourceArn: props.queueArn,
      functionName: this.function.arn,
      batchSize,
      // The handler names the messages that failed; the others are deleted.
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: maxConcurrency },
      // The mapping polls with the role: its SQS and KMS grants come first.
      dependsOn: [this.rolePolicy],
    });
  }
}

/**
 * The hops of the flow, derived from the configuration's resources rather
 * than from a list of names, so the rehearsal follows the pipeline as it
 * changes: every event target, subscription, event source mapping, invoke
 * configuration, alarm, trail and key yields the requests AWS will make, each
 * with the principal, action, concrete resource and the policies that decide.
 */
import { refKey } from './resolve';
import { awsSsmKeyArn, awsSsmKeyPolicy } from './aws-managed-keys';
import { WELCOME_ENV } from '../../shared/contract';
import { QUEUE_POLLER_ACTIONS } from '../../shared/function-calls';
import type { Body } from './config';
import { Graph, type NamedPolicy, type Node } from './graph';
import {
  bareAddress,
  managedUserArn,
  MANAGED_USER_TAGS,
  MUST_BE_REFUSED,
  ON_UNMANAGED_USERS,
  runsWelcomeHandler,
  UNMANAGED_USERS,
  WELCOME_HANDLER_CALLS,
  type HandlerCall,
} from './handler-calls';

export type Context = Readonly<Record<string, string | readonly string[]>>;

export interface Hop {
  /** E.g. `events -> topic iam-onboarding-user-created: sns:Publish`. */
  readonly name: string;
  /** Service principal (`events.amazonaws.com`) or principal ARN. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  /** The requester's identity policies (none for a service principal). */
  readonly identityPolicies: readonly NamedPolicy[];
  readonly permissionBoundary?: NamedPolicy;
  /** Service control policies of the account (review/rehearsal/tagging-guard.ts); none: no Organizations. */
  readonly serviceControlPolicies?: readonly NamedPolicy[];
  /** The resource's policy, when it has one. */
  readonly resourcePolicy?: NamedPolicy;
  /** `refused` for requests that must fail (writes on users the function does not manage). */
  readonly expect: 'allowed' | 'refused';
  /** Said on the line whatever the verdict (e.g. why no key is checked). */
  readonly note?: string;
  /** Known to fail without evaluating (e.g. an AWS-managed key a service cannot use). */
  readonly deniedBecause?: string;
  /** Cannot be checked offline (e.g. a key defined elsewhere). */
  readonly skippedBecause?: string;
}

/** Who makes a request. */
interface Requester {
  readonly principal: string;
  /** Short name in hop names: `events`, `role iam-onboarding-welcome`. */
  readonly label: string;
  readonly service: boolean;
  /** Context of requests to the target itself (aws:SourceArn, aws:SourceAccount). */
  readonly context: Context;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly permissionBoundary?: NamedPolicy;
  readonly notes: readonly string[];
}

const ENCRYPT_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
const KEY_ADMIN_ACTIONS = ['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion'];

const asBody = (v: unknown): Body | undefined => {
  const one: unknown = Array.isArray(v) ? v[0] : v;
  return typeof one === 'object' && one !== null ? (one as Body) : undefined;
};

export class HopBuilder {
  readonly hops: Hop[] = [];

  constructor(private readonly g: Graph) {}

  private service(service: string, sourceArn: string | undefined): Requester {
    return {
      principal: service,
      label: service.replace(/\.amazonaws\.com$/, ''),
      service: true,
      context: {
        ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}),
        'aws:SourceAccount': this.g.accountId,
      },
      identityPolicies: [],
      notes: [],
    };
  }

  /** A function's role, as the session Lambda runs it under. */
  private functionRole(fn: Node): Requester | undefined {
    const role = this.g.roleOf(fn);
    if (!role) return undefined;
    const name = this.g.r.attribute(role.ref, 'name') ?? role.ref.name;
    const session = this.g.r.attribute(fn.ref, 'function_name') ?? fn.ref.name;
    const { policies, boundary, notes } = this.g.rolePolicies(role);
    const path = this.g.r.attribute(role.ref, 'path') ?? '/';
    return {
      principal: `arn:aws:sts::${this.g.accountId}:assumed-role/${name}/${session}`,
      label: `role ${name}`,
      service: false,
      // AWS sets aws:PrincipalArn to the role's ARN (not the session's) on
      // every request of a role session; the evaluator does not derive it.
      context: { 'aws:PrincipalArn': `arn:aws:iam::${this.g.accountId}:role${path}${name}` },
      identityPolicies: policies,
      ...(boundary ? { permissionBoundary: boundary } : {}),
      notes,
    };
  }

  private add(
    who: Requester,
    target: string,
    action: string,
    resource: string,
    extra: Partial<Hop> = {},
  ): void {
    const notes = [...who.notes, ...(extra.note ? [extra.note] : [])];
    this.hops.push({
      name: `${who.label} -> ${target}: ${action}`,
      principal: who.principal,
      action,
      resource,
      context: who.context,
      identityPolicies: who.identityPolicies,
      ...(who.permissionBoundary ? { permissionBoundary: who.permissionBoundary } : {}),
      expect: 'allowed',
      ...extra,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }

  /**
   * Using the key that encrypts `what`. A service's KMS request is rehearsed
   * without aws:SourceArn/aws:SourceAccount: AWS does not document that SNS
   * or EventBridge pass them to KMS, so a key policy that requires them is
   * reported rather than assumed to work.
   */
  private keyUse(who: Requester, keyId: string, encrypted: Node, actions: readonly string[]): void {
    const key = this.g.keyOf(keyId);
    const what = this.g.label(encrypted);
    const forWhat = (label: string) => `${label} (of ${what})`;
    // SNS and SQS name the topic or queue in the encryption context of every
    // KMS request they make for it, whoever the caller; key policies may
    // condition on it.
    const encryptionContext: Context =
      encrypted.ref.type === 'aws_sns_topic'
        ? { 'kms:EncryptionContext:aws:sns:topicArn': this.g.arn(encrypted) }
        : encrypted.ref.type === 'aws_sqs_queue'
          ? { 'kms:EncryptionContext:aws:sqs:arn': this.g.arn(encrypted) }
          : {};
    const whoForKms: Requester = {
      ...who,
      context: { ...(who.service ? {} : who.context), ...encryptionContext },
    };
    for (const action of actions) {
      if (key.kind === 'key') {
        this.add(whoForKms, forWhat(this.g.label(key.node)), action, this.g.arn(key.node), {
          resourcePolicy: this.g.keyPolicy(key.node),
        });
      } else if (key.kind === 'aws-managed') {
        this.add(whoForKms, forWhat(`key ${key.alias.replace(/^alias\//, '')}`), action, keyId, {
          ...(who.service
            ? {
                deniedBecause: `${key.alias} is an AWS-managed key: its policy admits only principals of the account, never ${who.principal} (docs/design.md, "AWS services need a customer-managed key to write encrypted messages")`,
              }
            : { skippedBecause: `${key.alias} is an AWS-managed key: its policy cannot be read` }),
        });
      } else {
        this.add(whoForKms, forWhat(`key ${key.id}`), action, keyId, {
          skippedBecause: 'the key is not defined in this configuration: its policy cannot be read',
        });
      }
    }
  }

  /** `who` sends to a destination ARN: publish, send or invoke, plus its key. */
  private deliver(who: Requester, destination: unknown, role = ''): void {
    const value = this.g.value(destination);
    if (!value) return;
    const prefix = role ? `${role} ` : '';
    if (value.unresolved.length > 0) {
      this.add(who, `${prefix}${value.unresolved.join(' ')}`, 'deliver', value.value, {
        deniedBecause: `the destination ${value.unresolved.join(', ')} cannot be resolved`,
      });
      return;
    }
    const node = this.g.find(value.value);
    if (!node) {
      this.add(who, `${prefix}${value.value}`, 'deliver', value.value, {
        skippedBecause: 'the destination is not defined in this configuration',
      });
      return;
    }
    const label = `${prefix}${this.g.label(node)}`;
    const arn = this.g.arn(node);
    const keyId = this.g.r.literal(node.ref, 'kms_master_key_id');
    switch (node.ref.type) {
      case 'aws_sns_topic': {
        const policy = this.g.topicPolicy(node);
        this.add(who, label, 'sns:Publish', arn, policy ? { resourcePolicy: policy } : {});
        if (keyId) this.keyUse(who, keyId, node, ENCRYPT_ACTIONS);
        return;
      }
      case 'aws_sqs_queue': {
        const policy = this.g.queuePolicy(node);
        const sse = node.body.sqs_managed_sse_enabled === true;
        const note = keyId
          ? undefined
          : sse
            ? 'SSE-SQS: no key policy involved'
            : 'unencrypted queue: no key involved';
        this.add(who, label, 'sqs:SendMessage', arn, {
          ...(policy ? { resourcePolicy: policy } : {}),
          ...(note ? { note } : {}),
        });
        if (keyId) this.keyUse(who, keyId, node, ENCRYPT_ACTIONS);
        return;
      }
      case 'aws_lambda_function': {
        const policy = this.g.functionPolicy(node);
        this.add(
          who,
          label,
          'lambda:InvokeFunction',
          arn,
          policy ? { resourcePolicy: policy } : {},
        );
        return;
      }
      default:
        this.add(who, label, 'deliver', arn, {
          skippedBecause: `delivery to a ${node.ref.type} is not rehearsed`,
        });
    }
  }

  /** CloudTrail writes log files to the trail's bucket, when this configuration creates it. */
  trails(): void {
    for (const trail of this.g.r.resources('aws_cloudtrail')) {
      const bucket = this.g.find(this.g.r.literal(trail.ref, 's3_bucket_name'), 'aws_s3_bucket');
      if (!bucket) continue;
      const who = this.service('cloudtrail.amazonaws.com', this.g.arn(trail));
      // CloudTrail always writes over TLS.
      const ctx = { ...who.context, 'aws:SecureTransport': 'true' };
      const policy = this.g.bucketPolicy(bucket);
      const bucketArn = this.g.arn(bucket);
      const region = this.g.r.regionOf(trail.ref);
      const prefix = this.g.r.literal(trail.ref, 's3_key_prefix');
      const account = this.g.accountId;
      const object = `${bucketArn}/${prefix ? `${prefix}/` : ''}AWSLogs/${account}/CloudTrail/${region}/2026/01/01/${account}_CloudTrail_${region}_20260101T0000Z_rehearsal.json.gz`;
      const extra = { ...(policy ? { resourcePolicy: policy } : {}) };
      const target = this.g.label(bucket);
      this.add({ ...who, context: ctx }, target, 's3:GetBucketAcl', bucketArn, extra);
      this.add(
        { ...who, context: { ...ctx, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        target,
        's3:PutObject',
        object,
        extra,
      );
    }
  }

  /** EventBridge delivers to each rule target, and to the target's dead-letter queue. */
  eventTargets(): void {
    for (const target of this.g.r.resources('aws_cloudwatch_event_target')) {
      const ruleName = this.g.r.literal(target.ref, 'rule');
      const bus = this.g.r.literal(target.ref, 'event_bus_name') ?? 'default';
      const rule = this.g.r
        .resources('aws_cloudwatch_event_rule')
        .find(
          (r) =>
            this.g.r.attribute(r.ref, 'name') === ruleName &&
            (this.g.r.literal(r.ref, 'event_bus_name') ?? 'default') === bus,
        );
      const who = this.service('events.amazonaws.com', rule ? this.g.arn(rule) : undefined);
      this.deliver(who, target.body.arn);
      this.deliver(who, asBody(target.body.dead_letter_config)?.arn, 'dead-letter');
    }
  }

  /** SNS delivers to each subscription's endpoint, and redrives to its dead-letter queue. */
  subscriptions(): void {
    const endpointsSeen = new Set<string>();
    for (const sub of this.g.r.resources('aws_sns_topic_subscription')) {
      const protocol = this.g.r.literal(sub.ref, 'protocol');
      const topicArn = this.g.r.literal(sub.ref, 'topic_arn');
      const who = this.service('sns.amazonaws.com', topicArn);
      const before = this.hops.length;
      if (protocol === 'lambda' || protocol === 'sqs') this.deliver(who, sub.body.endpoint);
      const redrive = this.g.value(sub.body.redrive_policy);
      if (redrive) {
        let dlq: unknown;
        try {
          dlq = (JSON.parse(redrive.value) as { deadLetterTargetArn?: unknown })
            .deadLetterTargetArn;
        } catch {
          dlq = undefined;
        }
        this.deliver(who, dlq, 'dead-letter');
      }
      // A second topic delivering to the same endpoint (SES feedback into the
      // welcome queue): its lines name the topic, so no two lines read alike.
      const endpoint = this.g.value(sub.body.endpoint)?.value;
      if (endpoint !== undefined && endpointsSeen.has(endpoint)) {
        const topic = topicArn ? this.g.find(topicArn, 'aws_sns_topic') : undefined;
        const from = topic ? this.g.label(topic) : topicArn;
        for (let i = before; i < this.hops.length; i++) {
          this.hops[i] = { ...this.hops[i], name: `${this.hops[i].name} (from ${from})` };
        }
      }
      if (endpoint !== undefined) endpointsSeen.add(endpoint);
    }
  }

  /**
   * SES publishes each configuration set's events to its SNS destinations,
   * as `ses.amazonaws.com` with the set as `aws:SourceArn` (SES's documented
   * topic policy conditions on it and on `aws:SourceAccount`).
   */
  sesEventDestinations(): void {
    for (const destination of this.g.r.resources('aws_ses_event_destination')) {
      const setName = this.g.r.literal(destination.ref, 'configuration_set_name');
      const set = this.g.r
        .resources('aws_ses_configuration_set')
        .find((n) => this.g.r.attribute(n.ref, 'name') === setName);
      const who = this.service('ses.amazonaws.com', set ? this.g.arn(set) : undefined);
      this.deliver(who, asBody(destination.body.sns_destination)?.topic_arn);
    }
  }

  private functionNamed(value: unknown): Node | undefined {
    const v = this.g.value(value)?.value;
    if (v === undefined) return undefined;
    return (
      this.g.find(v, 'aws_lambda_function') ??
      this.g.find(
        v.replace(/^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+).*$/, '$1'),
        'aws_lambda_function',
      )
    );
  }

  /** Lambda polls each SQS event source with the function's role. */
  eventSourceMappings(): void {
    for (const esm of this.g.r.resources('aws_lambda_event_source_mapping')) {
      const queue = this.g.find(this.g.r.literal(esm.ref, 'event_source_arn'), 'aws_sqs_queue');
      const fn = this.functionNamed(esm.body.function_name);
      if (!queue || !fn) continue;
      const who = this.functionRole(fn);
      if (!who) continue;
      const policy = this.g.queuePolicy(queue);
      const keyId = this.g.r.literal(queue.ref, 'kms_master_key_id');
      const note = keyId
        ? undefined
        : queue.body.sqs_managed_sse_enabled === true
          ? 'SSE-SQS: no key policy involved'
          : undefined;
      for (const action of QUEUE_POLLER_ACTIONS) {
        this.add(who, this.g.label(queue), action, this.g.arn(queue), {
          ...(policy ? { resourcePolicy: policy } : {}),
          ...(note ? { note } : {}),
        });
      }
      if (keyId) this.keyUse(who, keyId, queue, ['kms:Decrypt']);
    }
  }

  /** Lambda sends asynchronous results to each destination with the function's role. */
  invokeConfigs(): void {
    for (const config of this.g.r.resources('aws_lambda_function_event_invoke_config')) {
      const fn = this.functionNamed(config.body.function_name);
      const who = fn && this.functionRole(fn);
      if (!who) continue;
      const destinations = asBody(config.body.destination_config);
      this.deliver(who, asBody(destinations?.on_failure)?.destination, 'on-failure');
      this.deliver(who, asBody(destinations?.on_success)?.destination, 'on-success');
    }
  }

  /** Lambda assumes each function's role: the role's trust policy must admit it. */
  functionRoles(): void {
    for (const fn of this.g.r.resources('aws_lambda_function')) {
      const role = this.g.roleOf(fn);
      if (!role) continue;
      const name = this.g.r.attribute(role.ref, 'name') ?? role.ref.name;
      // Rehearsed without aws:SourceArn/SourceAccount: not documented as sent when Lambda assumes an execution role.
      const who = { ...this.service('lambda.amazonaws.com', undefined), context: {} };
      this.add(who, `role ${name}`, 'sts:AssumeRole', this.g.arn(role), {
        resourcePolicy: {
          label: `trust policy of role ${name}`,
          ...this.g.r.policy(role.body.assume_role_policy),
        },
      });
    }
  }

  /** Every call the welcome handler makes, with the role of each function that runs it. */
  handlerCalls(calls: readonly HandlerCall[] = WELCOME_HANDLER_CALLS): void {
    for (const fn of this.g.r.resources('aws_lambda_function')) {
      if (!runsWelcomeHandler(fn.body.environment ? asBody(fn.body.environment) : undefined))
        continue;
      const who = this.functionRole(fn);
      if (!who) continue;
      const account = this.g.accountId;
      const env = asBody(asBody(fn.body.environment)?.variables);
      for (const call of calls) {
        if (call.onlyWithEnv !== undefined && env?.[call.onlyWithEnv] === undefined) continue;
        const labelled = call.label ? ` (${call.label})` : '';
        const whoCall = call.context
          ? { ...who, context: { ...who.context, ...call.context } }
          : who;
        for (const { target, resource, expect, context, queue, topic, viaSsm } of this.callTargets(
          fn,
          call,
        )) {
          const whoHere = { ...whoCall, context: { ...whoCall.context, ...context } };
          const policy = queue
            ? this.g.queuePolicy(queue)
            : topic
              ? this.g.topicPolicy(topic)
              : undefined;
          this.add(whoHere, `${target}${labelled}`, call.action, resource, {
            ...(expect === 'refused' ? { expect } : {}),
            ...(policy ? { resourcePolicy: policy } : {}),
          });
          // Sending into an encrypted queue: the caller's own data key.
          const keyId = queue ? this.g.r.literal(queue.ref, 'kms_master_key_id') : undefined;
          if (queue && keyId) this.keyUse(whoCall, keyId, queue, ['kms:GenerateDataKey']);
          // Publishing to an encrypted topic: the caller's own data key, for that topic.
          const topicKey = topic ? this.g.r.literal(topic.ref, 'kms_master_key_id') : undefined;
          if (topic && topicKey) this.keyUse(whoCall, topicKey, topic, ENCRYPT_ACTIONS);
          if (viaSsm) this.ssmDecrypt(whoCall, fn, target, viaSsm);
        }
        const unmanaged = ON_UNMANAGED_USERS[call.on];
        if (unmanaged) {
          for (const user of UNMANAGED_USERS) {
            const name = `user ${user}${labelled}`;
            this.add(whoCall, name, call.action, `arn:aws:iam::${account}:user/${user}`, {
              ...(unmanaged === 'refused' ? { expect: 'refused' as const } : {}),
            });
          }
        }
      }
      for (const refused of MUST_BE_REFUSED) {
        for (const { target, resource, context } of this.callTargets(fn, {
          action: refused.action,
          on: refused.on,
        })) {
          this.add(
            { ...who, context: { ...who.context, ...context, ...refused.context } },
            `${target} (${refused.label})`,
            refused.action,
            resource,
            { expect: 'refused' },
          );
        }
      }
    }
  }

  /**
   * GetParameter WithDecryption on a SecureString: SSM decrypts with the
   * AWS-managed aws/ssm key on the caller's behalf, so KMS sees the caller
   * with `kms:ViaService` (aws-managed-keys.ts models that key's policy).
   */
  private ssmDecrypt(who: Requester, fn: Node, target: string, parameterArn: string): void {
    const region = this.g.r.regionOf(fn.ref);
    const account = this.g.accountId;
    this.add(
      {
        ...who,
        context: {
          ...who.context,
          'kms:ViaService': `ssm.${region}.amazonaws.com`,
          'kms:CallerAccount': account,
          'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
        },
      },
      `key aws/ssm (of ${target})`,
      'kms:Decrypt',
      awsSsmKeyArn(region, account),
      {
        resourcePolicy: {
          label: 'key policy of aws/ssm (AWS-managed, as AWS documents it)',
          document: awsSsmKeyPolicy(region, account),
          unresolved: [],
        },
      },
    );
  }

  private callTargets(
    fn: Node,
    call: HandlerCall,
  ): {
    target: string;
    resource: string;
    expect?: 'refused';
    context?: Context;
    queue?: Node;
    /** An encrypted topic the call publishes to: its policy and key decide too. */
    topic?: Node;
    /** The parameter's ARN, when SSM decrypts it for the caller. */
    viaSsm?: string;
  }[] {
    const account = this.g.accountId;
    const region = this.g.r.regionOf(fn.ref);
    const env = asBody(asBody(fn.body.environment)?.variables);
    switch (call.on) {
      case 'user':
      case 'managed-user':
      case 'managed-user-tag': {
        const arn = managedUserArn(account);
        return [
          { target: `user ${arn.split(':user/')[1]}`, resource: arn, context: MANAGED_USER_TAGS },
        ];
      }
      case 'request-queue': {
        const queues = this.g.r
          .resources('aws_lambda_event_source_mapping')
          .filter((esm) => {
            const target = this.functionNamed(esm.body.function_name);
            return target !== undefined && refKey(target.ref) === refKey(fn.ref);
          })
          .map((esm) => this.g.find(this.g.r.literal(esm.ref, 'event_source_arn'), 'aws_sqs_queue'))
          .filter((q): q is Node => q !== undefined);
        return queues.map((q) => ({ target: this.g.label(q), resource: this.g.arn(q), queue: q }));
      }
      case 'account':
        return [{ target: 'account', resource: '*' }];
      case 'own-log-stream': {
        const configured = asBody(fn.body.logging_config)?.log_group;
        const group =
          (typeof configured === 'string' ? this.g.r.text(configured).value : undefined) ??
          `/aws/lambda/${this.g.r.attribute(fn.ref, 'function_name')}`;
        return [
          {
            target: `log group ${group}`,
            resource: `arn:aws:logs:${region}:${account}:log-group:${group}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`,
          },
        ];
      }
      case 'sender-identity': {
        const from =
          typeof env?.[WELCOME_ENV.senderAddress] === 'string'
            ? bareAddress(env[WELCOME_ENV.senderAddress] as string)
            : undefined;
        const context: Context = from ? { 'ses:FromAddress': from } : {};
        const identities = [
          'aws_sesv2_email_identity',
          'aws_ses_domain_identity',
          'aws_ses_email_identity',
        ]
          .flatMap((t) => this.g.r.resources(t))
          .map((n) => ({ target: this.g.label(n), resource: this.g.arn(n), context }));
        // Sending with a configuration set: SES authorizes the set too.
        const set = env?.[WELCOME_ENV.sesConfigurationSet];
        const sets =
          typeof set === 'string'
            ? this.g.r
                .resources('aws_ses_configuration_set')
                .filter((n) => this.g.r.attribute(n.ref, 'name') === set)
                .map((n) => ({ target: this.g.label(n), resource: this.g.arn(n), context }))
            : [];
        if (identities.length > 0) return [...identities, ...sets];
        const configured = env?.[WELCOME_ENV.senderIdentityArn];
        return typeof configured === 'string'
          ? [
              {
                target: `identity ${configured.split(':identity/')[1] ?? configured}`,
                resource: configured,
                context,
              },
            ]
          : [];
      }
      case 'admin-topic': {
        const arn = env?.[WELCOME_ENV.adminTopicArn];
        if (typeof arn !== 'string') return [];
        const topic = this.g.find(arn, 'aws_sns_topic');
        const role = this.g.roleOf(fn);
        // The topic policy excepts the role by aws:PrincipalArn, which the
        // evaluator does not derive from the session: stated here.
        const context: Context = role ? { 'aws:PrincipalArn': this.g.arn(role) } : {};
        return [
          {
            target: topic ? this.g.label(topic) : `topic ${arn}`,
            resource: arn,
            context,
            ...(topic ? { topic } : {}),
          },
        ];
      }
      case 'slack-parameter': {
        // The webhook's (admin notices) and the bot token's (welcome DMs), each when set.
        return [WELCOME_ENV.slackWebhookParameter, WELCOME_ENV.slackBotTokenParameter].flatMap(
          (variable) => {
            const name = env?.[variable];
            if (typeof name !== 'string') return [];
            const arn = `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
            return [{ target: `parameter ${name}`, resource: arn, viaSsm: arn }];
          },
        );
      }
    }
  }

  /** Each key's policy keeps the account able to manage the key (PutKeyPolicy's lockout check). */
  keyAdministration(): void {
    const root = `arn:aws:iam::${this.g.accountId}:root`;
    const who: Requester = {
      principal: root,
      label: 'account root',
      service: false,
      context: {},
      identityPolicies: [
        {
          label: 'identity policy kms:* (the account administering through IAM)',
          document: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'AccountAdministers', Effect: 'Allow', Action: 'kms:*', Resource: '*' },
            ],
          },
          unresolved: [],
        },
      ],
      notes: [],
    };
    for (const key of this.g.r.resources('aws_kms_key')) {
      for (const action of KEY_ADMIN_ACTIONS) {
        this.add(who, this.g.label(key), action, this.g.arn(key), {
          resourcePolicy: this.g.keyPolicy(key),
        });
      }
    }
  }

  /**
   * Senders the welcome queue must refuse, whatever their own policies
   * allow: another principal of the account holding sqs:SendMessage and the
   * key (it could queue a forged SES bounce, and so an admin notice with
   * text of its choosing), and SNS delivering from a topic that is not the
   * pipeline's.
   */
  forgedSenders(): void {
    const account = this.g.accountId;
    const someone = `arn:aws:iam::${account}:user/someone-else`;
    const other: Requester = {
      principal: someone,
      label: 'another principal of the account',
      service: false,
      context: { 'aws:PrincipalArn': someone },
      identityPolicies: [
        {
          label: 'identity policy sqs:SendMessage, kms:GenerateDataKey on *',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'SendsAnywhere',
                Effect: 'Allow',
                Action: ['sqs:SendMessage', 'kms:GenerateDataKey'],
                Resource: '*',
              },
            ],
          },
          unresolved: [],
        },
      ],
      notes: [],
    };
    for (const esm of this.g.r.resources('aws_lambda_event_source_mapping')) {
      const queue = this.g.find(this.g.r.literal(esm.ref, 'event_source_arn'), 'aws_sqs_queue');
      const fn = this.functionNamed(esm.body.function_name);
      if (!queue || !fn || !runsWelcomeHandler(asBody(fn.body.environment))) continue;
      const otherTopic = this.service(
        'sns.amazonaws.com',
        `arn:aws:sns:${this.g.r.regionOf(queue.ref)}:${account}:not-the-pipeline`,
      );
      const policy = this.g.queuePolicy(queue);
      const extra = { expect: 'refused' as const, ...(policy ? { resourcePolicy: policy } : {}) };
      const target = this.g.label(queue);
      this.add(
        other,
        `${target} (a forged SES bounce)`,
        'sqs:SendMessage',
        this.g.arn(queue),
        extra,
      );
      this.add(
        otherTopic,
        `${target} (from topic not-the-pipeline)`,
        'sqs:SendMessage',
        this.g.arn(queue),
        extra,
      );
    }
  }

  /** CloudWatch publishes each alarm's actions. */
  alarms(): void {
    for (const alarm of this.g.r.resources('aws_cloudwatch_metric_alarm')) {
      const actions = Array.isArray(alarm.body.alarm_actions) ? alarm.body.alarm_actions : [];
      const name = this.g.r.attribute(alarm.ref, 'alarm_name');
      const who = this.service('cloudwatch.amazonaws.com', this.g.arn(alarm));
      for (const action of new Set(actions.map(String))) {
        const before = this.hops.length;
        this.deliver(who, action);
        // Several alarms publish to one topic: the alarm tells their lines apart.
        for (let i = before; i < this.hops.length; i++) {
          this.hops[i] = { ...this.hops[i], name: `${this.hops[i].name} (alarm ${name})` };
        }
      }
    }
  }
}

/** Every hop of the configuration, in the order the flow runs. */
export function deriveHops(g: Graph): Hop[] {
  const b = new HopBuilder(g);
  b.trails();
  b.eventTargets();
  b.subscriptions();
  b.sesEventDestinations();
  b.eventSourceMappings();
  b.invokeConfigs();
  b.functionRoles();
  b.handlerCalls();
  b.forgedSenders();
  b.alarms();
  b.keyAdministration();
  return b.hops;
}

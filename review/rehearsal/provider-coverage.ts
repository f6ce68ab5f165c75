/**
 * Does a role policy allow every API call the AWS provider makes for the
 * stack's resources? Each resource of a synthesized configuration (and each
 * data source, checks' included) becomes the requests of `PROVIDER_CALLS`
 * for a phase, on concrete ARNs derived from its configuration (ids known
 * only after apply get a placeholder), with the request context AWS sends
 * where the roles condition on it; each request is then decided by
 * `@cloud-copilot/iam-simulate` against the policy.
 *
 * Phases: `create` checks the create calls and the read right after;
 * `update` the update calls and the read; `read` what a refresh or plan
 * calls; `delete` the delete calls, except for what the stack never
 * destroys (`lifecycle.prevent_destroy`, and the settings of such a bucket:
 * the trail bucket and its parts are removed with `destroy = false`).
 */
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import { PROVIDER_CALLS, type Phase, type ProviderCalls } from './provider-calls';
import { placeOf, type TfConfig } from './config';
import { computedAttributes, Resolver, type PolicyDocument, type Ref } from './resolve';

type Attrs = Record<string, unknown>;
type Context = Record<string, string | string[]>;

/** The parts of a synthesized cdk.tf.json the check reads. */
export interface SynthesizedConfig {
  readonly resource?: Record<string, Record<string, Attrs>>;
  readonly data?: Record<string, Record<string, Attrs>>;
  readonly check?: Record<string, { data?: Record<string, Record<string, Attrs>> }>;
  readonly provider?: { aws?: readonly Attrs[] };
}

export interface ProviderRequest {
  /** Terraform address: `aws_sqs_queue.pipeline_queue_D900B5AB`, `data.aws_route53_zone.sender`. */
  readonly address: string;
  readonly phase: Phase;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  /** Set for KMS key requests: the key policy the request is also decided by. */
  readonly resourcePolicy?: PolicyDocument;
}

export interface Refusal extends ProviderRequest {
  readonly reason: string;
}

export interface CoverageOptions {
  /** @default the provider's `allowed_account_ids[0]` */
  readonly accountId?: string;
  /** @default the provider's `region` */
  readonly region?: string;
  /** Who asks. @default `arn:aws:iam::<account>:role/iam-onboarding-deploy` */
  readonly principal?: string;
}

export const PLACEHOLDER = {
  mappingUuid: 'placeholder-mapping-uuid',
  mfaDevice: 'placeholder-mfa-device',
  changeId: 'placeholder-change-id',
  /** A group the person was added to by hand: force_destroy removes them from it too. */
  handAddedGroup: 'added-by-hand',
} as const;

interface Item {
  readonly address: string;
  readonly type: string;
  readonly attrs: Attrs;
  /** The resource or data source in the configuration (not for a check's data source). */
  readonly ref?: Ref;
}

const REF = /^\$\{((?:data\.)?aws_[a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/;

/**
 * The ARN each provider request acts on. What a reference points at, and
 * the ARN of every resource that has one, come from the rehearsal's one
 * resolver (resolve.ts: each resource in its provider's region, a key id in
 * the shape KMS assigns); this adds only which resource a call on a part of
 * another one is authorized on (a role policy: its role).
 */
class Arns {
  private readonly resolver: Resolver;

  constructor(
    config: SynthesizedConfig,
    readonly account: string,
    region: string | undefined,
  ) {
    const tf = config as TfConfig;
    this.resolver = new Resolver(
      tf,
      placeOf(tf, 'the configuration', { accountId: account, region }),
    );
  }

  private refOf(value: unknown): Ref | undefined {
    const m = typeof value === 'string' ? REF.exec(value) : null;
    if (!m) return undefined;
    const data = m[1].startsWith('data.');
    return { type: data ? m[1].slice('data.'.length) : m[1], name: m[2], data };
  }

  /** The ARN a `${type.name.attr}` reference points at, or the resource of `type` a literal names. */
  resolve(value: unknown, type: string, nameAttr = 'name'): string {
    if (typeof value === 'string') {
      const ref = this.refOf(value);
      if (ref) {
        const attrs = this.resolver.body(ref);
        if (attrs) return this.self(ref.data ? `data.${ref.type}` : ref.type, attrs, ref);
      } else {
        const byName = this.resolver
          .resources(type)
          .find((r) => this.resolver.literal(r.ref, nameAttr) === value);
        if (byName) return this.self(type, byName.body, byName.ref);
        return this.self(type, { [nameAttr]: value });
      }
    }
    return `unresolved:${type}:${JSON.stringify(value)}`;
  }

  /** The resource a reference points at, when it does. */
  referenced(value: unknown): Attrs | undefined {
    const ref = this.refOf(value);
    return ref ? this.resolver.body(ref) : undefined;
  }

  /**
   * The ARN a resource's calls act on. `ref` is the resource in the
   * configuration (its region, its logical name); without one, `a` is a
   * resource named by a literal, in the default region.
   */
  self(type: string, a: Attrs, ref?: Ref): string {
    const computed = ref
      ? this.resolver.arnOf(ref)
      : computedAttributes(type, '', (k) => (typeof a[k] === 'string' ? a[k] : undefined), {
          region: this.resolver.place.region,
          accountId: this.account,
        })?.arn;
    if (computed) return computed;
    switch (type) {
      case 'aws_iam_user_group_membership':
      case 'aws_iam_user_policy_attachment':
        return this.resolve(a.user, 'aws_iam_user');
      case 'aws_iam_group_policy':
      case 'aws_iam_group_policy_attachment':
        return this.resolve(a.group, 'aws_iam_group');
      case 'aws_iam_group_policy_attachments_exclusive':
        return this.resolve(a.group_name, 'aws_iam_group');
      case 'aws_iam_role_policy':
        return this.resolve(a.role, 'aws_iam_role');
      case 'aws_iam_account_password_policy':
        return '*';
      case 'aws_s3_bucket_ownership_controls':
      case 'aws_s3_bucket_public_access_block':
      case 'aws_s3_bucket_server_side_encryption_configuration':
      case 'aws_s3_bucket_versioning':
      case 'aws_s3_bucket_policy':
        return this.resolve(a.bucket, 'aws_s3_bucket', 'bucket');
      case 'aws_sqs_queue_policy': {
        const url = a.queue_url;
        if (typeof url === 'string' && !REF.test(url))
          return `arn:aws:sqs:${this.regionOf(ref)}:${this.account}:${url.split('/').pop() ?? ''}`;
        return this.resolve(url, 'aws_sqs_queue');
      }
      case 'aws_sns_topic_policy':
        return this.resolve(a.arn, 'aws_sns_topic');
      case 'aws_sns_topic_subscription':
        // Subscription calls are authorized on the topic (the reference's only resource type for them).
        return this.resolve(a.topic_arn, 'aws_sns_topic');
      case 'aws_lambda_event_source_mapping':
        return `arn:aws:lambda:${this.regionOf(ref)}:${this.account}:event-source-mapping:${PLACEHOLDER.mappingUuid}`;
      case 'aws_cloudwatch_log_metric_filter':
        return this.resolve(a.log_group_name, 'aws_cloudwatch_log_group');
      case 'aws_cloudwatch_event_target':
        return this.resolve(a.rule, 'aws_cloudwatch_event_rule');
      case 'aws_ses_domain_dkim':
      case 'aws_ses_domain_mail_from':
      case 'aws_ses_domain_identity_verification':
        return this.resolve(a.domain, 'aws_ses_domain_identity', 'domain');
      case 'aws_ses_event_destination':
        return this.resolve(a.configuration_set_name, 'aws_ses_configuration_set', 'name');
      case 'aws_route53_record':
      case 'data.aws_route53_zone':
        return `arn:aws:route53:::hostedzone/${String(a.zone_id)}`;
      default:
        return `unresolved:${type}`;
    }
  }

  /** The region a resource is created in: its provider's. */
  regionOf(ref: Ref | undefined): string {
    return ref ? this.resolver.regionOf(ref) : this.resolver.place.region;
  }

  /** The key a resource names (`kms_master_key_id`, `target_key_id`), and that key's configuration. */
  key(value: unknown, of?: Ref): { arn: string; attrs: Attrs | undefined } {
    const ref = this.refOf(value);
    const attrs = ref ? this.resolver.body(ref) : undefined;
    if (ref && attrs) return { arn: this.self('aws_kms_key', attrs, ref), attrs };
    if (typeof value === 'string' && value.startsWith('arn:'))
      return { arn: value, attrs: undefined };
    // A bare key id, in the region of the resource that names it.
    return {
      arn: `arn:aws:kms:${this.regionOf(of)}:${this.account}:key/${String(value)}`,
      attrs: undefined,
    };
  }
}

const tagsOf = (a: Attrs | undefined): Record<string, string> =>
  (a?.tags as Record<string, string> | undefined) ?? {};

function requestTags(tags: Record<string, string>): Context {
  const keys = Object.keys(tags);
  if (keys.length === 0) return {};
  return {
    ...Object.fromEntries(keys.map((k) => [`aws:RequestTag/${k}`, tags[k]])),
    'aws:TagKeys': keys,
  };
}

const resourceTags = (tags: Record<string, string>): Context =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

/** Every resource and data source of the configuration, checks' data sources included. */
function items(config: SynthesizedConfig): Item[] {
  const out: Item[] = [];
  for (const [type, byName] of Object.entries(config.resource ?? {}))
    for (const [name, attrs] of Object.entries(byName))
      out.push({ address: `${type}.${name}`, type, attrs, ref: { type, name, data: false } });
  const data = [config.data ?? {}, ...Object.values(config.check ?? {}).map((c) => c.data ?? {})];
  for (const [i, block] of data.entries())
    for (const [type, byName] of Object.entries(block))
      for (const [name, attrs] of Object.entries(byName))
        out.push({
          address: `data.${type}.${name}`,
          type: `data.${type}`,
          attrs,
          ...(i === 0 ? { ref: { type, name, data: true } } : {}),
        });
  return out;
}

const preventsDestroy = (a: Attrs | undefined): boolean =>
  (a?.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true;

/** What the stack never destroys: `prevent_destroy`, and the settings of such a bucket. */
function kept(item: Item, arns: Arns): boolean {
  if (preventsDestroy(item.attrs)) return true;
  return (
    item.type.startsWith('aws_s3_bucket_') && preventsDestroy(arns.referenced(item.attrs.bucket))
  );
}

/** The calls of one resource for one phase, as table entries. */
function callsFor(entry: ProviderCalls, item: Item, phase: Phase): string[] {
  const tagged = Object.keys(tagsOf(item.attrs)).length > 0;
  const calls: string[] = [];
  if (phase === 'create' || phase === 'update') calls.push(...entry[phase], ...entry.read);
  else calls.push(...entry[phase]);
  // Tagging on create takes the tag action (the first); a change of tags may also untag.
  if (tagged && phase === 'create') calls.push(...(entry.tags ?? []).slice(0, 1));
  if (tagged && phase === 'update') calls.push(...(entry.tags ?? []));
  for (const o of entry.optIn ?? []) {
    const set = item.attrs[o.attr] !== undefined;
    if (o.phases.includes(phase) && set !== (o.unset ?? false)) calls.push(...o.calls);
  }
  return [...new Set(calls)];
}

const VIA_SERVICE: Record<string, string> = { aws_sqs_queue: 'sqs', aws_sns_topic: 'sns' };
const ESM_ACTIONS = new Set([
  'lambda:CreateEventSourceMapping',
  'lambda:UpdateEventSourceMapping',
  'lambda:DeleteEventSourceMapping',
]);

const unscoped = new Map<string, Promise<boolean>>();
/** Whether the Service Authorization Reference gives the action no resource type (so it is authorized on `*`). */
function isUnscoped(action: string): Promise<boolean> {
  let found = unscoped.get(action);
  if (!found) {
    const [service, name] = action.split(':');
    found = isWildcardOnlyAction(service, name);
    unscoped.set(action, found);
  }
  return found;
}

function keyPolicy(attrs: Attrs | undefined): PolicyDocument | undefined {
  const text = attrs?.policy;
  if (typeof text !== 'string' || text.includes('${')) return undefined;
  return JSON.parse(text) as PolicyDocument;
}

/** The requests the provider makes for every resource of `config` in `phase`; `kept` are the deletes skipped by design. */
export async function providerRequests(
  config: SynthesizedConfig,
  phase: Phase,
  options: CoverageOptions = {},
): Promise<{ requests: ProviderRequest[]; unknownTypes: string[]; kept: string[] }> {
  const provider = config.provider?.aws?.[0] ?? {};
  const account =
    options.accountId ?? (provider.allowed_account_ids as string[] | undefined)?.[0] ?? '';
  const arns = new Arns(config, account, options.region);
  const requests: ProviderRequest[] = [];
  const unknownTypes: string[] = [];
  const keptAddresses: string[] = [];

  for (const item of items(config)) {
    const entry = PROVIDER_CALLS[item.type];
    if (!entry) {
      unknownTypes.push(item.address);
      continue;
    }
    if (phase === 'delete' && kept(item, arns)) {
      keptAddresses.push(item.address);
      continue;
    }
    const self = arns.self(item.type, item.attrs, item.ref);
    const ownTags = tagsOf(item.attrs);
    for (const call of callsFor(entry, item, phase)) {
      const [action, target] = call.split('@');
      let targets: string[] = [self];
      let context: Context = {};
      let keyAttrs: Attrs | undefined;
      switch (target) {
        case undefined:
        case 'alias':
          break;
        case 'key': {
          const key = arns.key(item.attrs.kms_master_key_id ?? item.attrs.target_key_id, item.ref);
          targets = [key.arn];
          keyAttrs = key.attrs;
          break;
        }
        case 'role':
          targets = [arns.resolve(item.attrs.role, 'aws_iam_role')];
          break;
        case 'group':
          if (item.type === 'aws_iam_user_group_membership') {
            targets = ((item.attrs.groups as unknown[] | undefined) ?? []).map((g) =>
              arns.resolve(g, 'aws_iam_group'),
            );
          } else {
            const groups = items(config)
              .filter(
                (m) =>
                  m.type === 'aws_iam_user_group_membership' &&
                  arns.self(m.type, m.attrs, m.ref) === self,
              )
              .flatMap((m) =>
                (m.attrs.groups as unknown[]).map((g) => arns.resolve(g, 'aws_iam_group')),
              );
            targets = [...groups, `arn:aws:iam::${account}:group/${PLACEHOLDER.handAddedGroup}`];
          }
          break;
        case 'mfa':
          targets = [`arn:aws:iam::${account}:mfa/${PLACEHOLDER.mfaDevice}`];
          break;
        case 'change':
          targets = [`arn:aws:route53:::change/${PLACEHOLDER.changeId}`];
          break;
        default:
          throw new Error(`${item.type}: unknown target @${target} in ${call}`);
      }
      if (item.type === 'aws_kms_key') keyAttrs = item.attrs;

      // The request context AWS sends where the roles condition on it.
      if (action === 'iam:PassRole') context['iam:PassedToService'] = 'lambda.amazonaws.com';
      if (ESM_ACTIONS.has(action))
        context['lambda:FunctionArn'] = arns.resolve(
          item.attrs.function_name,
          'aws_lambda_function',
          'function_name',
        );
      if (
        [
          'iam:AttachGroupPolicy',
          'iam:DetachGroupPolicy',
          'iam:AttachUserPolicy',
          'iam:DetachUserPolicy',
        ].includes(action) &&
        typeof item.attrs.policy_arn === 'string'
      )
        context['iam:PolicyARN'] = item.attrs.policy_arn;
      if (target === 'key' && VIA_SERVICE[item.type])
        context['kms:ViaService'] =
          `${VIA_SERVICE[item.type]}.${arns.regionOf(item.ref)}.amazonaws.com`;
      if (action.startsWith('kms:') && keyAttrs && target !== 'alias') {
        const keyTags = tagsOf(keyAttrs);
        if (action === 'kms:CreateKey' || action === 'kms:TagResource')
          context = { ...context, ...requestTags(keyTags) };
        // Right after CreateKey its tag may not count yet: create-time calls go without it.
        else if (phase !== 'create') context = { ...context, ...resourceTags(keyTags) };
      } else if (!action.startsWith('kms:')) {
        const createAction = entry.create[0]?.split('@')[0];
        if (action === createAction || (entry.tags ?? []).includes(action))
          context = { ...context, ...requestTags(ownTags) };
        if (phase !== 'create' && target === undefined)
          context = { ...context, ...resourceTags(ownTags) };
      }

      const policy =
        action.startsWith('kms:') && target !== 'alias' ? keyPolicy(keyAttrs) : undefined;
      for (const t of targets) {
        const resource = (await isUnscoped(action)) ? '*' : t;
        requests.push({
          address: item.address,
          phase,
          action,
          resource,
          context,
          ...(policy && resource !== '*' ? { resourcePolicy: policy } : {}),
        });
      }
    }
  }
  return { requests, unknownTypes, kept: keptAddresses };
}

/**
 * The requests of `phase` that `policyDocument` does not allow, each with the
 * resource address; a resource type the table lacks is reported too.
 */
export async function roleCoversProvider(
  config: SynthesizedConfig,
  policyDocument: unknown,
  phase: Phase,
  options: CoverageOptions = {},
): Promise<Refusal[]> {
  const { requests, unknownTypes } = await providerRequests(config, phase, options);
  const account =
    options.accountId ?? (config.provider?.aws?.[0]?.allowed_account_ids as string[])[0];
  const principal = options.principal ?? `arn:aws:iam::${account}:role/iam-onboarding-deploy`;
  const refusals: Refusal[] = unknownTypes.map((address) => ({
    address,
    phase,
    action: '(none)',
    resource: '',
    context: {},
    reason: 'the resource type is not in PROVIDER_CALLS (review/rehearsal/provider-calls.ts)',
  }));
  for (const r of requests) {
    if (r.resource.startsWith('unresolved:')) {
      refusals.push({ ...r, reason: `the resource ARN cannot be derived (${r.resource})` });
      continue;
    }
    const result = await runSimulation(
      {
        request: {
          principal,
          action: r.action,
          resource: { resource: r.resource, accountId: account },
          contextVariables: r.context,
        },
        identityPolicies: [{ name: 'role', policy: policyDocument }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy } : {}),
      },
      {},
    );
    if (result.resultType === 'error') {
      refusals.push({
        ...r,
        reason: `the evaluator rejected the request: ${JSON.stringify(result.errors)}`,
      });
    } else if (result.overallResult !== 'Allowed') {
      refusals.push({ ...r, reason: result.overallResult });
    }
  }
  return refusals;
}

/** One line per refusal: `address: action on resource (reason)`. */
export const describeRefusal = (r: Refusal): string =>
  `${r.address}: ${r.action} on ${r.resource || '-'} (${r.reason})`;

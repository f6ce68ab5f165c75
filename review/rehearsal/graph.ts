/**
 * The links between resources that authorization depends on: which policy
 * governs a topic, queue, key, bucket or function, which role a function
 * runs as and which policies that role has, which key encrypts what. Found
 * by resolving each argument to its concrete value and matching it against
 * every resource's computed ARN, name or URL, so a reference
 * (`${aws_sqs_queue.q.arn}`) and a literal ARN are treated alike.
 */
import type { Body } from './config';
import { refKey, Resolver, type PolicyDocument, type Ref } from './resolve';

export interface Node {
  readonly ref: Ref;
  readonly body: Body;
}

/** A policy the rehearsal evaluates, with the name it is reported by. */
export interface NamedPolicy {
  /** E.g. `topic policy of iam-onboarding-user-created`, `role policy welcome`. */
  readonly label: string;
  readonly document?: PolicyDocument;
  /** References in the policy that could not be resolved. */
  readonly unresolved: readonly string[];
  /** Why the policy text could not be read, when it could not. */
  readonly error?: string;
}

/** What a `kms_master_key_id` (or similar) points at. */
export type KeyTarget =
  | { readonly kind: 'key'; readonly node: Node }
  | { readonly kind: 'aws-managed'; readonly alias: string }
  | { readonly kind: 'external'; readonly id: string };

/** The key policy KMS gives a key created without one: the account administers it through IAM. */
export function defaultKeyPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

const SHORT_KIND: Record<string, string> = {
  aws_sns_topic: 'topic',
  aws_sqs_queue: 'queue',
  aws_kms_key: 'key',
  aws_lambda_function: 'function',
  aws_s3_bucket: 'bucket',
  aws_iam_role: 'role',
  aws_cloudwatch_event_rule: 'rule',
  aws_cloudwatch_metric_alarm: 'alarm',
  aws_cloudtrail: 'trail',
  aws_ses_domain_identity: 'identity',
  aws_ses_email_identity: 'identity',
  aws_sesv2_email_identity: 'identity',
  aws_ses_configuration_set: 'configuration set',
};

export class Graph {
  private byValue?: Map<string, Node>;

  constructor(readonly r: Resolver) {}

  get accountId(): string {
    return this.r.place.accountId;
  }

  /** A string argument with references resolved (undefined when absent or not a string). */
  value(v: unknown): { value: string; unresolved: readonly string[] } | undefined {
    return typeof v === 'string' ? this.r.text(v) : undefined;
  }

  arn(node: Node): string {
    return this.r.attribute(node.ref, 'arn') ?? `arn:aws:unresolved:::${refKey(node.ref)}`;
  }

  /** The resource whose ARN (or name, URL, id) is this concrete value. */
  find(value: string | undefined, type?: string): Node | undefined {
    if (value === undefined) return undefined;
    if (!this.byValue) {
      this.byValue = new Map();
      for (const node of this.r.allResources()) {
        for (const attr of ['arn', 'url']) {
          // Computed only: an event target's `arn` argument is its destination's ARN, not its own.
          const v = this.r.computedAttribute(node.ref, attr);
          if (v !== undefined && !this.byValue.has(v)) this.byValue.set(v, node);
        }
      }
    }
    const byArn = this.byValue.get(value);
    if (byArn && (type === undefined || byArn.ref.type === type)) return byArn;
    if (type === undefined) return undefined;
    // By name or id within one type (function names, role names, bucket names, key ids).
    return this.r
      .resources(type)
      .find((n) =>
        ['id', 'name', 'function_name', 'bucket', 'key_id'].some(
          (a) => this.r.attribute(n.ref, a) === value,
        ),
      );
  }

  /** `topic iam-onboarding-user-created`, `key iam-onboarding`, `function ...`. */
  label(node: Node): string {
    const kind = SHORT_KIND[node.ref.type] ?? node.ref.type;
    if (node.ref.type === 'aws_kms_key') {
      const alias = this.r
        .resources('aws_kms_alias')
        .find(
          (a) => this.r.literal(a.ref, 'target_key_id') === this.r.attribute(node.ref, 'key_id'),
        );
      const aliasName = alias && this.r.literal(alias.ref, 'name');
      return `key ${aliasName ? aliasName.replace(/^alias\//, '') : node.ref.name}`;
    }
    const name =
      this.r.attribute(node.ref, 'name') ??
      this.r.attribute(node.ref, 'function_name') ??
      this.r.attribute(node.ref, 'alarm_name') ??
      this.r.attribute(node.ref, 'bucket') ??
      this.r.attribute(node.ref, 'id') ??
      node.ref.name;
    return `${kind} ${name}`;
  }

  private named(label: string, policy: unknown): NamedPolicy {
    return { label, ...this.r.policy(policy) };
  }

  /** The policy of a resource set inline (`policy` argument) or by a separate policy resource. */
  private attachedPolicy(
    node: Node,
    label: string,
    policyType: string,
    linkArg: string,
    linkAttrs: readonly string[],
  ): NamedPolicy | undefined {
    const targets = linkAttrs.map((a) => this.r.attribute(node.ref, a)).filter(Boolean);
    const separate = this.r
      .resources(policyType)
      .find((p) => targets.includes(this.r.literal(p.ref, linkArg)));
    if (separate) return this.named(label, separate.body.policy);
    if (node.body.policy !== undefined) return this.named(label, node.body.policy);
    return undefined;
  }

  topicPolicy(topic: Node): NamedPolicy | undefined {
    const name = this.label(topic).replace(/^topic /, '');
    return this.attachedPolicy(topic, `topic policy of ${name}`, 'aws_sns_topic_policy', 'arn', [
      'arn',
    ]);
  }

  queuePolicy(queue: Node): NamedPolicy | undefined {
    const name = this.label(queue).replace(/^queue /, '');
    return this.attachedPolicy(
      queue,
      `queue policy of ${name}`,
      'aws_sqs_queue_policy',
      'queue_url',
      ['url'],
    );
  }

  bucketPolicy(bucket: Node): NamedPolicy | undefined {
    const name = this.label(bucket).replace(/^bucket /, '');
    return this.attachedPolicy(
      bucket,
      `bucket policy of ${name}`,
      'aws_s3_bucket_policy',
      'bucket',
      ['bucket'],
    );
  }

  /** The key policy; KMS's default policy when the configuration gives none. */
  keyPolicy(key: Node): NamedPolicy {
    const name = this.label(key).replace(/^key /, '');
    const found = this.attachedPolicy(
      key,
      `key policy of ${name}`,
      'aws_kms_key_policy',
      'key_id',
      ['key_id', 'arn'],
    );
    return (
      found ?? {
        label: `default key policy of ${name}`,
        document: defaultKeyPolicy(this.accountId),
        unresolved: [],
      }
    );
  }

  /** A function's resource policy: its `aws_lambda_permission`s, as the statements Lambda writes. */
  functionPolicy(fn: Node): NamedPolicy | undefined {
    const fnArn = this.arn(fn);
    const name = this.r.attribute(fn.ref, 'function_name');
    const unresolved: string[] = [];
    const statements = this.r
      .resources('aws_lambda_permission')
      .filter((p) => {
        const v = this.r.literal(p.ref, 'function_name');
        return v !== undefined && (v === name || v === fnArn || v.startsWith(`${fnArn}:`));
      })
      .map((p) => {
        const get = (k: string) => {
          const v = this.value(p.body[k]);
          if (v) unresolved.push(...v.unresolved);
          return v?.value;
        };
        const principal = get('principal') ?? '*';
        const qualifier = get('qualifier');
        const condition: Record<string, Record<string, string>> = {};
        const sourceArn = get('source_arn');
        const sourceAccount = get('source_account');
        const orgId = get('principal_org_id');
        if (sourceArn) condition.ArnLike = { 'AWS:SourceArn': sourceArn };
        if (sourceAccount) (condition.StringEquals ??= {})['AWS:SourceAccount'] = sourceAccount;
        if (orgId) (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = orgId;
        return {
          Sid: get('statement_id') ?? p.ref.name,
          Effect: 'Allow',
          Principal:
            principal === '*'
              ? '*'
              : principal.endsWith('.amazonaws.com')
                ? { Service: principal }
                : { AWS: principal },
          Action: get('action') ?? 'lambda:InvokeFunction',
          Resource: qualifier ? `${fnArn}:${qualifier}` : fnArn,
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        };
      });
    if (statements.length === 0) return undefined;
    return {
      label: `permissions (aws_lambda_permission) of function ${name ?? fn.ref.name}`,
      document: { Version: '2012-10-17', Statement: statements },
      unresolved,
    };
  }

  /** The role a function runs as. */
  roleOf(fn: Node): Node | undefined {
    return this.find(this.r.literal(fn.ref, 'role'), 'aws_iam_role');
  }

  /**
   * A role's identity policies: inline (`inline_policy`, `aws_iam_role_policy`)
   * and customer-managed policies of this configuration attached to it.
   * Managed policies defined elsewhere (AWS-managed ones included) cannot be
   * read offline: they are listed in `notes`.
   */
  rolePolicies(role: Node): { policies: NamedPolicy[]; boundary?: NamedPolicy; notes: string[] } {
    const roleName = this.r.attribute(role.ref, 'name');
    const policies: NamedPolicy[] = [];
    const notes: string[] = [];
    const inline = role.body.inline_policy;
    for (const p of (Array.isArray(inline) ? inline : []) as Body[]) {
      policies.push(
        this.named(`role policy ${typeof p.name === 'string' ? p.name : 'inline'}`, p.policy),
      );
    }
    for (const p of this.r.resources('aws_iam_role_policy')) {
      if (this.r.literal(p.ref, 'role') === roleName) {
        policies.push(
          this.named(`role policy ${this.r.literal(p.ref, 'name') ?? p.ref.name}`, p.body.policy),
        );
      }
    }
    const managed = (
      Array.isArray(role.body.managed_policy_arns) ? role.body.managed_policy_arns : []
    )
      .map((v) => this.value(v)?.value)
      .concat(
        this.r
          .resources('aws_iam_role_policy_attachment')
          .filter((a) => this.r.literal(a.ref, 'role') === roleName)
          .map((a) => this.r.literal(a.ref, 'policy_arn')),
      );
    for (const arn of managed) {
      const policy = this.find(arn, 'aws_iam_policy');
      if (policy)
        policies.push(
          this.named(`managed policy ${this.r.attribute(policy.ref, 'name')}`, policy.body.policy),
        );
      else if (arn) notes.push(`managed policy ${arn} is not in the configuration: not evaluated`);
    }
    const boundaryArn = this.r.literal(role.ref, 'permissions_boundary');
    const boundaryNode = this.find(boundaryArn, 'aws_iam_policy');
    if (boundaryArn && !boundaryNode) {
      notes.push(`permissions boundary ${boundaryArn} is not in the configuration: not evaluated`);
    }
    return {
      policies,
      ...(boundaryNode
        ? {
            boundary: this.named(
              `permissions boundary ${this.r.attribute(boundaryNode.ref, 'name')}`,
              boundaryNode.body.policy,
            ),
          }
        : {}),
      notes,
    };
  }

  /** What a key argument (key id, key ARN, alias name or alias ARN) points at. */
  keyOf(value: string): KeyTarget {
    const key = this.find(value, 'aws_kms_key');
    if (key) return { kind: 'key', node: key };
    const aliasName = value.replace(/^arn:aws[a-z-]*:kms:[^:]*:[^:]*:/, '');
    if (aliasName.startsWith('alias/aws/')) return { kind: 'aws-managed', alias: aliasName };
    const alias = this.r
      .resources('aws_kms_alias')
      .find((a) => this.r.literal(a.ref, 'name') === aliasName);
    const target = alias && this.find(this.r.literal(alias.ref, 'target_key_id'), 'aws_kms_key');
    return target ? { kind: 'key', node: target } : { kind: 'external', id: value };
  }
}

/**
 * Turns Terraform references in a synthesized configuration into the
 * concrete values AWS would see: `${aws_sqs_queue.q.arn}` becomes
 * `arn:aws:sqs:us-east-1:<account>:<name>`, computed from the resource's own
 * arguments (name, region of its provider, account). Values that exist only
 * after apply get a stable placeholder derived from the resource's logical
 * name (a KMS key's id is shaped like the ones KMS assigns, from a hash of
 * it), so the same configuration always rehearses the same way.
 *
 * What cannot be resolved is never guessed: it becomes an ARN that matches
 * nothing (`arn:aws:unresolved:::...`) and is reported, because a policy
 * holding a raw `${...}` would be misread by the evaluator (iam-simulate
 * treats a Resource without colons as matching everything).
 */
import { createHash } from 'node:crypto';
import type { Body, Place, TfConfig } from './config';

/** A resource or data source: `type.name` (with `data.` in front for data sources). */
export interface Ref {
  readonly type: string;
  readonly name: string;
  readonly data: boolean;
}

/** A string with every reference replaced, and the references that could not be. */
export interface Resolved {
  readonly value: string;
  readonly unresolved: readonly string[];
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

/** A policy argument, parsed after resolution. */
export interface ResolvedPolicy {
  readonly document?: PolicyDocument;
  readonly unresolved: readonly string[];
  /** Why the text is not a policy document, when it is not. */
  readonly error?: string;
}

/** Prefix of the value that stands in for an unresolved reference: an ARN no policy matches. */
export const UNRESOLVED_PREFIX = 'arn:aws:unresolved:::';

const SIMPLE_REF =
  /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[(\d+)\])?\.([a-z][a-z0-9_]*)(?:\[\d+\])?$/;

export const refKey = (ref: Ref): string => `${ref.data ? 'data.' : ''}${ref.type}.${ref.name}`;

export class Resolver {
  private readonly resolving = new Set<string>();

  constructor(
    readonly config: TfConfig,
    readonly place: Place,
  ) {}

  /** Every resource of a type, with its arguments. */
  resources(type: string): { ref: Ref; body: Body }[] {
    return Object.entries(this.config.resource?.[type] ?? {}).map(([name, body]) => ({
      ref: { type, name, data: false },
      body,
    }));
  }

  /** Every resource of every type. */
  allResources(): { ref: Ref; body: Body }[] {
    return Object.keys(this.config.resource ?? {}).flatMap((type) => this.resources(type));
  }

  body(ref: Ref): Body | undefined {
    return (ref.data ? this.config.data : this.config.resource)?.[ref.type]?.[ref.name];
  }

  /** Region of a resource: its provider alias's, else the default provider's. */
  regionOf(ref: Ref): string {
    const provider = this.body(ref)?.provider;
    const alias = typeof provider === 'string' ? provider.replace(/^\$\{(.*)\}$/, '$1') : '';
    return this.place.aliasRegions.get(alias) ?? this.place.region;
  }

  /** An argument of a resource as a concrete string, when it is a string. */
  literal(ref: Ref, key: string): string | undefined {
    const v = this.body(ref)?.[key];
    if (typeof v !== 'string') return undefined;
    const r = this.text(v);
    return r.unresolved.length > 0 ? undefined : r.value;
  }

  /**
   * Replaces every `${...}` in a string; Terraform's escapes `$${` and `%%{`
   * become the literal `${` and `%{` (inputs arrive escaped: stacks/terraform-literal.ts).
   */
  text(s: string): Resolved {
    let out = '';
    const unresolved: string[] = [];
    let i = 0;
    while (i < s.length) {
      const j = s.indexOf('${', i);
      if (j < 0) {
        out += templateText(s.slice(i));
        break;
      }
      if (j > 0 && s[j - 1] === '$') {
        out += templateText(s.slice(i, j - 1)) + '${';
        i = j + 2;
        continue;
      }
      let depth = 1;
      let k = j + 2;
      for (; k < s.length && depth > 0; k++) {
        if (s[k] === '{') depth++;
        else if (s[k] === '}') depth--;
      }
      const expr = s.slice(j + 2, k - 1).trim();
      out += templateText(s.slice(i, j));
      const value = this.expression(expr);
      if (value === undefined) {
        unresolved.push(`\${${expr}}`);
        out += `${UNRESOLVED_PREFIX}${expr}`;
      } else {
        out += value;
      }
      i = k;
    }
    return { value: out, unresolved };
  }

  /** A policy argument (JSON text, possibly holding references), parsed. */
  policy(value: unknown): ResolvedPolicy {
    if (value === undefined || value === null) return { unresolved: [] };
    if (typeof value !== 'string') {
      return this.policy(JSON.stringify(value));
    }
    const r = this.text(value);
    try {
      const document = JSON.parse(r.value) as PolicyDocument;
      if (typeof document !== 'object' || document === null || !('Statement' in document)) {
        return { unresolved: r.unresolved, error: 'has no Statement' };
      }
      return { document, unresolved: r.unresolved };
    } catch {
      return { unresolved: r.unresolved, error: 'is not JSON after resolving references' };
    }
  }

  /** The value of `type.name.attr` (or `data.type.name.attr`), or undefined. */
  expression(expr: string): string | undefined {
    const m = SIMPLE_REF.exec(expr);
    if (!m) return undefined;
    const ref: Ref = { data: m[1] !== undefined, type: m[2], name: m[3] };
    return this.attribute(ref, m[5]);
  }

  /** A resource's attribute: computed (ARNs, ids) or, failing that, its own argument. */
  attribute(ref: Ref, attr: string): string | undefined {
    const key = `${refKey(ref)}.${attr}`;
    if (this.resolving.has(key) || this.body(ref) === undefined) return undefined;
    this.resolving.add(key);
    try {
      const computed = ref.data ? this.dataAttribute(ref, attr) : this.computed(ref)?.[attr];
      return computed ?? this.literal(ref, attr);
    } finally {
      this.resolving.delete(key);
    }
  }

  /** An attribute AWS assigns (ARN, id, URL), never an argument of the same name. */
  computedAttribute(ref: Ref, attr: string): string | undefined {
    return ref.data ? undefined : this.computed(ref)?.[attr];
  }

  private dataAttribute(ref: Ref, attr: string): string | undefined {
    const { accountId } = this.place;
    switch (ref.type) {
      case 'aws_caller_identity':
        // `arn` and `user_id` depend on who deploys: not derivable, left unresolved.
        return attr === 'account_id' || attr === 'id' ? accountId : undefined;
      case 'aws_region':
        return ['name', 'region', 'id'].includes(attr) ? this.regionOf(ref) : undefined;
      case 'aws_partition':
        return { partition: 'aws', id: 'aws', dns_suffix: 'amazonaws.com' }[attr];
      case 'aws_iam_policy_document':
        return attr === 'json' || attr === 'minified_json'
          ? this.policyDocumentJson(ref)
          : undefined;
      default:
        return undefined;
    }
  }

  /** Renders `data.aws_iam_policy_document` the way the provider does (the common arguments). */
  private policyDocumentJson(ref: Ref): string | undefined {
    const body = this.body(ref)!;
    const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const one = (v: unknown[]) => (v.length === 1 ? v[0] : v);
    const statements = list(body.statement).map((raw) => {
      const s = raw as Record<string, unknown>;
      const out: Record<string, unknown> = { Effect: s.effect ?? 'Allow' };
      if (s.sid) out.Sid = s.sid;
      for (const [from, to] of [
        ['actions', 'Action'],
        ['not_actions', 'NotAction'],
        ['resources', 'Resource'],
        ['not_resources', 'NotResource'],
      ]) {
        if (s[from] !== undefined) out[to] = one(list(s[from]));
      }
      for (const [from, to] of [
        ['principals', 'Principal'],
        ['not_principals', 'NotPrincipal'],
      ]) {
        const ps = list(s[from]) as { type: string; identifiers: unknown }[];
        if (ps.length === 0) continue;
        const principal: Record<string, unknown> = {};
        for (const p of ps) principal[p.type] = one(list(p.identifiers));
        out[to] = ps.length === 1 && ps[0].type === '*' ? '*' : principal;
      }
      const conditions = list(s.condition) as { test: string; variable: string; values: unknown }[];
      if (conditions.length > 0) {
        const c: Record<string, Record<string, unknown>> = {};
        for (const x of conditions) (c[x.test] ??= {})[x.variable] = one(list(x.values));
        out.Condition = c;
      }
      return out;
    });
    const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const r = this.text(text);
    return r.unresolved.length > 0 ? undefined : r.value;
  }

  /** Attributes AWS assigns, computed from the resource's arguments. */
  private computed(ref: Ref): Record<string, string | undefined> | undefined {
    // A boolean argument (a key's multi_region) as Terraform would interpolate it.
    const lit = (k: string) => {
      const v = this.body(ref)?.[k];
      return typeof v === 'boolean' ? String(v) : this.literal(ref, k);
    };
    return computedAttributes(ref.type, ref.name, lit, {
      region: this.regionOf(ref),
      accountId: this.place.accountId,
    });
  }

  /**
   * The ARN AWS gives a resource of the configuration, in its provider's
   * region; undefined for a type without one here.
   */
  arnOf(ref: Ref): string | undefined {
    return ref.data ? undefined : this.computed(ref)?.arn;
  }
}

/**
 * A key id in the shape KMS assigns (`1234abcd-12ab-34cd-56ef-1234567890ab`,
 * `mrk-` and 32 hex digits for a multi-Region key), derived from the key's
 * logical name: stable from run to run, and never the same for two keys.
 */
export function placeholderKeyId(logicalName: string, multiRegion = false): string {
  const hex = createHash('sha256').update(logicalName).digest('hex').slice(0, 32);
  if (multiRegion) return `mrk-${hex}`;
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/**
 * The attributes AWS assigns a resource of `type` (ARN, id, URL), computed
 * from its arguments (`lit`) as AWS forms them, in `where`'s region and
 * account; undefined for a type this does not know. `logicalName` stands in
 * for a name left to AWS, and seeds the key id only apply would reveal.
 * Shared by the rehearsal's hops (Resolver) and the provider-call check
 * (provider-coverage.ts), so both see the same ARN for the same resource.
 */
export function computedAttributes(
  type: string,
  logicalName: string,
  lit: (argument: string) => string | undefined,
  where: { readonly region: string; readonly accountId: string },
): Record<string, string | undefined> | undefined {
  const { region, accountId: account } = where;
  const path = () => lit('path') ?? '/';
  switch (type) {
    case 'aws_sqs_queue': {
      const name = lit('name') ?? logicalName;
      const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      return { name, url, id: url, arn: `arn:aws:sqs:${region}:${account}:${name}` };
    }
    case 'aws_sns_topic': {
      const name = lit('name') ?? logicalName;
      const arn = `arn:aws:sns:${region}:${account}:${name}`;
      return { name, arn, id: arn };
    }
    case 'aws_kms_key': {
      // The key id exists only after apply: one in the shape KMS assigns stands in for it.
      const id = placeholderKeyId(logicalName, lit('multi_region') === 'true');
      return { key_id: id, id, arn: `arn:aws:kms:${region}:${account}:key/${id}` };
    }
    case 'aws_kms_alias': {
      const name = lit('name');
      return { name, id: name, arn: name && `arn:aws:kms:${region}:${account}:${name}` };
    }
    case 'aws_lambda_function': {
      const name = lit('function_name') ?? logicalName;
      const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
      return { function_name: name, id: name, arn, qualified_arn: `${arn}:$LATEST` };
    }
    case 'aws_iam_role':
    case 'aws_iam_user':
    case 'aws_iam_group': {
      const kind = type.slice('aws_iam_'.length);
      const name = lit('name') ?? logicalName;
      return { name, id: name, arn: `arn:aws:iam::${account}:${kind}${path()}${name}` };
    }
    case 'aws_iam_policy': {
      const name = lit('name') ?? logicalName;
      const arn = `arn:aws:iam::${account}:policy${path()}${name}`;
      return { name, id: arn, arn };
    }
    case 'aws_s3_bucket': {
      const bucket = lit('bucket') ?? logicalName;
      return { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case 'aws_cloudtrail': {
      const name = lit('name') ?? logicalName;
      const arn = `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
      return { name, id: arn, arn };
    }
    case 'aws_cloudwatch_event_rule': {
      const name = lit('name') ?? logicalName;
      const bus = lit('event_bus_name') ?? 'default';
      const arn = `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
      return { name, id: name, arn };
    }
    case 'aws_cloudwatch_metric_alarm': {
      const name = lit('alarm_name') ?? logicalName;
      return {
        alarm_name: name,
        id: name,
        arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`,
      };
    }
    case 'aws_cloudwatch_log_group': {
      const name = lit('name') ?? logicalName;
      return { name, id: name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` };
    }
    case 'aws_ses_configuration_set': {
      const name = lit('name') ?? logicalName;
      const arn = `arn:aws:ses:${region}:${account}:configuration-set/${name}`;
      return { name, id: name, arn };
    }
    case 'aws_ses_domain_identity':
    case 'aws_ses_email_identity':
    case 'aws_sesv2_email_identity': {
      const identity = lit('domain') ?? lit('email') ?? lit('email_identity');
      return {
        id: identity,
        arn: identity && `arn:aws:ses:${region}:${account}:identity/${identity}`,
      };
    }
    default:
      return undefined;
  }
}

/** A template's literal text: Terraform's directive escape `%%{` stands for `%{`. */
function templateText(text: string): string {
  return text.replace(/%%\{/g, '%{');
}

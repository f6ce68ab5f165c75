/**
 * Plans of roster changes, made offline: a Terraform state (format v4) built
 * from a plan's planned values stands for "the account after applying that
 * plan", and the next roster is planned against it with `-refresh=false`.
 *
 * An offline plan leaves computed values unknown (ids, ARNs, and whatever is
 * built from them, such as policies). They are filled with placeholders, and
 * the state is then settled: the same roster is planned against it again and
 * the planned values (now derived from the placeholders) taken as the state,
 * until that plan changes nothing. Only then does a plan against the state
 * show the roster change alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planStack, type TerraformPlan } from '../../review/terraform-plan';
import { actionOf } from '../../review/plan-summary';

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const ACCOUNT = '123456789012';

interface PlannedResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly schema_version: number;
  readonly values: Record<string, unknown>;
}

interface PlanWithValues extends TerraformPlan {
  readonly terraform_version?: string;
  readonly configuration?: unknown;
  readonly planned_values?: { readonly root_module?: { readonly resources?: PlannedResource[] } };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Attribute types by resource type, from the provider's own schema. */
export type AttributeTypes = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** `terraform providers schema -json` in an initialised directory, reduced to attribute types. */
export function providerAttributeTypes(workDir: string): AttributeTypes {
  const result = spawnSync('terraform', ['providers', 'schema', '-json'], {
    cwd: workDir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`terraform providers schema failed: ${result.stderr}`);
  const schema = JSON.parse(result.stdout) as {
    provider_schemas: Record<
      string,
      {
        resource_schemas: Record<
          string,
          { block: { attributes?: Record<string, { type?: unknown }> } }
        >;
      }
    >;
  };
  const out = new Map<string, Record<string, unknown>>();
  for (const provider of Object.values(schema.provider_schemas)) {
    for (const [type, s] of Object.entries(provider.resource_schemas)) {
      out.set(
        type,
        Object.fromEntries(Object.entries(s.block.attributes ?? {}).map(([k, a]) => [k, a.type])),
      );
    }
  }
  return out;
}

/**
 * `type.name.attribute` of every reference in the configuration: the computed
 * attributes other resources (or outputs) are built from, which must not be
 * null in the state.
 */
function referencedAttributes(plan: PlanWithValues): Set<string> {
  const out = new Set<string>();
  forEachReference(plan.configuration, (parts) => {
    if (parts.length >= 3 && parts[0] !== 'data') out.add(parts.slice(0, 3).join('.'));
  });
  return out;
}

/** Calls `visit` with each reference (split on dots) in a `terraform show -json` configuration tree. */
function forEachReference(node: unknown, visit: (parts: string[]) => void): void {
  if (Array.isArray(node)) node.forEach((n) => forEachReference(n, visit));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'references' && Array.isArray(v)) {
        for (const ref of v) visit(String(ref).split('.'));
      } else forEachReference(v, visit);
    }
  }
}

/**
 * A value for an attribute the plan left unknown. Ids, ARNs and URLs get
 * well-formed strings, collections are empty; other attributes get a value
 * of their type only when something references them (e.g. the SES output
 * indexes the DKIM tokens), and stay null otherwise: a made-up value can trip
 * the provider's own checks (a FIFO setting on a standard topic).
 */
function placeholder(
  key: string,
  address: string,
  type: string,
  values: Record<string, unknown>,
  attrType: unknown,
  referenced: boolean,
): Json {
  const service = type.replace(/^aws_/, '').split('_')[0] ?? 'aws';
  const tail = address.replace(/[^A-Za-z0-9_-]/g, '-');
  if (key === 'id') return typeof values.name === 'string' ? values.name : `placeholder-${tail}`;
  if (key === 'arn' || key.endsWith('_arn') || key === 'destination')
    return `arn:aws:${service}:us-east-1:${ACCOUNT}:placeholder/${tail}`;
  if (key === 'url' || key.endsWith('_url')) return `https://placeholder.invalid/${tail}`;
  // An empty collection, unlike null, reads as "nothing" (tags_all, managed_policy_arns).
  if (!referenced && Array.isArray(attrType)) return attrType[0] === 'map' ? {} : [];
  if (!referenced) return null;
  if (attrType === 'string') return `placeholder-${key}-${tail}`;
  if (attrType === 'number') return 0;
  if (attrType === 'bool') return false;
  if (Array.isArray(attrType) && (attrType[0] === 'list' || attrType[0] === 'set'))
    return attrType[1] === 'string' ? [1, 2, 3].map((i) => `placeholder-${key}-${i}`) : [];
  if (Array.isArray(attrType) && attrType[0] === 'map') return {};
  return null;
}

/** Fills the unknown leaves (`after_unknown`) of planned values with placeholders. */
function fill(
  values: Json,
  unknown: Json | undefined,
  address: string,
  type: string,
  root: Record<string, unknown>,
  types: Readonly<Record<string, unknown>>,
  referenced: ReadonlySet<string>,
  key = '',
  depth = 0,
): Json {
  if (unknown === true)
    return placeholder(
      key,
      address,
      type,
      root,
      depth === 1 ? types[key] : undefined,
      depth === 1 && referenced.has(`${address}.${key}`),
    );
  if (Array.isArray(unknown)) {
    const list = Array.isArray(values) ? values : [];
    return list.map((v, i) =>
      fill(v, unknown[i], address, type, root, types, referenced, key, depth),
    );
  }
  if (unknown && typeof unknown === 'object') {
    const obj: Record<string, Json> =
      values && typeof values === 'object' && !Array.isArray(values) ? { ...values } : {};
    for (const [k, u] of Object.entries(unknown))
      obj[k] = fill(obj[k] ?? null, u, address, type, root, types, referenced, k, depth + 1);
    return obj;
  }
  return values;
}

interface ConfigResource {
  readonly address: string;
  readonly mode?: string;
  readonly expressions?: unknown;
  readonly depends_on?: readonly string[];
}

/**
 * What each resource depends on, as Terraform records it in the state at
 * apply time (`dependencies`): the resources its configuration refers to,
 * and its `depends_on`. Terraform orders the destroy of a resource that has
 * left the configuration by these: dependents are destroyed first.
 */
export function dependenciesOf(plan: PlanWithValues): Map<string, string[]> {
  const resources =
    (plan.configuration as { root_module?: { resources?: ConfigResource[] } } | undefined)
      ?.root_module?.resources ?? [];
  const out = new Map<string, string[]>();
  for (const r of resources) {
    const deps = new Set<string>(r.depends_on ?? []);
    forEachReference(r.expressions, (parts) => {
      if (parts[0] === 'data' && parts.length >= 3) deps.add(parts.slice(0, 3).join('.'));
      else if (parts.length >= 2 && !['var', 'local', 'path', 'each', 'count'].includes(parts[0]))
        deps.add(parts.slice(0, 2).join('.'));
    });
    deps.delete(r.address);
    out.set(r.address, [...deps].sort());
  }
  return out;
}

/** A v4 state holding what the plan would leave behind, unknowns filled with placeholders. */
export function stateFromPlan(
  plan: PlanWithValues,
  types: AttributeTypes,
  serial = 1,
  createBeforeDestroy: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const unknownOf = new Map(
    (plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown as Json]),
  );
  const referenced = referencedAttributes(plan);
  const dependencies = dependenciesOf(plan);
  const resources = (plan.planned_values?.root_module?.resources ?? [])
    .filter((r) => r.mode === 'managed')
    .map((r) => ({
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider: PROVIDER,
      instances: [
        {
          schema_version: r.schema_version,
          attributes: fill(
            (r.values ?? {}) as Json,
            unknownOf.get(r.address),
            r.address,
            r.type,
            r.values ?? {},
            types.get(r.type) ?? {},
            referenced,
          ),
          sensitive_attributes: [],
          // Recorded at apply, as Terraform does: it orders a removal by it.
          ...(createBeforeDestroy.has(r.address) ? { create_before_destroy: true } : {}),
          ...(dependencies.get(r.address)?.length
            ? { dependencies: dependencies.get(r.address) }
            : {}),
        },
      ],
    }));
  return {
    version: 4,
    terraform_version: plan.terraform_version ?? '1.11.0',
    serial,
    lineage: 'iam-onboarding-test-lineage',
    outputs: {},
    resources,
  };
}

export function changesIn(plan: TerraformPlan): string[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && actionOf(rc) !== undefined)
    .map((rc) => `${rc.address} ${rc.change.actions.join('+')}`);
}

/**
 * Addresses of the resources with `create_before_destroy` in a synthesized
 * configuration (`terraform show -json` leaves lifecycle settings out).
 */
export function createBeforeDestroyIn(configFile: string): Set<string> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
    resource?: Record<string, Record<string, { lifecycle?: { create_before_destroy?: boolean } }>>;
  };
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(config.resource ?? {}))
    for (const [name, body] of Object.entries(byName))
      if (body.lifecycle?.create_before_destroy === true) out.add(`${type}.${name}`);
  return out;
}

/**
 * A state in which `stackDir`'s configuration plans no change: starts from the
 * empty-state plan and settles it. Returns the state file and the number of
 * plans it took.
 */
export function settledState(
  stackDir: string,
  workDir: string,
  maxRounds = 5,
): { stateFile: string; rounds: number; firstPlan: TerraformPlan; settledPlan: TerraformPlan } {
  mkdirSync(workDir, { recursive: true });
  const first = planStack({ stackDir, workDir, offline: true }).plan as PlanWithValues;
  const types = providerAttributeTypes(workDir);
  const cbd = createBeforeDestroyIn(join(stackDir, 'cdk.tf.json'));
  let plan = first;
  for (let round = 1; round <= maxRounds; round++) {
    const stateFile = join(workDir, '..', `${round}.tfstate`);
    writeFileSync(stateFile, JSON.stringify(stateFromPlan(plan, types, round, cbd), null, 2));
    plan = planStack({
      stackDir,
      workDir,
      offline: true,
      priorState: stateFile,
      refresh: false,
    }).plan;
    if (changesIn(plan).length === 0)
      return { stateFile, rounds: round, firstPlan: first, settledPlan: plan };
  }
  throw new Error(
    `the state did not settle in ${maxRounds} rounds:\n${changesIn(plan).join('\n')}`,
  );
}

/**
 * The order `terraform apply` would follow for the plan saved in `workDir`
 * (`terraform graph -plan=tfplan`): each pair `[a, b]` says a waits for b.
 * Node names as Terraform prints them, e.g. `aws_iam_group.ops (destroy)`.
 */
export function applyOrder(workDir: string): [string, string][] {
  const result = spawnSync('terraform', ['graph', '-plan=tfplan'], {
    cwd: workDir,
    encoding: 'utf8',
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(workDir, 'terraform.rc'),
      TF_IN_AUTOMATION: '1',
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`terraform graph failed: ${result.stderr}`);
  const edges: [string, string][] = [];
  for (const m of result.stdout.matchAll(/"\[root\] ([^"]+)" -> "\[root\] ([^"]+)"/g))
    edges.push([m[1], m[2]]);
  return edges;
}

/** Whether `a` waits, directly or through others, for `b` in `edges`. */
export function waitsFor(edges: readonly [string, string][], a: string, b: string): boolean {
  const seen = new Set<string>();
  const todo = [a];
  while (todo.length > 0) {
    const n = todo.pop()!;
    for (const [from, to] of edges) {
      if (from !== n || seen.has(to)) continue;
      if (to === b) return true;
      seen.add(to);
      todo.push(to);
    }
  }
  return false;
}

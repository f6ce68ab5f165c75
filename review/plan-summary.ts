/**
 * What a plan does, in the terms a reviewer thinks in: people added, changed
 * and removed by name; everything else counted by resource type.
 */
import type { ResourceChange, TerraformPlan } from './terraform-plan';

/** `forget`: no longer managed, but left in the account (a `removed` block). */
export type Action = 'add' | 'change' | 'replace' | 'remove' | 'forget';

export interface TypeCounts {
  add: number;
  change: number;
  replace: number;
  remove: number;
  forget: number;
}

const NO_COUNTS: TypeCounts = { add: 0, change: 0, replace: 0, remove: 0, forget: 0 };

/** The synthesized configuration, as far as the summary reads it: each resource's construct path. */
export interface SynthesizedConfig {
  readonly resource?: Record<
    string,
    Record<string, { readonly '//'?: { readonly metadata?: { readonly path?: string } } }>
  >;
}

/**
 * The part of the stack a resource belongs to (`trail`, `topic`, `welcome`,
 * `roster`, ...): the construct below the stack, or below `pipeline`, from
 * the construct path cdktf writes into the configuration. A deleted
 * resource is no longer in the configuration; cdktf's names start with the
 * same path, so its name says it.
 */
export function partOf(
  rc: Pick<ResourceChange, 'type' | 'name'>,
  config?: SynthesizedConfig,
): string {
  const path = config?.resource?.[rc.type]?.[rc.name]?.['//']?.metadata?.path;
  if (path) {
    const seg = path.split('/');
    return seg[1] === 'pipeline' && seg[2] ? seg[2] : (seg[1] ?? 'other');
  }
  const m = /^pipeline_([^_]+)_/.exec(rc.name);
  return m ? m[1] : 'other';
}

export interface PlanSummary {
  readonly people: {
    readonly add: readonly string[];
    /** People whose user, groups or attachments change, with what changes. */
    readonly change: readonly { readonly userName: string; readonly what: readonly string[] }[];
    readonly remove: readonly string[];
  };
  /** Other managed resources by type. */
  readonly others: ReadonlyMap<string, TypeCounts>;
  /** The same, by part of the stack (see partOf), then by type. */
  readonly parts: ReadonlyMap<string, ReadonlyMap<string, TypeCounts>>;
  readonly noChanges: boolean;
}

/** Resource types that belong to one person, and how to name the change. */
const PERSON_PARTS: Record<string, { userKey: string; label: string }> = {
  aws_iam_user: { userKey: 'name', label: 'user' },
  aws_iam_user_group_membership: { userKey: 'user', label: 'groups' },
  aws_iam_user_policy_attachment: { userKey: 'user', label: 'policy attachment' },
};

export function actionOf(rc: ResourceChange): Action | undefined {
  const a = rc.change.actions;
  if (a.includes('create') && a.includes('delete')) return 'replace';
  if (a.includes('forget') && !a.includes('create')) return 'forget';
  if (a.includes('create')) return 'add';
  if (a.includes('delete')) return 'remove';
  if (a.includes('update')) return 'change';
  return undefined;
}

/** Attribute names whose values differ between before and after (unknown counts as changed). */
export function changedFields(rc: ResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter((k) => k !== 'tags_all' && k !== 'id')
    .filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}

function userNameOf(rc: ResourceChange, key: string): string | undefined {
  const v = rc.change.after?.[key] ?? rc.change.before?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function summarizePlan(plan: TerraformPlan, config?: SynthesizedConfig): PlanSummary {
  const add = new Set<string>();
  const remove = new Set<string>();
  const change = new Map<string, Set<string>>();
  const others = new Map<string, TypeCounts>();
  const parts = new Map<string, Map<string, TypeCounts>>();
  const count = (byType: Map<string, TypeCounts>, type: string, action: Action) => {
    const counts = byType.get(type) ?? { ...NO_COUNTS };
    counts[action] += 1;
    byType.set(type, counts);
  };

  const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const personal: { rc: ResourceChange; action: Action; userName: string; label: string }[] = [];
  for (const rc of managed) {
    const action = actionOf(rc);
    if (!action) continue;
    const part = PERSON_PARTS[rc.type];
    const userName = part && userNameOf(rc, part.userKey);
    if (part && userName) {
      personal.push({ rc, action, userName, label: part.label });
      continue;
    }
    count(others, rc.type, action);
    const stackPart = partOf(rc, config);
    count(parts.get(stackPart) ?? parts.set(stackPart, new Map()).get(stackPart)!, rc.type, action);
  }
  // Users first: a person who is added or removed is not also "changed".
  for (const p of personal) {
    if (p.rc.type !== 'aws_iam_user') continue;
    if (p.action === 'add') add.add(p.userName);
    else if (p.action === 'remove') remove.add(p.userName);
  }
  for (const p of personal) {
    if (add.has(p.userName) || remove.has(p.userName)) continue;
    const what = change.get(p.userName) ?? new Set<string>();
    if (p.rc.type === 'aws_iam_user') {
      const fields =
        p.action === 'replace'
          ? ['replaced']
          : p.action === 'forget'
            ? ['forgotten']
            : changedFields(p.rc);
      fields.forEach((f) => what.add(f));
    } else {
      const done = { add: 'added', remove: 'removed', replace: 'replaced', forget: 'forgotten' };
      what.add(p.action === 'change' ? p.label : `${p.label} ${done[p.action]}`);
    }
    change.set(p.userName, what);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return {
    people: {
      add: [...add].sort(byName),
      remove: [...remove].sort(byName),
      change: [...change.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([userName, what]) => ({ userName, what: [...what].sort() })),
    },
    others: new Map([...others.entries()].sort(([a], [b]) => byName(a, b))),
    parts: new Map(
      [...parts.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([part, byType]) => [part, new Map([...byType].sort(([a], [b]) => byName(a, b)))]),
    ),
    noChanges: add.size === 0 && remove.size === 0 && change.size === 0 && others.size === 0,
  };
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** The short text `npm run plan` prints. */
export function formatSummary(s: PlanSummary): string {
  if (s.noChanges) return 'No changes: the account already matches the roster.';
  const lines = [
    `People to add (${s.people.add.length}): ${list(s.people.add)}`,
    `People to change (${s.people.change.length}): ${
      s.people.change.length === 0
        ? 'none'
        : s.people.change.map((c) => `${c.userName} (${c.what.join(', ')})`).join(', ')
    }`,
    `People to remove (${s.people.remove.length}): ${list(s.people.remove)}`,
  ];
  const ACTIONS = ['add', 'change', 'replace', 'remove', 'forget'] as const;
  const phrase = (c: TypeCounts) =>
    ACTIONS.filter((a) => c[a] > 0)
      .map((a) => `${c[a]} to ${a === 'forget' ? 'forget (kept in the account)' : a}`)
      .join(', ');
  const grouped = [...s.parts.keys()].some((p) => p !== 'other');
  if (grouped) {
    lines.push('Other resources, by part of the stack:');
    const width = Math.max(...[...s.parts.keys()].map((k) => k.length));
    for (const [part, byType] of s.parts) {
      const total = { ...NO_COUNTS };
      for (const c of byType.values()) for (const a of ACTIONS) total[a] += c[a];
      lines.push(`  ${part.padEnd(width)}  ${phrase(total)}: ${[...byType.keys()].join(', ')}`);
    }
  } else if (s.others.size > 0) {
    lines.push('Other resources:');
    const width = Math.max(...[...s.others.keys()].map((k) => k.length));
    for (const [type, c] of s.others) lines.push(`  ${type.padEnd(width)}  ${phrase(c)}`);
  }
  return lines.join('\n');
}

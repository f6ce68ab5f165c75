/**
 * What a plan does, in the terms a reviewer thinks in: people added, changed
 * and removed by name; everything else counted by resource type.
 */
import type { ResourceChange, TerraformPlan } from './offline-plan';

export type Action = 'add' | 'change' | 'replace' | 'remove';

export interface TypeCounts {
  add: number;
  change: number;
  replace: number;
  remove: number;
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

export function summarizePlan(plan: TerraformPlan): PlanSummary {
  const add = new Set<string>();
  const remove = new Set<string>();
  const change = new Map<string, Set<string>>();
  const others = new Map<string, TypeCounts>();

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
    const counts = others.get(rc.type) ?? { add: 0, change: 0, replace: 0, remove: 0 };
    counts[action] += 1;
    others.set(rc.type, counts);
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
      const fields = p.action === 'replace' ? ['replaced'] : changedFields(p.rc);
      fields.forEach((f) => what.add(f));
    } else {
      what.add(
        p.action === 'change'
          ? p.label
          : `${p.label} ${p.action === 'add' ? 'added' : p.action === 'remove' ? 'removed' : 'replaced'}`,
      );
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
  if (s.others.size > 0) {
    lines.push('Other resources:');
    const width = Math.max(...[...s.others.keys()].map((k) => k.length));
    for (const [type, c] of s.others) {
      const parts = (['add', 'change', 'replace', 'remove'] as const)
        .filter((a) => c[a] > 0)
        .map((a) => `${c[a]} to ${a}`);
      lines.push(`  ${type.padEnd(width)}  ${parts.join(', ')}`);
    }
  }
  return lines.join('\n');
}

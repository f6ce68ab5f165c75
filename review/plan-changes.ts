/**
 * A plan's resource changes in the few words every reader of a plan uses:
 * which action, which attributes differ, what forced a replacement. Shared
 * by the people reading (plan-people.ts), the summary and the report.
 */
import type { ResourceChange, TerraformPlan } from './terraform-plan';

/** `forget`: no longer managed, but left in the account (a `removed` block). */
export type Action = 'add' | 'change' | 'replace' | 'remove' | 'forget';

/** A resource change with the fields of `terraform show -json` only some readers need. */
export type Rc = ResourceChange & {
  /** Set when a `moved` block (or a state move) gave the object a new address. */
  readonly previous_address?: string;
  readonly change: ResourceChange['change'] & { readonly replace_paths?: unknown };
};

export interface ManagedChange {
  readonly rc: Rc;
  readonly action: Action;
}

export function actionOf(rc: ResourceChange): Action | undefined {
  const a = rc.change.actions;
  if (a.includes('create') && a.includes('delete')) return 'replace';
  if (a.includes('forget') && !a.includes('create')) return 'forget';
  if (a.includes('create')) return 'add';
  if (a.includes('delete')) return 'remove';
  if (a.includes('update')) return 'change';
  return undefined;
}

/** The managed resources the plan does something to, in the plan's order. */
export function managedChanges(plan: TerraformPlan): ManagedChange[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed')
    .map((rc) => ({ rc, action: actionOf(rc) }))
    .filter((c): c is ManagedChange => c.action !== undefined);
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

/** The attribute paths Terraform names as forcing a replacement, dotted (`path`, `tags.x`). */
export function replacePaths(rc: Rc): string[] {
  const paths = rc.change.replace_paths;
  if (!Array.isArray(paths)) return [];
  return paths
    .map((p) => (Array.isArray(p) ? p.filter((s) => typeof s === 'string').join('.') : ''))
    .filter(Boolean);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function diff(before: readonly string[], after: readonly string[]) {
  return {
    added: after.filter((x) => !before.includes(x)),
    removed: before.filter((x) => !after.includes(x)),
  };
}

/**
 * The report's groups and policies: one line per group, and cautions for a
 * group that is deleted or gains a policy (every member gains it too).
 */
import {
  changedFields,
  diff,
  str,
  strings,
  type Action,
  type ManagedChange,
} from '../plan-changes';
import type { Finding } from './findings';
import { code } from './markdown';

export const GROUP_TYPES = new Set([
  'aws_iam_group',
  'aws_iam_group_policy_attachments_exclusive',
  'aws_iam_group_policy_attachment',
]);

/** Policies that grant (nearly) everything, or control of IAM itself. */
const BROAD_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export interface GroupsSection {
  readonly findings: readonly Finding[];
  /** One Markdown list item per group that changes. */
  readonly items: readonly string[];
  /** Each item's action (a group whose policies alone change counts as changed). */
  readonly actions: readonly Action[];
}

interface GroupEntry {
  action?: Action;
  fields: string[];
  added: string[];
  removed: string[];
}

function byGroup(changes: readonly ManagedChange[]): Map<string, GroupEntry> {
  const groups = new Map<string, GroupEntry>();
  const groupEntry = (name: string) => {
    const g = groups.get(name) ?? { fields: [], added: [], removed: [] };
    groups.set(name, g);
    return g;
  };
  for (const { rc, action } of changes) {
    if (!GROUP_TYPES.has(rc.type)) continue;
    if (rc.type === 'aws_iam_group') {
      const g = groupEntry(str(rc.change.after?.name) ?? str(rc.change.before?.name) ?? rc.name);
      g.action = action;
      if (action === 'change') g.fields.push(...changedFields(rc));
      continue;
    }
    const name =
      str(rc.change.after?.group_name ?? rc.change.after?.group) ??
      str(rc.change.before?.group_name ?? rc.change.before?.group) ??
      rc.name;
    const pick = (v: Record<string, unknown> | null) =>
      rc.type === 'aws_iam_group_policy_attachments_exclusive'
        ? strings(v?.policy_arns)
        : strings([v?.policy_arn]);
    const d = diff(pick(rc.change.before), pick(rc.change.after));
    const g = groupEntry(name);
    // A group's policies appear twice: in its exclusive list and as one
    // attachment each (stacks/roster-users.ts). Each counts once.
    g.added.push(...d.added.filter((p) => !g.added.includes(p)));
    g.removed.push(...d.removed.filter((p) => !g.removed.includes(p)));
  }
  return groups;
}

export function groupsSection(changes: readonly ManagedChange[]): GroupsSection {
  const findings: Finding[] = [];
  const items: string[] = [];
  const actions: Action[] = [];
  const groups = byGroup(changes);
  for (const [name, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const policies = [
      ...g.added.map((p) => `+ ${code(p)}`),
      ...g.removed.map((p) => `− ${code(p)}`),
    ];
    const head =
      g.action === 'add'
        ? `new group ${code(name)}`
        : g.action === 'remove'
          ? `**group ${code(name)} deleted**`
          : g.action === 'replace'
            ? `**group ${code(name)} replaced**`
            : `group ${code(name)}`;
    const parts = [
      ...(g.fields.length ? [`changes ${g.fields.map(code).join(', ')}`] : []),
      ...(policies.length ? [`policies ${policies.join(', ')}`] : []),
    ];
    if (parts.length === 0 && (g.action === undefined || g.action === 'change')) continue;
    items.push(`- ${head}${parts.length ? `: ${parts.join('; ')}` : ''}`);
    actions.push(g.action ?? 'change');
    if (g.action === 'remove' || g.action === 'replace') {
      findings.push({
        level: 'warning',
        text: `Group ${code(name)} is ${g.action === 'remove' ? 'deleted' : 'deleted and re-created'}: its members lose the permissions it granted${g.action === 'replace' ? ' until it is back' : ''}.`,
      });
    }
    if (g.added.length > 0 && g.action !== 'add') {
      findings.push({
        level: 'caution',
        text: `**Widens group ${code(name)}**: adds ${g.added.map(code).join(', ')}; every member gains it.`,
      });
    }
    const broad = g.added.filter((p) => BROAD_POLICY.test(p));
    if (broad.length > 0) {
      findings.push({
        level: 'caution',
        text: `**Group ${code(name)} is granted ${broad.map(code).join(', ')}**: (nearly) full control of the account for every member.`,
      });
    }
  }
  return { findings, items, actions };
}

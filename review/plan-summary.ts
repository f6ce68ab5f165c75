/**
 * What a plan does, in the terms a reviewer thinks in: people added, changed
 * and removed by name; everything else counted by resource type.
 */
import { managedChanges, type Action } from './plan-changes';
import { personOfResource, readPlanPeople, type PersonChanges } from './plan-people';
import type { ResourceChange, TerraformPlan } from './terraform-plan';

export { actionOf, changedFields, type Action } from './plan-changes';

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
    /** A person under a new name (see plan-people.ts: same address, or the same user moved). */
    readonly rename: readonly { readonly from: string; readonly to: string }[];
    /** Who gets a first welcome email once the plan is applied. */
    readonly welcome: readonly string[];
    /** Who gets the welcome email again (the resend counter rises). */
    readonly resend: readonly string[];
    /** Who is suspended, with the end date when one passed. */
    readonly suspend: readonly { readonly userName: string; readonly accessEnded?: string }[];
    /** Who is reinstated (a fresh password follows). */
    readonly reinstate: readonly string[];
    /** End dates set, changed or removed. */
    readonly accessEnds: readonly { readonly userName: string; readonly until?: string }[];
  };
  /** Other managed resources by type. */
  readonly others: ReadonlyMap<string, TypeCounts>;
  /** The same, by part of the stack (see partOf), then by type. */
  readonly parts: ReadonlyMap<string, ReadonlyMap<string, TypeCounts>>;
  readonly noChanges: boolean;
}

const DONE = { add: 'added', remove: 'removed', replace: 'replaced', forget: 'forgotten' };

/** What changes for a person who stays, in a word or two per resource. */
function whatChanges(p: PersonChanges, renamedInPlace: boolean): string[] {
  const what = new Set<string>();
  if (p.user) {
    const fields =
      p.user.action === 'replace'
        ? ['replaced']
        : p.user.action === 'forget'
          ? ['forgotten']
          : p.user.fields.map((f) => f.field).filter((f) => !(renamedInPlace && f === 'name'));
    fields.forEach((f) => what.add(f));
  }
  const labelled = (label: string, action: Action) =>
    what.add(action === 'change' ? label : `${label} ${DONE[action]}`);
  if (p.groups) labelled('groups', p.groups.action);
  for (const policy of p.policies) labelled('policy attachment', policy.action);
  return [...what].sort();
}

export function summarizePlan(plan: TerraformPlan, config?: SynthesizedConfig): PlanSummary {
  const others = new Map<string, TypeCounts>();
  const parts = new Map<string, Map<string, TypeCounts>>();
  const count = (byType: Map<string, TypeCounts>, type: string, action: Action) => {
    const counts = byType.get(type) ?? { ...NO_COUNTS };
    counts[action] += 1;
    byType.set(type, counts);
  };
  for (const { rc, action } of managedChanges(plan)) {
    if (personOfResource(rc) !== undefined) continue;
    count(others, rc.type, action);
    const stackPart = partOf(rc, config);
    count(parts.get(stackPart) ?? parts.set(stackPart, new Map()).get(stackPart)!, rc.type, action);
  }

  const people = readPlanPeople(plan);
  const movedTo = new Set(people.renamed.filter((r) => r.sameUser).map((r) => r.to.userName));
  const change = people.changed
    .map((p) => ({ userName: p.userName, what: whatChanges(p, movedTo.has(p.userName)) }))
    .filter((c) => c.what.length > 0);
  const byName = (a: string, b: string) => a.localeCompare(b);
  const rename = people.renamed
    .map((r) => ({ from: r.from.userName, to: r.to.userName }))
    .sort((a, b) => byName(a.from, b.from));
  return {
    people: {
      add: people.added.map((p) => p.userName).sort(byName),
      remove: people.removed.map((p) => p.userName).sort(byName),
      change,
      rename,
      welcome: people.welcome.map((w) => w.userName),
      resend: people.resend.map((r) => r.userName),
      suspend: people.suspend,
      reinstate: people.reinstate.map((r) => r.userName),
      accessEnds: people.accessEnds,
    },
    others: new Map([...others.entries()].sort(([a], [b]) => byName(a, b))),
    parts: new Map(
      [...parts.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([part, byType]) => [part, new Map([...byType].sort(([a], [b]) => byName(a, b)))]),
    ),
    noChanges:
      people.added.length === 0 &&
      people.removed.length === 0 &&
      rename.length === 0 &&
      change.length === 0 &&
      others.size === 0,
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
  // Only when there are any, so that a plain plan's summary stays three lines.
  if (s.people.rename.length > 0)
    lines.push(
      `People to rename (${s.people.rename.length}): ${s.people.rename.map((r) => `${r.from} → ${r.to}`).join(', ')}`,
    );
  if (s.people.welcome.length > 0)
    lines.push(`Welcome emails (${s.people.welcome.length}): ${list(s.people.welcome)}`);
  if (s.people.resend.length > 0)
    lines.push(`Welcome emails sent again (${s.people.resend.length}): ${list(s.people.resend)}`);
  const { suspend, reinstate, accessEnds } = s.people;
  if (suspend.length > 0)
    lines.push(
      `People to suspend (${suspend.length}): ${suspend.map((p) => (p.accessEnded ? `${p.userName} (access ended on ${p.accessEnded})` : p.userName)).join(', ')}`,
    );
  if (reinstate.length > 0)
    lines.push(`People to reinstate (${reinstate.length}): ${list(reinstate)}`);
  if (accessEnds.length > 0)
    lines.push(
      `Access end dates (${accessEnds.length}): ${accessEnds.map((a) => `${a.userName} ${a.until ? `access ends on ${a.until}` : '(end date removed)'}`).join(', ')}`,
    );
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

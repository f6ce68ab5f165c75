/**
 * One reading of the people a Terraform plan touches: added, removed,
 * renamed, replaced, forgotten and changed, and whom the welcome function
 * will email once it is applied (a first welcome, or a resend). The summary
 * (plan-summary.ts), the report (plan-report/) and the email previews
 * (email-preview.ts) all read people through this module, so they cannot
 * disagree on who gets an email.
 *
 * "Will be welcomed" is the function's own decision (handlers/welcome/core/
 * policy.ts) applied to the planned path and tags: the managed path, the
 * managed-by tag and an email tag the function accepts. Every IAM user the
 * plan creates raises a CreateUser event, so a replaced user (delete, then
 * create) and a renamed one (a new user under the new name) are welcomed
 * again. A resend is the `resend-welcome` tag raised on a user the plan
 * updates (IAM TagUser); on a user the plan creates, the tag is written by
 * CreateUser itself, and the first welcome is the only email.
 */
import { decide } from '../handlers/welcome/core/policy';
import {
  ACCESS_UNTIL_TAG_KEY,
  type DeliveryChannel,
  DISPLAY_NAME_TAG_KEY,
  EMAIL_TAG_KEY,
  EVERYONE_GROUP_NAME,
  RESEND_TAG_KEY,
  SUSPENDED_TAG_KEY,
} from '../shared/contract';
import {
  changedFields,
  managedChanges,
  replacePaths,
  str,
  strings,
  type Action,
  type Rc,
} from './plan-changes';
import type { ResourceChange, TerraformPlan } from './terraform-plan';

/** Resource types that belong to one person: the attribute naming them, and a label. */
export const PERSON_PARTS: Readonly<Record<string, { userKey: string; label: string }>> = {
  aws_iam_user: { userKey: 'name', label: 'user' },
  aws_iam_user_group_membership: { userKey: 'user', label: 'groups' },
  aws_iam_user_policy_attachment: { userKey: 'user', label: 'policy attachment' },
};

/** The person a resource belongs to (its user name), or undefined when it is no person's. */
export function personOfResource(rc: ResourceChange): string | undefined {
  const part = PERSON_PARTS[rc.type];
  if (!part) return undefined;
  return str(rc.change.after?.[part.userKey]) ?? str(rc.change.before?.[part.userKey]);
}

/** A person as the plan describes their IAM user, before or after. */
export interface PlannedPerson {
  readonly userName: string;
  readonly path?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The email tag as the roster wrote it (the function may still refuse it). */
  readonly email?: string;
  readonly displayName?: string;
  /** The roster's groups (the everyone group left out), sorted. */
  readonly groups: readonly string[];
}

/** Someone the welcome function will email, with the address it accepts. */
export interface Recipient {
  readonly userName: string;
  readonly email: string;
  readonly displayName?: string;
  /** The previous user name the roster says this user replaces (tag renamed-from). */
  readonly renamedFrom?: string;
  /** The person's own delivery channel (tag delivery-channel); absent: the settings'. */
  readonly channel?: DeliveryChannel;
}

/** A first welcome: the plan creates this IAM user (new, renamed or re-created). */
export interface Welcome extends Recipient {
  readonly reason: 'added' | 'renamed' | 'replaced';
}

/** The welcome sent again: the resend counter rises from `from` to `to`. */
export interface Resend extends Recipient {
  readonly from: number;
  readonly to: number;
}

/**
 * A person the plan suspends: the `suspended` tag appears on a user it keeps
 * (TagUser, which the function answers by turning sign-in and keys off).
 */
export interface Suspension {
  readonly userName: string;
  /** Set when the suspension comes from an end date that has passed, not the roster's field. */
  readonly accessEnded?: string;
}

/** A person the plan reinstates: the `suspended` tag goes; the function issues a fresh password. */
export type Reinstatement = Recipient;

/** An end date the plan sets, changes or removes (tag `access-until`). */
export interface AccessEnd {
  readonly userName: string;
  /** The last day of access after the plan; undefined when the plan removes the end date. */
  readonly until?: string;
  readonly before?: string;
}

export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  /** Undefined when known only after apply. */
  readonly after: unknown;
}

export interface TagChange {
  readonly key: string;
  readonly before?: string;
  readonly after?: string;
}

/** What the plan does to a person's IAM user. */
export interface UserChange {
  readonly action: Action;
  /** Every attribute that differs (`tags` included), by name. */
  readonly fields: readonly FieldChange[];
  /** Tags that differ, by key. */
  readonly tags: readonly TagChange[];
  /** For a replacement: the attributes Terraform names as forcing it. */
  readonly forcedBy: readonly string[];
}

export interface GroupsChange {
  readonly action: Action;
  /** The roster's groups before and after (the everyone group left out). */
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface PolicyChange {
  readonly action: Action;
  readonly policyArn?: string;
}

/** Everything the plan does to one person's resources. */
export interface PersonChanges {
  readonly userName: string;
  readonly user?: UserChange;
  readonly groups?: GroupsChange;
  readonly policies: readonly PolicyChange[];
}

export interface Rename {
  readonly from: PlannedPerson;
  readonly to: PlannedPerson;
  /**
   * The same IAM user under a new name (a `moved` block: IAM UpdateUser keeps
   * its password, keys and ID; no email). Otherwise the old user is deleted
   * and a new one created, recognised by the shared address.
   */
  readonly sameUser: boolean;
}

export interface Replacement {
  readonly person: PlannedPerson;
  readonly forcedBy: readonly string[];
}

export interface PlanPeople {
  /** Users the plan creates, a rename's new user left out; in plan order. */
  readonly added: readonly PlannedPerson[];
  /** Users the plan deletes, a rename's old user left out; in plan order. */
  readonly removed: readonly PlannedPerson[];
  readonly renamed: readonly Rename[];
  /** Users deleted and created again under the same name; in plan order. */
  readonly replaced: readonly Replacement[];
  /** Users the stack stops managing but leaves in the account; in plan order. */
  readonly forgotten: readonly PlannedPerson[];
  /**
   * Everyone with a change whom the plan neither creates nor deletes
   * (replaced, renamed in place and forgotten people included), by name.
   */
  readonly changed: readonly PersonChanges[];
  /** Every person the plan touches, created and deleted ones too, by name. */
  readonly all: ReadonlyMap<string, PersonChanges>;
  /** First welcomes, by name. */
  readonly welcome: readonly Welcome[];
  /** Welcomes sent again, by name; never someone who also gets a first welcome. */
  readonly resend: readonly Resend[];
  /** Users the plan creates whom the function will not welcome, and why; by name. */
  readonly notWelcomed: readonly { readonly userName: string; readonly why: string }[];
  /** People the plan suspends (users it keeps), by name. */
  readonly suspend: readonly Suspension[];
  /** People the plan reinstates (users it keeps), by name. */
  readonly reinstate: readonly Reinstatement[];
  /** End dates the plan sets on a user (one it creates included), changes or removes, by name. */
  readonly accessEnds: readonly AccessEnd[];
  /** Every policy attachment of a user, in plan order. */
  readonly attachments: readonly (PolicyChange & { readonly userName: string })[];
}

function tagsOf(v: Record<string, unknown> | null | undefined): Record<string, string> {
  const t = v?.tags;
  if (!t || typeof t !== 'object') return {};
  return Object.fromEntries(
    Object.entries(t as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

function rosterGroups(v: Record<string, unknown> | null | undefined): string[] {
  return strings(v?.groups)
    .filter((g) => g !== EVERYONE_GROUP_NAME)
    .sort();
}

function personOf(
  values: Record<string, unknown> | null | undefined,
  groups: readonly string[],
): PlannedPerson | undefined {
  const userName = str(values?.name);
  if (!userName) return undefined;
  const tags = tagsOf(values);
  const path = str(values?.path);
  return {
    userName,
    ...(path === undefined ? {} : { path }),
    tags,
    ...(tags[EMAIL_TAG_KEY] ? { email: tags[EMAIL_TAG_KEY] } : {}),
    ...(tags[DISPLAY_NAME_TAG_KEY] ? { displayName: tags[DISPLAY_NAME_TAG_KEY] } : {}),
    groups,
  };
}

/**
 * The recipient when the function would welcome this planned user, or why it
 * would skip them.
 */
export function recipientOf(person: PlannedPerson): Recipient | { readonly skip: string } {
  const tags = Object.entries(person.tags).map(([Key, Value]) => ({ Key, Value }));
  // No user ID exists yet; the function compares it only with the event's own.
  const decision = decide(undefined, { path: person.path ?? '/', userId: 'planned', tags });
  if (decision.kind !== 'welcome') return { skip: decision.detail };
  return {
    userName: person.userName,
    email: decision.email,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    ...(decision.renamedFrom === undefined ? {} : { renamedFrom: decision.renamedFrom }),
    ...(decision.channel === undefined ? {} : { channel: decision.channel }),
  };
}

/**
 * The resend counter a tag value holds: absent is 0; anything but a plain
 * non-negative integer is no counter (the roster refuses such a value).
 */
export function resendCounter(tags: Readonly<Record<string, string>>): number | undefined {
  const v = tags[RESEND_TAG_KEY];
  if (v === undefined) return 0;
  return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

function tagChanges(before: Record<string, string>, after: Record<string, string>): TagChange[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter((k) => before[k] !== after[k])
    .map((key) => ({
      key,
      ...(before[key] === undefined ? {} : { before: before[key] }),
      ...(after[key] === undefined ? {} : { after: after[key] }),
    }));
}

function userChangeOf(rc: Rc, action: Action): UserChange {
  return {
    action,
    fields: changedFields(rc).map((field) => ({
      field,
      before: rc.change.before?.[field],
      after: rc.change.after?.[field],
    })),
    tags: tagChanges(tagsOf(rc.change.before), tagsOf(rc.change.after)),
    forcedBy: action === 'replace' ? replacePaths(rc) : [],
  };
}

/**
 * Whether the configuration's roster says `suspended` for this person rather
 * than an end date that passed: the plan does not carry the roster, but an
 * end date still ahead of the plan's own timestamp cannot have suspended
 * anyone. Without a timestamp, a person with an end date counts as ended.
 */
function rosterSaysSuspended(person: PlannedPerson, plan: TerraformPlan): boolean {
  const until = person.tags[ACCESS_UNTIL_TAG_KEY];
  const stamp = (plan as { timestamp?: unknown }).timestamp;
  if (until === undefined) return true;
  if (typeof stamp !== 'string') return false;
  return until >= stamp.slice(0, 10);
}

const byName = <T extends { userName: string }>(a: T, b: T) => a.userName.localeCompare(b.userName);

export function readPlanPeople(plan: TerraformPlan): PlanPeople {
  const changes = managedChanges(plan);
  const all = new Map<
    string,
    { user?: UserChange; groups?: GroupsChange; policies: PolicyChange[] }
  >();
  const entry = (userName: string) =>
    all.get(userName) ?? all.set(userName, { policies: [] }).get(userName)!;
  const attachments: (PolicyChange & { userName: string })[] = [];

  for (const { rc, action } of changes) {
    const userName = personOfResource(rc);
    if (userName === undefined) continue;
    const e = entry(userName);
    if (rc.type === 'aws_iam_user') e.user = userChangeOf(rc, action);
    else if (rc.type === 'aws_iam_user_group_membership')
      e.groups = {
        action,
        before: rosterGroups(rc.change.before),
        after: rosterGroups(rc.change.after),
      };
    else {
      const policyArn = str(rc.change.after?.policy_arn) ?? str(rc.change.before?.policy_arn);
      const policy = { action, ...(policyArn === undefined ? {} : { policyArn }) };
      e.policies.push(policy);
      attachments.push({ userName, ...policy });
    }
  }

  const groupsAfter = (name: string) => all.get(name)?.groups?.after ?? [];
  const groupsBefore = (name: string) => all.get(name)?.groups?.before ?? [];
  const added: PlannedPerson[] = [];
  const removed: PlannedPerson[] = [];
  const replaced: Replacement[] = [];
  const forgotten: PlannedPerson[] = [];
  const renamed: Rename[] = [];
  const created: { person: PlannedPerson; action: Action }[] = [];
  const updated: { before: PlannedPerson; after: PlannedPerson }[] = [];
  for (const { rc, action } of changes) {
    if (rc.type !== 'aws_iam_user') continue;
    const afterName = str(rc.change.after?.name);
    const beforeName = str(rc.change.before?.name);
    const after = afterName && personOf(rc.change.after, groupsAfter(afterName));
    const before = beforeName && personOf(rc.change.before, groupsBefore(beforeName));
    if (action === 'add' && after) added.push(after);
    else if (action === 'remove' && before) removed.push(before);
    else if (action === 'forget' && before) forgotten.push(before);
    else if (action === 'replace' && after)
      replaced.push({ person: after, forcedBy: replacePaths(rc) });
    else if (action === 'change' && before && after) {
      updated.push({ before, after });
      if (before.userName !== after.userName)
        renamed.push({ from: before, to: after, sameUser: true });
    }
    if ((action === 'add' || action === 'replace') && after)
      created.push({ person: after, action });
  }
  const createdOrDeleted = new Set([...added, ...removed].map((p) => p.userName));

  // A deleted and a created user with the same address: one person renamed.
  for (const to of [...added]) {
    const from = removed.find(
      (r) => r.email !== undefined && r.email.toLowerCase() === to.email?.toLowerCase(),
    );
    if (!from) continue;
    renamed.push({ from, to, sameUser: false });
    added.splice(added.indexOf(to), 1);
    removed.splice(removed.indexOf(from), 1);
  }
  const renamedTo = new Set(renamed.filter((r) => !r.sameUser).map((r) => r.to.userName));

  const notWelcomed: { userName: string; why: string }[] = [];
  const welcome: Welcome[] = created.flatMap(({ person, action }) => {
    const r = recipientOf(person);
    if ('skip' in r) {
      notWelcomed.push({ userName: person.userName, why: r.skip });
      return [];
    }
    const reason =
      action === 'replace' ? 'replaced' : renamedTo.has(person.userName) ? 'renamed' : 'added';
    return [{ ...r, reason }];
  });
  // Only users the plan updates: one it creates carries its counter in
  // CreateUser itself, and that event's first welcome is the only email.
  const resend: Resend[] = updated.flatMap(({ before, after }) => {
    const from = resendCounter(before.tags);
    const to = resendCounter(after.tags);
    const r = recipientOf(after);
    if (from === undefined || to === undefined || to <= from) return [];
    if ('skip' in r) return [];
    return [{ ...r, from, to }];
  });

  const suspend: Suspension[] = [];
  const reinstate: Reinstatement[] = [];
  for (const { before, after } of updated) {
    const was = before.tags[SUSPENDED_TAG_KEY] === 'true';
    const is = after.tags[SUSPENDED_TAG_KEY] === 'true';
    if (!was && is) {
      const until = after.tags[ACCESS_UNTIL_TAG_KEY];
      // The stack writes the tag for a passed end date too (stacks/roster-users.ts).
      const ended = until !== undefined && !rosterSaysSuspended(after, plan);
      suspend.push({ userName: after.userName, ...(ended ? { accessEnded: until } : {}) });
    } else if (was && !is) {
      const r = recipientOf(after);
      if (!('skip' in r)) reinstate.push(r);
    }
  }
  const accessEnds: AccessEnd[] = [
    ...added.map((p) => ({ before: undefined, after: p })),
    ...created
      .filter((c) => c.action === 'replace')
      .map((c) => ({ before: undefined, after: c.person })),
    ...renamed.filter((r) => !r.sameUser).map((r) => ({ before: undefined, after: r.to })),
    ...updated,
  ].flatMap(({ before, after }) => {
    const was = before?.tags[ACCESS_UNTIL_TAG_KEY];
    const until = after.tags[ACCESS_UNTIL_TAG_KEY];
    if (was === until) return [];
    return [
      {
        userName: after.userName,
        ...(until === undefined ? {} : { until }),
        ...(was === undefined ? {} : { before: was }),
      },
    ];
  });

  const people = new Map([...all.entries()].map(([userName, e]) => [userName, { userName, ...e }]));
  return {
    added,
    removed,
    renamed,
    replaced,
    forgotten,
    changed: [...people.values()].filter((p) => !createdOrDeleted.has(p.userName)).sort(byName),
    all: new Map([...people.entries()].sort(([a], [b]) => a.localeCompare(b))),
    welcome: welcome.sort(byName),
    resend: resend.sort(byName),
    notWelcomed: notWelcomed.sort(byName),
    suspend: suspend.sort(byName),
    reinstate: reinstate.sort(byName),
    accessEnds: accessEnds.sort(byName),
    attachments,
  };
}

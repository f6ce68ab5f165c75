/**
 * The report's people: added, renamed, changed and removed, one table row
 * each, with cautions for whatever loses a password or access keys.
 */
import {
  ACCESS_UNTIL_TAG_KEY,
  DENY_ALL_POLICY_ARN,
  DISPLAY_NAME_TAG_KEY,
  EMAIL_TAG_KEY,
  RESEND_TAG_KEY,
  SUSPENDED_TAG_KEY,
} from '../../shared/contract';
import { diff } from '../plan-changes';
import type { PersonChanges, PlanPeople } from '../plan-people';
import type { Finding } from './findings';
import { code, forcedBy, md, plural, table } from './markdown';
import { REMOVAL_SHARE_ENV, removesTooMany, shareWords } from '../../inputs/removals';

/** The people managed before the plan, and the share of them a removal may take quietly. */
export interface RemovalScale {
  readonly before: number;
  readonly share: number;
}

export interface PeopleSection {
  readonly findings: readonly Finding[];
  /** The counts line's people part. */
  readonly counts: string;
  readonly lines: readonly string[];
}

const TAG_LABEL: Record<string, string> = {
  [DISPLAY_NAME_TAG_KEY]: 'display name',
  [EMAIL_TAG_KEY]: 'email',
  [RESEND_TAG_KEY]: 'resend counter',
};

const quoted = (v: string | undefined) => (v === undefined ? '(none)' : `“${md(v)}”`);

/** One note per change, in the order user, groups, policies. */
function notesOf(p: PersonChanges, isNew: boolean, renamedInPlace: boolean): string[] {
  const notes: string[] = [];
  const u = p.user;
  if (u?.action === 'forget') {
    notes.push('no longer managed: the IAM user stays in the account');
  } else if (u && (u.action === 'change' || u.action === 'replace')) {
    if (u.action === 'replace')
      notes.push(`**replaced**${forcedBy(u.forcedBy)}: the user is deleted and created again`);
    const hidden = new Set(['tags', 'arn', 'unique_id', ...(renamedInPlace ? ['name'] : [])]);
    for (const f of u.fields.filter((f) => !hidden.has(f.field))) {
      notes.push(
        `${code(f.field)}: ${md(JSON.stringify(f.before) ?? 'null')} → ${md(JSON.stringify(f.after) ?? '(known after apply)')}`,
      );
    }
    for (const t of u.tags) {
      if (t.key === SUSPENDED_TAG_KEY) {
        notes.push(
          t.after === 'true'
            ? '**suspend**: sign-in and access keys off, every action denied; user, groups and tags kept'
            : '**reinstate**: every action allowed again; a fresh temporary password by email',
        );
        continue;
      }
      if (t.key === ACCESS_UNTIL_TAG_KEY) {
        notes.push(
          t.after === undefined
            ? `end date removed (was ${md(t.before ?? '')})`
            : `access ends on ${md(t.after)}${t.before === undefined ? '' : ` (was ${md(t.before)})`}`,
        );
        continue;
      }
      const label = TAG_LABEL[t.key] ?? `tag ${code(t.key)}`;
      notes.push(`${label}: ${quoted(t.before)} → ${quoted(t.after)}`);
    }
  }
  if (isNew) return notes;
  if (p.groups) {
    const d = diff(p.groups.before, p.groups.after);
    const parts = [...d.added.map((g) => `+ ${code(g)}`), ...d.removed.map((g) => `− ${code(g)}`)];
    if (parts.length > 0) notes.push(`groups: ${parts.join(', ')}`);
    else if (p.groups.action === 'replace') notes.push('group membership re-created');
  }
  for (const policy of p.policies) {
    const done =
      policy.action === 'add' ? 'attached' : policy.action === 'remove' ? 'detached' : 'changed';
    notes.push(`policy ${code(policy.policyArn ?? '?')} ${done}`);
  }
  return notes;
}

export function peopleSection(
  people: PlanPeople,
  maxRows: number,
  scale?: RemovalScale,
): PeopleSection {
  const findings: Finding[] = [];
  if (scale && removesTooMany(people.removed.length, scale.before, scale.share)) {
    findings.push({
      level: 'caution',
      text: `**Removes ${shareWords(people.removed.length, scale.before)} this stack manages**, more than ${Math.round(scale.share * 100)}% (${code(REMOVAL_SHARE_ENV)}): check the roster was not emptied or cut by mistake before applying.`,
    });
  }
  for (const p of people.forgotten) {
    findings.push({
      level: 'warning',
      text: `${code(p.userName)} is no longer managed by this stack: the IAM user stays in the account, untouched.`,
    });
  }
  for (const r of people.replaced) {
    findings.push({
      level: 'caution',
      text: `**${code(r.person.userName)} is deleted and re-created**${forcedBy(r.forcedBy)}: the console password and any access keys are lost; a new welcome email is sent.`,
    });
  }
  for (const s of people.suspend) {
    findings.push({
      level: 'warning',
      text: s.accessEnded
        ? `**Suspends ${code(s.userName)}: access ended on ${md(s.accessEnded)}.** Sign-in and access keys are turned off and every action denied; the user, groups and tags stay.`
        : `**Suspends ${code(s.userName)}.** Sign-in and access keys are turned off and every action denied; the user, groups and tags stay.`,
    });
  }
  for (const a of people.attachments) {
    // Deny-all narrows: it is the suspension, reported above.
    if (a.action !== 'add' || a.policyArn === DENY_ALL_POLICY_ARN) continue;
    findings.push({
      level: 'caution',
      text: `**Widens ${code(a.userName)}**: attaches ${code(a.policyArn ?? '?')} directly to the user.`,
    });
  }
  const { added, removed } = people;
  if (removed.length > 0) {
    findings.push({
      level: 'caution',
      text: `**Removes ${plural(removed.length, 'person', 'people')}: ${removed.map((p) => code(p.userName)).join(', ')}.** Each IAM user is deleted with its console password and any access keys; this cannot be undone.`,
    });
  }
  const renames = people.renamed;
  for (const r of renames.filter((r) => !r.sameUser)) {
    findings.push({
      level: 'caution',
      text: `**Renaming ${code(r.from.userName)} to ${code(r.to.userName)} deletes the old user** and creates a new one: the old password and any access keys stop working, and a new welcome email with a new password goes to ${md(r.to.email ?? '')}.`,
    });
  }

  // A renamed person's old and new user are created or deleted too: "new".
  const isNew = new Set(
    [
      ...added,
      ...removed,
      ...renames.filter((r) => !r.sameUser).flatMap((r) => [r.from, r.to]),
    ].map((p) => p.userName),
  );
  const moved = new Set(renames.filter((r) => r.sameUser).map((r) => r.to.userName));
  const notes = (userName: string) => {
    const p = people.all.get(userName);
    return p ? notesOf(p, isNew.has(userName), moved.has(userName)) : [];
  };
  const changed = people.changed
    .filter((p) => !moved.has(p.userName))
    .map((p) => ({ userName: p.userName, notes: notes(p.userName) }))
    .filter((c) => c.notes.length > 0);

  const rows: string[][] = [
    ...added.map((p) => [
      'add',
      code(p.userName),
      [
        p.displayName ? md(p.displayName) : undefined,
        p.email ? md(p.email) : undefined,
        `groups: ${p.groups.length ? p.groups.map(code).join(', ') : '(none)'}`,
        p.tags[SUSPENDED_TAG_KEY] === 'true'
          ? '**suspended**: no password until reinstated'
          : undefined,
        p.tags[ACCESS_UNTIL_TAG_KEY]
          ? `access ends on ${md(p.tags[ACCESS_UNTIL_TAG_KEY])}`
          : undefined,
      ]
        .filter(Boolean)
        .join('; '),
    ]),
    ...renames.map((r) => [
      '**rename**',
      `${code(r.from.userName)} → ${code(r.to.userName)}`,
      r.sameUser
        ? [
            'same IAM user under a new name: its password, access keys and groups stay; no new email',
            ...notes(r.to.userName),
          ].join('; ')
        : `same address ${md(r.to.email ?? '')}: old user deleted, new user created; groups: ${r.to.groups.map(code).join(', ') || '(none)'}`,
    ]),
    ...changed.map((c) => ['change', code(c.userName), c.notes.join('; ')]),
    ...removed.map((p) => [
      '**remove**',
      code(p.userName),
      [
        p.email ? md(p.email) : undefined,
        `was in: ${p.groups.map(code).join(', ') || '(no groups)'}`,
      ]
        .filter(Boolean)
        .join('; '),
    ]),
  ];
  return {
    findings,
    counts: `**People:** ${added.length} to add, ${renames.length} renamed, ${changed.length} to change, ${removed.length} to remove.`,
    lines:
      rows.length > 0
        ? ['#### People', '', ...table(['', 'Person', 'Details'], rows, maxRows), '']
        : [],
  };
}

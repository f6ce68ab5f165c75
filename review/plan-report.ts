/**
 * The plan as a Markdown report for a pull-request comment: people added,
 * renamed, changed and removed; group and policy changes; the welcome
 * pipeline's changes grouped by part; and loud warnings for anything
 * destructive or security-relevant. Pure: `npm run plan` and `npm run preview`
 * write it (scripts/plan.ts, scripts/preview.ts), the PR workflow posts it.
 *
 * Everything taken from the plan (names, addresses, tags) is escaped: a
 * roster entry cannot inject Markdown, HTML or @-mentions into the comment.
 */
import { DISPLAY_NAME_TAG_KEY, EMAIL_TAG_KEY, EVERYONE_GROUP_NAME } from '../shared/contract';
import type { ResourceChange, TerraformPlan } from './terraform-plan';
import {
  actionOf,
  changedFields,
  partOf,
  type Action,
  type SynthesizedConfig,
} from './plan-summary';

export type { SynthesizedConfig } from './plan-summary';

/** One rendered preview, as scripts/preview.ts writes it. */
export interface PreviewFile {
  readonly userName: string;
  /** Paths as the reader should see them, e.g. `cdktf.out/previews/alice.html`. */
  readonly html: string;
  readonly text: string;
}

export interface PlanReportOptions {
  /** The synthesized configuration: its construct paths group the pipeline by part. */
  readonly config?: SynthesizedConfig;
  /** The email previews written for this plan; the report lists them. */
  readonly previews?: {
    readonly files: readonly PreviewFile[];
    /** Where a reviewer can open them (e.g. the workflow artifact), when they are not local. */
    readonly url?: string;
  };
  /** The stack's name in the heading. @default 'iam-onboarding' */
  readonly stackName?: string;
  /** A line on how the plan was made (offline, against the account). */
  readonly mode?: string;
  /** At most this many rows per table; the rest are counted. @default 200 */
  readonly maxRows?: number;
}

/** GitHub rejects comments over 65536 characters; stay well below. */
export const MAX_REPORT_LENGTH = 60_000;

/** The one line a plan without changes gets. */
export const NO_CHANGES_LINE =
  '**No changes.** The account already matches the roster and the settings.';

// --- reading the plan -------------------------------------------------------

type Rc = ResourceChange & {
  readonly change: ResourceChange['change'] & { readonly replace_paths?: unknown };
};

interface Person {
  userName: string;
  email?: string;
  displayName?: string;
  groups: string[];
}

const PERSON_TYPES = new Set([
  'aws_iam_user',
  'aws_iam_user_group_membership',
  'aws_iam_user_policy_attachment',
]);
const GROUP_TYPES = new Set([
  'aws_iam_group',
  'aws_iam_group_policy_attachments_exclusive',
  'aws_iam_group_policy_attachment',
]);

/** Policies that grant (nearly) everything, or control of IAM itself. */
const BROAD_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function tagsOf(v: Record<string, unknown> | null): Record<string, string> {
  const t = v?.tags;
  if (!t || typeof t !== 'object') return {};
  return Object.fromEntries(
    Object.entries(t as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

function personOf(values: Record<string, unknown> | null, groups: string[]): Person | undefined {
  const userName = str(values?.name);
  if (!userName) return undefined;
  const tags = tagsOf(values);
  return {
    userName,
    ...(tags[EMAIL_TAG_KEY] ? { email: tags[EMAIL_TAG_KEY] } : {}),
    ...(tags[DISPLAY_NAME_TAG_KEY] ? { displayName: tags[DISPLAY_NAME_TAG_KEY] } : {}),
    groups,
  };
}

function rosterGroups(v: Record<string, unknown> | null): string[] {
  return strings(v?.groups)
    .filter((g) => g !== EVERYONE_GROUP_NAME)
    .sort();
}

function diff(before: readonly string[], after: readonly string[]) {
  return {
    added: after.filter((x) => !before.includes(x)),
    removed: before.filter((x) => !after.includes(x)),
  };
}

// --- Markdown ----------------------------------------------------------------

/**
 * Text from the plan, safe inside Markdown and a table cell: no HTML, no
 * links, no emphasis, no @-mentions or #-references, one line.
 */
export function md(value: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '|': '&#124;',
    '@': '&#64;',
    '#': '&#35;',
  };
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[&<>|@#\\`*_[\]()!~]/g, (c) => entities[c] ?? `\\${c}`);
}

/** A name in code style; falls back to escaped text when it holds a backtick. */
function code(value: string): string {
  const v = value.replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '&#124;');
  return /`/.test(v) ? md(value) : `\`${v}\``;
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxRows: number,
): string[] {
  const shown = rows.slice(0, maxRows);
  const out = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...shown.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (rows.length > maxRows) out.push('', `… and ${rows.length - maxRows} more (see plan.json).`);
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// --- the report --------------------------------------------------------------

interface Finding {
  readonly level: 'caution' | 'warning';
  readonly text: string;
}

const ACTION_WORD: Record<Action, string> = {
  add: 'create',
  change: 'update',
  replace: '**replace**',
  remove: '**delete**',
  forget: 'forget (kept in the account)',
};

/** Pipeline resources whose loss breaks the flow or the audit trail. */
const CRITICAL: Record<string, string> = {
  aws_cloudtrail:
    'the CloudTrail trail: no user creation is seen (and no email sent) until it is back, and the audit record has a gap',
  aws_sns_topic:
    'an SNS topic: events published while it is recreated are lost, subscriptions must be re-made',
  aws_kms_key:
    'the KMS key: deleting schedules the key for deletion, and whatever it encrypts becomes unreadable',
  aws_s3_bucket: 'the trail log bucket: the audit logs it holds may be lost',
};

/** Account baselines (settings `security`): what turning each on or off means for people. */
const BASELINES: Record<string, { readonly add: string; readonly remove: string }> = {
  aws_iam_group_policy: {
    add: '**Requires MFA of every managed person**: until they set up a device, they can only change their password and set up MFA (existing people too: tell them first; new people get the steps in their email).',
    remove: '**Stops requiring MFA** of managed people.',
  },
  aws_iam_account_password_policy: {
    add: "**Sets the account's password policy** to CIS values (length 14, reuse 24, all character classes), replacing any set by hand; existing passwords must meet it at their next change.",
    remove: "**Removes the account's password policy**: IAM's default applies again.",
  },
};

/** What a `forget` of these types means for the reader. */
const FORGOTTEN: Record<string, string> = {
  aws_s3_bucket:
    'the trail log bucket stays in the account with every audit log, but this stack no longer manages it',
};

/** Resource types that are access policies: any change to them deserves a reviewer's eye. */
const ACCESS_POLICY: Record<string, string> = {
  aws_iam_role: 'role (trust policy)',
  aws_iam_role_policy: "role's permissions",
  aws_sns_topic_policy: 'topic access policy',
  aws_sqs_queue_policy: 'queue access policy',
  aws_s3_bucket_policy: 'bucket policy',
  aws_kms_key: 'key policy',
  aws_lambda_permission: 'function invoke permission',
};

function replaceReason(rc: Rc): string {
  const paths = rc.change.replace_paths;
  if (!Array.isArray(paths) || paths.length === 0) return '';
  const names = paths
    .map((p) => (Array.isArray(p) ? p.filter((s) => typeof s === 'string').join('.') : ''))
    .filter(Boolean);
  return names.length ? ` (forced by ${names.map(code).join(', ')})` : '';
}

export function renderPlanReport(plan: TerraformPlan, options: PlanReportOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed')
    .map((rc) => ({ rc: rc, action: actionOf(rc) }))
    .filter((c): c is { rc: Rc; action: Action } => c.action !== undefined);
  if (changes.length === 0) return NO_CHANGES_LINE;

  const findings: Finding[] = [];

  // People: users first, then memberships and user policies.
  const memberships = new Map<string, { before: string[]; after: string[]; action: Action }>();
  for (const { rc, action } of changes) {
    if (rc.type !== 'aws_iam_user_group_membership') continue;
    const user = str(rc.change.after?.user) ?? str(rc.change.before?.user);
    if (user)
      memberships.set(user, {
        before: rosterGroups(rc.change.before),
        after: rosterGroups(rc.change.after),
        action,
      });
  }
  const added: Person[] = [];
  const removed: Person[] = [];
  const changed = new Map<string, string[]>();
  const note = (user: string, what: string) =>
    changed.set(user, [...(changed.get(user) ?? []), what]);

  for (const { rc, action } of changes) {
    if (rc.type !== 'aws_iam_user') continue;
    const m = memberships.get(str(rc.change.after?.name) ?? str(rc.change.before?.name) ?? '');
    if (action === 'add') {
      const p = personOf(rc.change.after, m?.after ?? []);
      if (p) added.push(p);
    } else if (action === 'remove') {
      const p = personOf(rc.change.before, m?.before ?? []);
      if (p) removed.push(p);
    } else if (action === 'forget') {
      const name = str(rc.change.before?.name) ?? rc.name;
      note(name, 'no longer managed: the IAM user stays in the account');
      findings.push({
        level: 'warning',
        text: `${code(name)} is no longer managed by this stack: the IAM user stays in the account, untouched.`,
      });
    } else {
      const name = str(rc.change.after?.name) ?? rc.name;
      if (action === 'replace') {
        note(name, `**replaced**${replaceReason(rc)}: the user is deleted and created again`);
        findings.push({
          level: 'caution',
          text: `**${code(name)} is deleted and re-created**${replaceReason(rc)}: the console password and any access keys are lost; a new welcome email is sent.`,
        });
      }
      const fields = changedFields(rc).filter(
        (f) => f !== 'tags' && f !== 'arn' && f !== 'unique_id',
      );
      for (const f of fields) {
        const b = rc.change.before?.[f];
        const a = rc.change.after?.[f];
        note(
          name,
          `${code(f)}: ${md(JSON.stringify(b) ?? 'null')} → ${md(JSON.stringify(a) ?? '(known after apply)')}`,
        );
      }
      const tb = tagsOf(rc.change.before);
      const ta = tagsOf(rc.change.after);
      for (const k of [...new Set([...Object.keys(tb), ...Object.keys(ta)])].sort()) {
        if (tb[k] === ta[k]) continue;
        const label =
          k === DISPLAY_NAME_TAG_KEY
            ? 'display name'
            : k === EMAIL_TAG_KEY
              ? 'email'
              : `tag ${code(k)}`;
        note(
          name,
          `${label}: ${tb[k] === undefined ? '(none)' : `“${md(tb[k])}”`} → ${ta[k] === undefined ? '(none)' : `“${md(ta[k])}”`}`,
        );
      }
    }
  }
  const isNew = new Set([...added, ...removed].map((p) => p.userName));
  for (const [user, m] of memberships) {
    if (isNew.has(user)) continue;
    const d = diff(m.before, m.after);
    const parts = [...d.added.map((g) => `+ ${code(g)}`), ...d.removed.map((g) => `− ${code(g)}`)];
    if (parts.length > 0) note(user, `groups: ${parts.join(', ')}`);
    else if (m.action === 'replace') note(user, 'group membership re-created');
  }
  for (const { rc, action } of changes) {
    if (rc.type !== 'aws_iam_user_policy_attachment') continue;
    const user = str(rc.change.after?.user) ?? str(rc.change.before?.user) ?? rc.name;
    const arn = str(rc.change.after?.policy_arn) ?? str(rc.change.before?.policy_arn) ?? '?';
    if (action === 'add') {
      findings.push({
        level: 'caution',
        text: `**Widens ${code(user)}**: attaches ${code(arn)} directly to the user.`,
      });
    }
    if (!isNew.has(user))
      note(
        user,
        `policy ${code(arn)} ${action === 'add' ? 'attached' : action === 'remove' ? 'detached' : 'changed'}`,
      );
  }

  // Renames: a removed and an added person with the same address.
  const renames: { from: Person; to: Person }[] = [];
  for (const to of [...added]) {
    const from = removed.find(
      (r) => r.email !== undefined && r.email.toLowerCase() === to.email?.toLowerCase(),
    );
    if (!from) continue;
    renames.push({ from, to });
    added.splice(added.indexOf(to), 1);
    removed.splice(removed.indexOf(from), 1);
  }

  if (removed.length > 0) {
    findings.push({
      level: 'caution',
      text: `**Removes ${plural(removed.length, 'person', 'people')}: ${removed.map((p) => code(p.userName)).join(', ')}.** Each IAM user is deleted with its console password and any access keys; this cannot be undone.`,
    });
  }
  for (const r of renames) {
    findings.push({
      level: 'caution',
      text: `**Renaming ${code(r.from.userName)} to ${code(r.to.userName)} deletes the old user** and creates a new one: the old password and any access keys stop working, and a new welcome email with a new password goes to ${md(r.to.email ?? '')}.`,
    });
  }

  // Groups and policies, one line per group.
  const groups = new Map<
    string,
    { action?: Action; fields: string[]; added: string[]; removed: string[] }
  >();
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
  const groupLines: string[] = [];
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
    groupLines.push(`- ${head}${parts.length ? `: ${parts.join('; ')}` : ''}`);
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

  // The pipeline and anything else, by part.
  const pipelineRows: string[][] = [];
  for (const { rc, action } of changes) {
    if (PERSON_TYPES.has(rc.type) || GROUP_TYPES.has(rc.type)) continue;
    const part = partOf(rc, options.config);
    const detail =
      action === 'change'
        ? changedFields(rc).map(code).join(', ')
        : action === 'replace'
          ? replaceReason(rc).replace(/^ \((.*)\)$/, '$1')
          : '';
    pipelineRows.push([code(part), code(rc.address), ACTION_WORD[action], detail]);
    const critical = CRITICAL[rc.type];
    if (critical && (action === 'replace' || action === 'remove')) {
      findings.push({
        level: 'caution',
        text: `**${action === 'replace' ? 'Replaces' : 'Deletes'} ${critical}** (${code(rc.address)}${replaceReason(rc)}).`,
      });
    } else if (action === 'remove') {
      findings.push({
        level: 'warning',
        text: `Deletes ${code(rc.address)} (pipeline part ${code(part)}).`,
      });
    } else if (action === 'forget') {
      findings.push({
        level: 'warning',
        text: `Stops managing ${code(rc.address)}: ${FORGOTTEN[rc.type] ?? 'it stays in the account as it is, and this stack no longer manages it'}.`,
      });
    }
    if (
      rc.type === 'aws_cloudtrail' &&
      rc.change.before?.enable_logging !== false &&
      rc.change.after?.enable_logging === false
    ) {
      findings.push({
        level: 'caution',
        text: `**Turns the CloudTrail trail's logging off** (${code(rc.address)}): no welcome emails, no audit record.`,
      });
    }
    const baseline = BASELINES[rc.type];
    if (baseline && (action === 'add' || action === 'remove')) {
      findings.push({ level: 'caution', text: baseline[action] });
    }
    const policy = ACCESS_POLICY[rc.type];
    if (
      policy &&
      (action === 'change' || action === 'replace') &&
      (rc.type !== 'aws_kms_key' || changedFields(rc).includes('policy')) &&
      (rc.type !== 'aws_iam_role' || changedFields(rc).includes('assume_role_policy'))
    ) {
      findings.push({
        level: 'warning',
        text: `Changes a ${policy}: ${code(rc.address)}. Review who gains access.`,
      });
    }
  }
  pipelineRows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));

  // --- assemble ---------------------------------------------------------------
  const out: string[] = [`### Plan for ${code(options.stackName ?? 'iam-onboarding')}`, ''];
  if (options.mode) out.push(`_${md(options.mode)}_`, '');

  for (const level of ['caution', 'warning'] as const) {
    const items = [...new Set(findings.filter((f) => f.level === level).map((f) => f.text))];
    if (items.length === 0) continue;
    out.push(`> [!${level.toUpperCase()}]`, ...items.map((t) => `> - ${t}`), '');
  }

  const peopleChanged = [...changed.keys()].filter((u) => !isNew.has(u)).sort();
  out.push(
    `**People:** ${added.length} to add, ${renames.length} renamed, ${peopleChanged.length} to change, ${removed.length} to remove. ` +
      `**Groups:** ${plural(groupLines.length, 'group')} to change. ` +
      `**Pipeline:** ${plural(pipelineRows.length, 'resource')} to change.`,
    '',
  );

  const peopleRows: string[][] = [
    ...added.map((p) => [
      'add',
      code(p.userName),
      [
        p.displayName ? md(p.displayName) : undefined,
        p.email ? md(p.email) : undefined,
        `groups: ${p.groups.length ? p.groups.map(code).join(', ') : '(none)'}`,
      ]
        .filter(Boolean)
        .join('; '),
    ]),
    ...renames.map((r) => [
      '**rename**',
      `${code(r.from.userName)} → ${code(r.to.userName)}`,
      `same address ${md(r.to.email ?? '')}: old user deleted, new user created; groups: ${r.to.groups.map(code).join(', ') || '(none)'}`,
    ]),
    ...peopleChanged.map((u) => ['change', code(u), changed.get(u)!.join('; ')]),
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
  if (peopleRows.length > 0) {
    out.push('#### People', '', ...table(['', 'Person', 'Details'], peopleRows, maxRows), '');
  }
  if (groupLines.length > 0) {
    out.push('#### Groups and policies', '', ...groupLines.slice(0, maxRows), '');
    if (groupLines.length > maxRows) out.push(`… and ${groupLines.length - maxRows} more.`, '');
  }
  if (pipelineRows.length > 0) {
    out.push(
      '#### Pipeline, by part',
      '',
      ...table(['Part', 'Resource', 'Action', 'Details'], pipelineRows, maxRows),
      '',
    );
  }

  const welcomed = [...added.map((p) => p.userName), ...renames.map((r) => r.to.userName)];
  if (welcomed.length > 0) {
    out.push('#### Welcome emails', '');
    out.push(
      `${plural(welcomed.length, 'person', 'people')} will get a welcome email with a temporary password once this is deployed.`,
    );
    const files = options.previews?.files ?? [];
    if (files.length > 0) {
      const where = options.previews?.url
        ? ` ([download the previews](${encodeURI(options.previews.url)}))`
        : '';
      out.push(
        `Previews, with a placeholder instead of the password (\`npm run preview\` writes them)${where}:`,
        '',
      );
      for (const f of files.slice(0, maxRows)) {
        out.push(`- ${code(f.userName)}: ${code(f.html)}, ${code(f.text)}`);
      }
      if (files.length > maxRows) out.push(`- … and ${files.length - maxRows} more`);
    } else {
      out.push('Run `npm run preview` to see them.');
    }
    out.push('');
  }

  let report = out.join('\n').trimEnd() + '\n';
  if (report.length > MAX_REPORT_LENGTH) {
    const cut = report.lastIndexOf('\n', MAX_REPORT_LENGTH - 200);
    report = `${report.slice(0, cut)}\n\n_The report is cut here to fit a comment; the full plan is in plan.json._\n`;
  }
  return report;
}

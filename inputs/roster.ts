/**
 * The roster, `users/users.json`: its schema, its validation with IAM's own
 * rules, and the JSON Schema editors use. The zod schema is the single
 * definition: the validator, the TypeScript types and the committed JSON
 * Schema all come from it.
 */
import { z } from 'zod';
import { readJsonDocument, type JsonDocument } from './json-file';
import {
  FUNCTION_TAG_PREFIX,
  DISPLAY_NAME_MAX,
  DISPLAY_NAME_TAG_KEY,
  RENAMED_FROM_TAG_KEY,
  EMAIL_TAG_KEY,
  EVERYONE_GROUP_NAME,
  MANAGED_BY_TAG_KEY,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  SUSPENDED_TAG_KEY,
  ACCESS_UNTIL_TAG_KEY,
  DELIVERY_CHANNEL_TAG_KEY,
  IAM_USER_NAME_MAX,
} from '../shared/contract';
import {
  channelSchema,
  rosterChannelProblems,
  type RosterDeliveryOptions,
} from './delivery-channel';
import { jsonPath, quote } from './errors';
import { validateDocument, type CrossProblem } from './validate';
import { checkEmailAddress, EMAIL_ADDRESS, reasonOf } from '../shared/rules';
import { nearestTagText, tagRefusal } from './tag-text';
import { committedRoster } from './removals';

/** IAM's limits, from the IAM quotas and API reference. */
export const IAM_LIMITS = {
  userNameMax: IAM_USER_NAME_MAX,
  groupNameMax: 128,
  policyNameMax: 128,
  /** Groups one user may belong to. */
  groupsPerUser: 10,
  /** Managed policies attached to one group (the quota's maximum). */
  policiesPerGroup: 20,
  tagsPerUser: 50,
  tagKeyMax: 128,
  tagValueMax: 256,
  /** CreatePolicy's Path: at most 512 characters; a policy ARN at most 2,048. */
  policyPathMax: 512,
  policyArnMax: 2048,
} as const;

/** IAM's default account quotas; the settings' `limits` say when the account's are raised. */
export const DEFAULT_QUOTAS = { maxUsers: 5000, maxGroups: 300 } as const;
export type Quotas = { readonly maxUsers: number; readonly maxGroups: number };

/** Tag keys this project writes itself; the roster may not set them. */
export const RESERVED_TAG_KEYS = [
  MANAGED_BY_TAG_KEY,
  EMAIL_TAG_KEY,
  DISPLAY_NAME_TAG_KEY,
  // Written from `resend`: a tag of that name would send passwords outside the counter's rules.
  RESEND_TAG_KEY,
  // Written from `resendAfterSignIn`.
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RENAMED_FROM_TAG_KEY,
  // Written from `suspended` and `accessUntil`: the function acts on them.
  SUSPENDED_TAG_KEY,
  ACCESS_UNTIL_TAG_KEY,
  // Written from `channel`: it steers where the password goes.
  DELIVERY_CHANNEL_TAG_KEY,
] as const;

/** Characters IAM allows in user and group names. */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** Characters IAM allows in tag keys and values (letters, spaces and numbers in any script). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/**
 * A customer- or AWS-managed policy ARN, in any partition; its path is IAM's
 * (printable ASCII between slashes) without `*`.
 */
const POLICY_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:iam::(?:aws|\d{12}):policy\/(?:[\x21-\x29\x2b-\x7e]*\/)?[\w+=,.@-]{1,128}$/;

/** A string field's type error: a missing field is required, anything else is the wrong type. */
const stringField = {
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : 'must be a string',
};

export { DISPLAY_NAME_MAX };

/** Tag keys JavaScript objects cannot carry as data: `__proto__` would vanish from the synthesized tags. */
export const UNSAFE_TAG_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const userName = z
  .string(stringField)
  .min(1, { error: 'must not be empty' })
  .max(IAM_LIMITS.userNameMax, {
    error: `is longer than IAM's ${IAM_LIMITS.userNameMax} characters for a user name`,
  })
  .regex(IAM_NAME, {
    error: 'may contain only letters, digits and + = , . @ _ - (IAM user name rules)',
  })
  .describe('IAM user name: 1 to 64 of letters, digits and + = , . @ _ -; unique ignoring case.');

const groupName = z
  .string(stringField)
  .min(1, { error: 'must not be empty' })
  .max(IAM_LIMITS.groupNameMax, {
    error: `is longer than IAM's ${IAM_LIMITS.groupNameMax} characters for a group name`,
  })
  .regex(IAM_NAME, {
    error: 'may contain only letters, digits and + = , . @ _ - (IAM group name rules)',
  });

/**
 * The address rule the welcome function applies to the tag (shared/rules.ts),
 * then what an IAM tag value can carry: the address is stored in one. The
 * rule's 254 characters are within the tag's 256.
 */
const email = z
  .string(stringField)
  .normalize('NFC')
  .regex(EMAIL_ADDRESS, {
    error: (issue) =>
      `is not one email address like "name@example.com": ${reasonOf(checkEmailAddress(String(issue.input)))}`,
    // One message per value: the tag rule below would only repeat the problem.
    abort: true,
  })
  .regex(TAG_TEXT, {
    error: (issue) =>
      `${tagRefusal(String(issue.input), { hints: false }) ?? 'has a character an IAM tag cannot hold'} (the address is stored in a tag): use only letters, digits and . _ / = + - before the @`,
  })
  .describe("The person's work email address: where the welcome email goes.");

/** Text stored in a tag, checked (and synthesized) in NFC: see inputs/tag-text.ts. */
const tagValueText = (what: string, max: number = IAM_LIMITS.tagValueMax, whyMax = "IAM's") =>
  z
    .string(stringField)
    .normalize('NFC')
    .max(max, { error: `is longer than ${whyMax} ${max} characters for ${what}` })
    .regex(TAG_TEXT, {
      error: (issue) => tagRefusal(String(issue.input)) ?? `is not text IAM can store in a tag`,
    });

const tags = z
  .record(
    z
      .string()
      .normalize('NFC')
      .min(1, { error: 'a tag key must not be empty' })
      .max(IAM_LIMITS.tagKeyMax, {
        error: `a tag key is longer than IAM's ${IAM_LIMITS.tagKeyMax} characters`,
      })
      .regex(TAG_TEXT, {
        error: (issue) => `the tag key ${tagRefusal(String(issue.input))}`,
      })
      .refine((k) => !k.toLowerCase().startsWith('aws:'), {
        error: 'a tag key may not start with "aws:" (reserved by AWS)',
      })
      .refine((k) => !k.toLowerCase().startsWith(FUNCTION_TAG_PREFIX), {
        error: `a tag key may not start with "${FUNCTION_TAG_PREFIX}" (the welcome function writes those tags)`,
      })
      .refine((k) => !RESERVED_TAG_KEYS.includes(k.toLowerCase() as never), {
        error: `a tag key may not be one of ${RESERVED_TAG_KEYS.join(', ')} (this project sets them)`,
      }),
    tagValueText('a tag value'),
    { error: 'must be an object of tag keys to string values' },
  )
  .describe(
    `Extra IAM tags for the user. At most ${IAM_LIMITS.tagsPerUser} tags in all, including the ones this project sets.`,
  );

/**
 * Highest `resend` counter the roster accepts. Each raise mails a new
 * password; a value in the thousands is a typo, not a history of resends.
 */
export const RESEND_MAX = 1000;

const resend = z
  .number({ error: 'must be a whole number like 1, without quotes' })
  .int({ error: 'must be a whole number like 1' })
  .min(0, { error: 'must not be negative' })
  .max(RESEND_MAX, { error: `is larger than ${RESEND_MAX}; raise the counter by one per resend` })
  .describe(
    'Raise by one (in a pull request) to give the person a new temporary password and a new ' +
      'welcome email. Only a value above every value already served sends anything; lowering it does nothing.',
  );

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (`month` 1 to 12). */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why `YYYY-MM-DD` names no day (`2027-02-30`), or undefined when it is one. */
export function impossibleDate(value: string): string | undefined {
  const [year, month, day] = value.split('-').map(Number);
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysIn(year, month);
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

/** Today in UTC, `YYYY-MM-DD`: the calendar `accessUntil` is read in. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const accessUntil = z
  .string({ error: 'must be a date like "2027-03-31" (YYYY-MM-DD), in quotes' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, {
    error:
      'must be a date like "2027-03-31" (YYYY-MM-DD: four-digit year, two-digit month and day)',
    abort: true,
  })
  .refine((v) => impossibleDate(v) === undefined, {
    error: (issue) => `is not a day in the calendar: ${impossibleDate(String(issue.input))}`,
  })
  .describe(
    'The last day (UTC, YYYY-MM-DD) the person has access. The next day the daily run deletes ' +
      'their password and deactivates their access keys (the admins are warned a week before), ' +
      'and the next deploy suspends them as "suspended": true does. Must not be in the past when added.',
  );

/** A policy ARN's path: from the `/` after `policy` to the last `/`, e.g. `/job-function/`. */
function policyPath(arn: string): string {
  const start = arn.indexOf(':policy/') + ':policy'.length;
  return start < ':policy'.length ? '' : arn.slice(start, arn.lastIndexOf('/') + 1);
}

const policyArn = z
  .string({ error: 'must be a string' })
  .max(IAM_LIMITS.policyArnMax, {
    error: `is longer than IAM's ${IAM_LIMITS.policyArnMax.toLocaleString('en')} characters for a policy ARN; copy the ARN from the IAM console`,
    abort: true,
  })
  .refine((arn) => !policyPath(arn).includes('*'), {
    error:
      'has a "*" in its path, which IAM does not allow (a wildcard cannot attach a policy); name one policy by its exact ARN',
    abort: true,
  })
  .refine((arn) => policyPath(arn).length <= IAM_LIMITS.policyPathMax, {
    error: `has a path (between "policy" and the policy's name) longer than IAM's ${IAM_LIMITS.policyPathMax} characters; copy the ARN from the IAM console`,
    abort: true,
  })
  .regex(POLICY_ARN, {
    error:
      'is not a managed policy ARN like "arn:aws:iam::aws:policy/ReadOnlyAccess" or "arn:aws:iam::123456789012:policy/name"',
  });

export const userSchema = z
  .strictObject(
    {
      userName,
      email,
      displayName: tagValueText('a display name', DISPLAY_NAME_MAX)
        .min(1, { error: 'must not be empty; leave the field out instead' })
        .optional()
        .describe('How the welcome email greets the person, e.g. "Alice Smith".'),
      groups: z
        .array(groupName, { error: 'must be a list of group names' })
        // Every managed user is also in the everyone group, which takes one of IAM's slots.
        .max(IAM_LIMITS.groupsPerUser - 1, {
          error: `lists more than ${IAM_LIMITS.groupsPerUser - 1} groups (IAM allows ${IAM_LIMITS.groupsPerUser} per user, and every user is also in "${EVERYONE_GROUP_NAME}")`,
        })
        .default([])
        .describe('Names of groups from this roster the user belongs to.'),
      tags: tags.optional(),
      resend: resend.optional(),
      resendAfterSignIn: z
        .literal(true, { error: 'must be true, or left out' })
        .optional()
        .describe(
          'true: a raised "resend" also replaces the password of a person who has already signed in ' +
            '(a forgotten password). Without it such a resend is refused, so that whoever may tag the ' +
            'user cannot take over a console in use. Honoured only when the deploy role raised the counter.',
        ),
      suspended: z
        .literal(true, { error: 'must be true, or left out' })
        .optional()
        .describe(
          'true: sign-in and access keys off and every action denied (AWSDenyAll attached), while the ' +
            'user, its groups, tags and history stay. Remove the field (or the line) to reinstate: the ' +
            'person then gets a fresh temporary password by email.',
        ),
      accessUntil: accessUntil.optional(),
      channel: channelSchema
        .optional()
        .describe(
          'How this person receives their sign-in, instead of the settings\' delivery.channel: "email", ' +
            '"slack" (a Slack direct message to the Slack user with this email address; the email when Slack ' +
            'cannot reach them) or "email-and-slack".',
        ),
      renamedFrom: userName
        .optional()
        .describe(
          'The user name this person had before, when this entry renames them: the welcome email then ' +
            'says the old user name, its password and MFA device no longer work. Harmless to leave in later; a resend still reads as a resend.',
        ),
    },
    { error: 'must be an object' },
  )
  .describe('One person who gets console access.');

export const groupSchema = z
  .strictObject(
    {
      groupName: groupName.describe(
        'IAM group name: 1 to 128 of letters, digits and + = , . @ _ -; unique ignoring case.',
      ),
      policies: z
        .array(policyArn, { error: 'must be a list of managed policy ARNs' })
        .max(IAM_LIMITS.policiesPerGroup, {
          error: `lists more than IAM's ${IAM_LIMITS.policiesPerGroup} managed policies per group`,
        })
        .default([])
        .describe('Managed policy ARNs attached to the group (exclusively: others are detached).'),
    },
    { error: 'must be an object' },
  )
  .describe('An IAM group and the managed policies it grants.');

export const rosterSchema = z
  .strictObject(
    {
      $schema: z.string().optional().describe('Path to users.schema.json, for editors.'),
      groups: z.array(groupSchema, { error: 'must be a list of groups' }).default([]),
      users: z.array(userSchema, { error: 'must be a list of users' }),
    },
    { error: 'the roster must be a JSON object with "groups" and "users"' },
  )
  .describe('The people who get AWS console access, and the groups they belong to.');

export type RosterUser = z.output<typeof userSchema>;
export type RosterGroup = z.output<typeof groupSchema>;
export type Roster = z.output<typeof rosterSchema>;

/** The default roster path, relative to the project root; `ROSTER_FILE` overrides it. */
export const DEFAULT_ROSTER_FILE = 'users/users.json';

/** The JSON Schema committed as users/users.schema.json, generated from the zod schema. */
export function rosterJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(rosterSchema, { io: 'input', target: 'draft-2020-12' });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks that span entries: IAM's case-insensitive uniqueness, references to
 * groups, duplicate memberships and policies, tag counts. They run on the raw
 * value, tolerating shapes zod already rejected, so that one run reports
 * these too.
 */
function crossChecks(raw: unknown, quotas: Quotas, doc?: JsonDocument): CrossProblem[] {
  const out: CrossProblem[] = [];
  if (!isRecord(raw)) return out;
  /** `user "alice" on line 12`: the other entry of a duplicate, as a reader finds it. */
  const entryAt = (path: readonly PropertyKey[], kind: string, name: unknown) => {
    const line = doc?.position(path)?.line;
    const at = line === undefined ? `at ${jsonPath(path)}` : `on line ${line}`;
    return `${kind} ${quote(String(name))} ${at}`;
  };
  const groups = Array.isArray(raw.groups) ? raw.groups : [];
  const users = Array.isArray(raw.users) ? raw.users : [];
  out.push(...quotaProblems(users.length, groups.length, quotas));

  const groupIndex = new Map<string, number>();
  const groupNames: string[] = [];
  groups.forEach((g, i) => {
    if (!isRecord(g)) return;
    if (typeof g.groupName === 'string' && g.groupName !== '') {
      groupNames.push(g.groupName);
      const key = g.groupName.toLowerCase();
      if (key === EVERYONE_GROUP_NAME) {
        out.push({
          path: ['groups', i, 'groupName'],
          message: `"${EVERYONE_GROUP_NAME}" is the group this project puts every user in; choose another name`,
        });
      }
      const first = groupIndex.get(key);
      if (first !== undefined) {
        out.push({
          path: ['groups', i, 'groupName'],
          message: `duplicates ${entryAt(['groups', first, 'groupName'], 'group', (groups[first] as { groupName: string }).groupName)} (IAM group names are unique ignoring case)`,
        });
      } else groupIndex.set(key, i);
    }
    if (Array.isArray(g.policies)) {
      const seen = new Set<string>();
      g.policies.forEach((p, j) => {
        if (typeof p !== 'string') return;
        if (seen.has(p))
          out.push({ path: ['groups', i, 'policies', j], message: 'is listed twice' });
        seen.add(p);
      });
    }
  });

  const userIndex = new Map<string, number>();
  const emailIndex = new Map<string, number>();
  users.forEach((u, i) => {
    if (!isRecord(u)) return;
    if (typeof u.userName === 'string' && u.userName !== '') {
      const key = u.userName.toLowerCase();
      const first = userIndex.get(key);
      if (first !== undefined) {
        out.push({
          path: ['users', i, 'userName'],
          message: `duplicates ${entryAt(['users', first, 'userName'], 'user', (users[first] as { userName: string }).userName)} (IAM user names are unique ignoring case)`,
        });
      } else userIndex.set(key, i);
    }
    if (typeof u.email === 'string' && u.email !== '') {
      const key = u.email.toLowerCase();
      const first = emailIndex.get(key);
      if (first !== undefined) {
        // Two people sharing an address would receive each other's passwords.
        out.push({
          path: ['users', i, 'email'],
          message: `is also the address of ${entryAt(['users', first, 'email'], 'user', (users[first] as { userName?: unknown }).userName ?? `at $.users[${first}]`)}; each person needs their own address`,
        });
      } else emailIndex.set(key, i);
    }
    if (Array.isArray(u.groups)) {
      const seen = new Set<string>();
      u.groups.forEach((g, j) => {
        if (typeof g !== 'string' || g === '') return;
        const key = g.toLowerCase();
        if (seen.has(key)) {
          out.push({ path: ['users', i, 'groups', j], message: `lists group ${quote(g)} twice` });
        }
        seen.add(key);
        const defined = groupIndex.get(key);
        if (defined === undefined) {
          out.push({
            path: ['users', i, 'groups', j],
            message: `refers to group ${quote(g)}, which is not defined in $.groups`,
            candidates: groupNames,
          });
        } else {
          const exact = (groups[defined] as { groupName: string }).groupName;
          if (exact !== g) {
            out.push({
              path: ['users', i, 'groups', j],
              message: `refers to group ${quote(g)}, but the group is defined as ${quote(exact)}; use the same spelling`,
            });
          }
        }
      });
    }
    if (isRecord(u.tags)) {
      const keys = Object.keys(u.tags);
      const own =
        2 +
        (typeof u.displayName === 'string' ? 1 : 0) +
        (typeof u.renamedFrom === 'string' ? 1 : 0) +
        (typeof u.resend === 'number' && u.resend > 0 ? 1 : 0) +
        (u.resendAfterSignIn === true ? 1 : 0) +
        (typeof u.channel === 'string' ? 1 : 0) +
        // An end date also brings the suspended tag once it has passed.
        (typeof u.accessUntil === 'string' ? 2 : u.suspended === true ? 1 : 0);
      if (keys.length + own > IAM_LIMITS.tagsPerUser) {
        out.push({
          path: ['users', i, 'tags'],
          message: `has ${keys.length} tags; with the ${own} this project sets that exceeds IAM's ${IAM_LIMITS.tagsPerUser} tags per user`,
        });
      }
      const seen = new Map<string, string>();
      for (const k of keys) {
        if ((UNSAFE_TAG_KEYS as readonly string[]).includes(k)) {
          out.push({
            path: ['users', i, 'tags', k],
            message: `the tag key ${quote(k)} is one of ${UNSAFE_TAG_KEYS.join(', ')}, names JavaScript objects reserve (the tag would be lost or misread on its way to IAM); choose another key`,
            value: k,
          });
          continue;
        }
        const norm = k.normalize('NFC').toLowerCase();
        const prev = seen.get(norm);
        if (prev !== undefined) {
          out.push({
            path: ['users', i, 'tags', k],
            message: `tag key ${quote(k)} duplicates ${quote(prev)} (IAM tag keys on users are unique ignoring case)`,
            value: k,
          });
        } else seen.set(norm, k);
      }
    }
  });
  // A rename names the old user: never this one, never someone still here.
  users.forEach((u, i) => {
    if (!isRecord(u) || typeof u.renamedFrom !== 'string' || typeof u.userName !== 'string') return;
    const old = u.renamedFrom.toLowerCase();
    const other = userIndex.get(old);
    if (old === u.userName.toLowerCase()) {
      out.push({
        path: ['users', i, 'renamedFrom'],
        message:
          'is the same as userName; a rename gives the new name in userName and the old one here',
      });
    } else if (other !== undefined) {
      out.push({
        path: ['users', i, 'renamedFrom'],
        message: `names the user at $.users[${other}], who is still in the roster; give the user name this person had before`,
      });
    }
  });
  return out;
}

/** The account's IAM quotas (users, groups), which CreateUser and CreateGroup enforce at deploy. */
function quotaProblems(users: number, groups: number, quotas: Quotas): CrossProblem[] {
  const over = (path: string, n: number, max: number, what: string, setting: string) => ({
    path: [path],
    message: `lists ${n.toLocaleString('en')} ${what}s, more than the ${max.toLocaleString('en')} IAM ${what}s the account may have; remove some, or if the account's quota is raised (aws iam get-account-summary, ${setting === 'maxUsers' ? 'UsersQuota' : 'GroupsQuota'}) set limits.${setting} in the settings to it`,
  });
  return [
    ...(users > quotas.maxUsers ? [over('users', users, quotas.maxUsers, 'user', 'maxUsers')] : []),
    ...(groups > quotas.maxGroups
      ? [over('groups', groups, quotas.maxGroups, 'group', 'maxGroups')]
      : []),
  ];
}

function subjectOf(raw: unknown) {
  return (path: readonly PropertyKey[]): string | undefined => {
    if (!isRecord(raw) || path.length < 2 || typeof path[1] !== 'number') return undefined;
    const list = path[0] === 'users' ? raw.users : path[0] === 'groups' ? raw.groups : undefined;
    if (!Array.isArray(list)) return undefined;
    const entry: unknown = list[path[1]];
    if (!isRecord(entry)) return undefined;
    if (path[0] === 'users' && typeof entry.userName === 'string' && entry.userName)
      return `user ${quote(entry.userName)}`;
    if (path[0] === 'groups' && typeof entry.groupName === 'string' && entry.groupName)
      return `group ${quote(entry.groupName)}`;
    return undefined;
  };
}

/**
 * The nearest value IAM accepts for a string refused by the tag rule
 * (`Dana O'Kafor` → `Dana OKafor`). Never for an address: dropping a
 * character there names another mailbox.
 */
function tagSuggestion(issue: z.core.$ZodIssue, value: unknown): unknown {
  if (issue.code !== 'invalid_format' || issue.pattern !== String(TAG_TEXT)) return undefined;
  if (typeof value !== 'string' || issue.path[issue.path.length - 1] === 'email') return undefined;
  return nearestTagText(value);
}

/** How annotations on a pull request title the roster's problems. */
export const ROSTER_PROBLEM_TITLE = 'Roster problem';

/** What the end-date check compares with: the day, and the roster as committed. */
export interface EndDateOptions {
  /** Today, `YYYY-MM-DD` in UTC. @default the clock's */
  readonly today?: string;
  /**
   * The roster as committed (git HEAD, or a pull request's base branch:
   * inputs/removals.ts), read only when a date has passed; undefined when
   * there is none, and then every past date counts as new.
   */
  readonly committed?: () => unknown;
}

/**
 * End dates in the past that this change adds: a person who is new, or
 * whose `accessUntil` differs from the committed roster's. One that was
 * committed before it passed is the end date doing its work, not a mistake.
 */
function pastEndDates(raw: unknown, options: EndDateOptions): CrossProblem[] {
  if (!isRecord(raw) || !Array.isArray(raw.users)) return [];
  const today = options.today ?? utcDay();
  const past = raw.users.flatMap((u, i) =>
    isRecord(u) &&
    typeof u.accessUntil === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(u.accessUntil) &&
    impossibleDate(u.accessUntil) === undefined &&
    u.accessUntil < today
      ? [{ i, userName: typeof u.userName === 'string' ? u.userName : '', date: u.accessUntil }]
      : [],
  );
  if (past.length === 0) return [];
  const earlier = options.committed?.();
  const committed = new Map<string, unknown>();
  const earlierUsers = isRecord(earlier) && Array.isArray(earlier.users) ? earlier.users : [];
  for (const u of earlierUsers)
    if (isRecord(u) && typeof u.userName === 'string')
      committed.set(u.userName.toLowerCase(), u.accessUntil);
  return past
    .filter((p) => committed.get(p.userName.toLowerCase()) !== p.date)
    .map((p) => ({
      path: ['users', p.i, 'accessUntil'],
      message: `is in the past (today is ${today}, UTC); an end date must be today or later when it is added: to end this person's access now, set "suspended": true`,
    }));
}

/**
 * Validates a parsed roster document; throws InputFileError listing every
 * problem. `quotas`: the account's (the settings' `limits`), IAM's defaults if not given.
 */
export function validateRoster(
  doc: JsonDocument,
  quotas: Quotas = DEFAULT_QUOTAS,
  endDates: EndDateOptions = {},
  delivery?: RosterDeliveryOptions,
): Roster {
  const checks = (raw: unknown) => [
    ...crossChecks(raw, quotas, doc),
    ...pastEndDates(raw, endDates),
    ...rosterChannelProblems(raw, delivery),
  ];
  return validateDocument(doc, rosterSchema, checks, {
    subjectOf: subjectOf(doc.value),
    title: ROSTER_PROBLEM_TITLE,
    suggest: tagSuggestion,
  });
}

/**
 * Reads and validates a roster file. A past end date is compared with the
 * file as committed in git (HEAD; in a pull request the base branch), read
 * only when there is one.
 */
export function loadRoster(
  file: string,
  quotas: Quotas = DEFAULT_QUOTAS,
  endDates: EndDateOptions = { committed: () => committedRoster(file)?.value },
  delivery?: RosterDeliveryOptions,
): Roster {
  return validateRoster(readJsonDocument(file, ROSTER_PROBLEM_TITLE), quotas, endDates, delivery);
}

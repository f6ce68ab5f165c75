/**
 * Terraform expressions thrown into every roster and settings field that can
 * still hold one after validation, for the escape's tests: the fast
 * guardrail test and the real-Terraform plan (stacks/input-literals).
 *
 * Only these fields accept `${` or `%{` at all: the other fields' rules
 * (IAM names, tag characters, DNS names, schedules, SSM names) refuse `$`,
 * `%` or `{`, and `__tests__/stacks/input-literals.test.ts` checks that.
 */
import fc from 'fast-check';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateRoster } from '../../inputs/roster';
import { validateSettings } from '../../inputs/settings';

/** Expressions and near-expressions: evaluated if unescaped, or already escaped, or odd. */
export const EXPRESSION_PARTS = [
  '${file("/etc/hostname")}',
  '${file("/proc/self/environ")}',
  '%{if true}x%{endif}',
  '%{ for c in ["a","b"] }${c}%{ endfor }',
  '${path.cwd}',
  '${path.root}',
  '${path.module}',
  '${upper("x")}',
  '${"${path.cwd}"}',
  '$${path.cwd}',
  '$$${path.cwd}',
  '%%{if true}',
  '${',
  '%{',
  '}',
  '$',
  '%',
  'x$',
  'a',
  '-',
];

/** One generated expression: a few parts joined, e.g. `${path.cwd}$`. */
export const expression = (): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...EXPRESSION_PARTS), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join(''))
    .filter((e) => /[$%]\{/.test(e));

/** Where a value goes, and the value built from an expression. */
export interface Field {
  readonly name: string;
  /** The field's value carrying `e`, or undefined when the field's rules cannot carry it. */
  readonly wrap: (e: string) => string | undefined;
}

/** An email's local part holds RFC 5322 atext only: no quotes, parentheses, spaces, brackets. */
const atext = (e: string) => (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(e) ? e : undefined);
/** Inside a quoted display name: printable ASCII but `"` and `\`. */
const quotable = (e: string) => (/^[ !#-[\]-~]+$/.test(e) ? e : undefined);
/** A policy path segment: IAM's printable ASCII, without `*`. */
const pathSafe = (e: string) => (/^[\x21-\x29\x2b-\x7e]+$/.test(e) ? e : undefined);
const local = (e: string) => {
  const l = atext(e);
  return l && !/^\.|\.$|\.\./.test(l) && l.length <= 40 ? l : undefined;
};

export const SETTINGS_FIELDS: readonly Field[] = [
  { name: 'organisationName', wrap: (e) => `Org ${e}` },
  { name: 'helpContact', wrap: (e) => `${e} (it-help)` },
  {
    name: 'sender.address',
    wrap: (e) => (quotable(e) ? `"IT ${e}" <onboarding@example.com>` : undefined),
  },
  { name: 'alerts.emails', wrap: (e) => (local(e) ? `${local(e)}@example.com` : undefined) },
  {
    name: 'notifications.adminEmails',
    wrap: (e) => (local(e) ? `${local(e)}.admin@example.com` : undefined),
  },
];

export const ROSTER_FIELDS: readonly Field[] = [
  {
    name: 'groups[].policies[]',
    wrap: (e) => (pathSafe(e) ? `arn:aws:iam::aws:policy/${e}/ReadOnlyAccess` : undefined),
  },
];

/** One value put into one field. */
export interface Injection {
  readonly field: string;
  readonly value: string;
}

export interface InjectedInputs {
  /** Raw roster document (as the file would hold it). */
  readonly roster: Record<string, unknown>;
  /** Raw settings document. */
  readonly settings: Record<string, unknown>;
  readonly injections: readonly Injection[];
}

const BASE_SETTINGS = {
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['it-ops@example.com'] },
  notifications: { adminEmails: ['it-admins@example.com'] },
  helpContact: 'it-help@example.com',
};

/**
 * Raw roster and settings with `expressions` spread over every field that
 * can carry them (each field takes the next expression it can carry); every
 * expression also becomes one group's policy path where it fits.
 */
export function injectedInputs(expressions: readonly string[]): InjectedInputs {
  const injections: Injection[] = [];
  const settings = structuredClone(BASE_SETTINGS) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  SETTINGS_FIELDS.forEach((f, i) => {
    const value = expressions
      .map((_, j) => f.wrap(expressions[(i + j) % expressions.length]))
      .find((v) => v !== undefined);
    if (value === undefined) return;
    injections.push({ field: f.name, value });
    if (f.name === 'organisationName') settings.organisationName = value;
    else if (f.name === 'helpContact') settings.helpContact = value;
    else if (f.name === 'sender.address') settings.sender.address = value;
    else if (f.name === 'alerts.emails') settings.alerts.emails = [value];
    else settings.notifications.adminEmails = [value];
  });
  const groups = expressions.flatMap((e, i) => {
    const arn = ROSTER_FIELDS[0].wrap(e);
    if (arn === undefined) return [];
    injections.push({ field: `groups[${i}].policies[0]`, value: arn });
    return [{ groupName: `g${i}`, policies: [arn] }];
  });
  const roster = {
    groups,
    users: [
      // Not a member: a person may be in 9 groups, and a group is planned without members.
      { userName: 'alice', email: 'alice@example.com' },
    ],
  };
  return { roster, settings, injections };
}

/** The documents, validated as `npm run check` would (throws InputFileError if refused). */
export function validated(inputs: InjectedInputs) {
  return {
    roster: validateRoster(
      parseJsonDocument('users.json', JSON.stringify(inputs.roster), 'Roster problem'),
    ),
    settings: validateSettings(
      parseJsonDocument('settings.json', JSON.stringify(inputs.settings), 'Settings problem'),
    ),
  };
}

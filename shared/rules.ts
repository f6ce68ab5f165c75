/**
 * Rules that both halves apply: the build when it validates the roster and
 * the settings, the welcome function when it reads a user's tags and its
 * environment. Each half used to carry its own copy, and the copies drifted:
 * the roster accepted `a..b@example.com`, which the function then refused
 * (the user was created and never got an email); the settings accepted the
 * alias `my--corp`, which the function refused (every welcome failed).
 * Now there is one definition of each, imported by both.
 *
 * Each rule is a pure function that answers OK or a reason. A reason is a
 * clause for a person ("the part before the @ has two dots in a row"); it
 * never repeats the value, so the function can log it (an address is
 * personal data) and the validators quote the value themselves, with a
 * suggestion, through inputs/errors.ts.
 *
 * Where an editor's JSON Schema should know the rule too, the rule is also a
 * pattern: the pattern decides, and the function only explains a refusal,
 * so the two cannot disagree on what is accepted (the tests check that every
 * refusal gets a specific reason).
 *
 * The environment variables' names are not here: they are names both halves
 * share, not checks, and they stay in the contract (WELCOME_ENV), next to the
 * tag keys and the managed path, where both halves already import them.
 */
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE, MANAGED_USER_PATH } from './contract';

/** OK, or why not, phrased for a person and without the value itself. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });

/** The reason of a refusal, or undefined when the value is accepted. */
export function reasonOf(verdict: Verdict | MailboxVerdict): string | undefined {
  return verdict.ok ? undefined : verdict.reason;
}

// --- email address -----------------------------------------------------------

/*
 * The address rule, chosen deliberately rather than "whatever parses":
 *
 * - the local part is an RFC 5321 dot-atom in ASCII: letters, digits and
 *   ! # $ % & ' * + - / = ? ^ _ ` { | } ~, in runs separated by single dots
 *   (no dot first, last or twice in a row), at most 64 characters. Quoted
 *   local parts ("john doe"@…) and non-ASCII (SMTPUTF8) are refused: SES's
 *   SendEmail takes only ASCII local parts, and a quoted one could not be
 *   stored in an IAM tag anyway;
 * - the domain has at least two labels; each is 1 to 63 letters, digits and
 *   hyphens, neither starting nor ending with a hyphen (an internationalised
 *   domain is written in its xn-- form). The last label is 2 to 63 letters
 *   only: no real top-level domain has a digit but the rare xn-- ones, and a
 *   letters-only rule catches typos such as `example.c0m`;
 * - at most 254 characters in all (RFC 5321's 256-octet path less the angle
 *   brackets). Upper case is kept: domains ignore it, and mailbox owners may
 *   not.
 *
 * The roster adds one restriction of its own: the address is stored in an
 * IAM tag, which cannot hold ! # $ % & ' * ? ^ ` { | } ~ (inputs/roster.ts).
 */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = `[${ATEXT}]+(?:\\.[${ATEXT}]+)*`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const TOP_LABEL = '[A-Za-z]{2,63}';

export const EMAIL_LOCAL_MAX = 64;
export const EMAIL_MAX = 254;

/** An email address under the rule above; the JSON Schemas carry it as their pattern. */
export const EMAIL_ADDRESS = new RegExp(
  `^(?=[^@]{1,${EMAIL_LOCAL_MAX}}@)(?=.{1,${EMAIL_MAX}}$)${DOT_ATOM}@(?:${LABEL}\\.)+${TOP_LABEL}$`,
);

/** What the pattern's refusal is about; undefined when nothing is found wrong. */
function emailProblem(value: string): string | undefined {
  if (value === '') return 'it is empty';
  const parts = value.split('@');
  if (parts.length === 1) return 'it has no @';
  if (parts.length > 2) return 'it has more than one @ (give one address only)';
  if (/[<>]/.test(value)) return 'it has < or > (give the address alone, without a name)';
  if (/[\s\p{Z}]/u.test(value)) return 'it contains a space, a tab or a line break';
  if (/[\p{Cc}\p{Cf}]/u.test(value)) return 'it contains an invisible character';
  if (/[^\x21-\x7e]/.test(value)) {
    return 'it contains a character that is not plain ASCII (SES needs an ASCII address)';
  }
  const [local, domain] = parts;
  if (local === '') return 'there is nothing before the @';
  if (domain === '') return 'there is nothing after the @';
  if (local.length > EMAIL_LOCAL_MAX) {
    return `the part before the @ is longer than ${EMAIL_LOCAL_MAX} characters`;
  }
  if (value.length > EMAIL_MAX) return `it is longer than ${EMAIL_MAX} characters`;
  if (!new RegExp(`^[.${ATEXT}]+$`).test(local)) {
    return "the part before the @ may contain only letters, digits, dots and ! # $ % & ' * + - / = ? ^ _ ` { | } ~";
  }
  if (local.startsWith('.') || local.endsWith('.')) {
    return 'the part before the @ starts or ends with a dot';
  }
  if (local.includes('..')) return 'the part before the @ has two dots in a row';
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) {
    return 'the domain after the @ may contain only letters, digits, hyphens and dots';
  }
  const labels = domain.split('.');
  if (labels.length === 1) return 'the domain after the @ has no dot (e.g. "example.com")';
  if (labels.some((l) => l === '')) {
    return 'the domain after the @ starts or ends with a dot, or has two dots in a row';
  }
  if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) {
    return 'a part of the domain starts or ends with a hyphen';
  }
  if (labels.some((l) => l.length > 63)) return 'a part of the domain is longer than 63 characters';
  if (!new RegExp(`^${TOP_LABEL}$`).test(labels[labels.length - 1])) {
    return 'the domain does not end in a top-level domain of 2 to 63 letters (such as ".com")';
  }
  return undefined;
}

/** Whether `value`, exactly as given (no trimming), is one email address under the rule above. */
export function checkEmailAddress(value: string): Verdict {
  if (EMAIL_ADDRESS.test(value)) return OK;
  return refuse(emailProblem(value) ?? 'it is not an address such as "name@example.com"');
}

// --- mailbox: the sender ---------------------------------------------------------

export type MailboxVerdict =
  | { readonly ok: true; readonly address: string; readonly displayName?: string }
  | { readonly ok: false; readonly reason: string };

/** RFC 5322 atext and spaces: a display name that needs no quotes. */
const PLAIN_NAME = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;
/** Printable ASCII but `"` and `\`: what a quoted display name may hold (no escapes). */
const QUOTED_NAME_TEXT = /^[ !#-[\]-~]+$/;

/**
 * The From value, `local@domain` or `Display Name <local@domain>`, into its
 * parts. The whole value is printable ASCII, as the settings have always
 * documented: no line break can start a second header, and no name needs
 * MIME encoding. Spaces around it are ignored. A display name with anything but letters, digits, spaces and
 * RFC 5322's atext symbols goes in double quotes, which may not themselves
 * hold `"` or `\`. The address follows checkEmailAddress. The name comes
 * back without its quotes: the function quotes it again when it writes the
 * header.
 */
export function checkMailbox(value: string): MailboxVerdict {
  if (/[\r\n]/.test(value)) return { ok: false, reason: 'it contains a line break' };
  if (/[^\x20-\x7e]/.test(value)) {
    return {
      ok: false,
      reason:
        'it contains a character that is not plain printable ASCII (a tab, an accent, an invisible character)',
    };
  }
  const trimmed = value.replace(/^ +| +$/g, '');
  const m = /^(?:(.*?) *<([^<>]*)>|([^<>]*))$/.exec(trimmed);
  if (!m) {
    return {
      ok: false,
      reason: 'it has a < or > that does not enclose one address at its end',
    };
  }
  const address = m[2] ?? m[3];
  const checked = checkEmailAddress(address);
  if (!checked.ok) {
    return m[2] === undefined
      ? checked
      : { ok: false, reason: `the address between < and >: ${checked.reason}` };
  }
  const name = m[1] ?? '';
  if (name === '') return { ok: true, address };
  if (name.startsWith('"')) {
    const inner = name.length >= 2 && name.endsWith('"') ? name.slice(1, -1) : undefined;
    if (inner === undefined) {
      return { ok: false, reason: 'the display name opens a double quote it does not close' };
    }
    if (!QUOTED_NAME_TEXT.test(inner)) {
      return {
        ok: false,
        reason: 'a display name in double quotes may not be empty nor contain " or \\',
      };
    }
    return { ok: true, address, displayName: inner };
  }
  if (!PLAIN_NAME.test(name)) {
    return {
      ok: false,
      reason:
        "the display name has a character that needs double quotes (anything but letters, digits, spaces and ! # $ % & ' * + - / = ? ^ _ ` { | } ~), as in '\"Example, Inc.\" <it@example.com>'",
    };
  }
  return { ok: true, address, displayName: name };
}

// --- the account -------------------------------------------------------------

/** IAM's own pattern for CreateAccountAlias: 3 to 63 lower-case letters, digits and single hyphens. */
export const ACCOUNT_ALIAS = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/**
 * Whether `value` is an account alias IAM would create. The function builds
 * the sign-in host name from it, so an alias the settings accept and the
 * function refuses fails every welcome.
 */
export function checkAccountAlias(value: string): Verdict {
  if (ACCOUNT_ALIAS.test(value)) return OK;
  if (value.length < 3) return refuse('it is shorter than 3 characters');
  if (value.length > 63) return refuse('it is longer than 63 characters');
  if (/[A-Z]/.test(value)) return refuse('it has upper-case letters (aliases are lower case)');
  if (/[^a-z0-9-]/.test(value)) {
    return refuse('it may contain only lower-case letters, digits and hyphens');
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    return refuse('it starts or ends with a hyphen');
  }
  if (value.includes('--')) return refuse('it has two hyphens in a row');
  return refuse('it is not an IAM account alias');
}

/** A 12-digit AWS account id (a string: leading zeros count). */
export const ACCOUNT_ID = /^\d{12}$/;

export function checkAccountId(value: string): Verdict {
  if (ACCOUNT_ID.test(value)) return OK;
  if (/[^0-9]/.test(value)) return refuse('it has characters other than the digits 0-9');
  return refuse(`it has ${value.length} digits, not 12`);
}

// --- which users the project manages ----------------------------------------

/*
 * The stack creates every person under MANAGED_USER_PATH with the managed-by
 * tag (stacks/roster-users.ts); the function acts only on users that have
 * both, whatever an event claims (handlers/welcome/core/policy.ts and
 * reconcile.ts). The function's IAM permissions are scoped to the same path
 * and tag.
 */

/** Whether an IAM user's path is the one this project creates its users under. */
export function checkManagedPath(path: string): Verdict {
  return path === MANAGED_USER_PATH ? OK : refuse(`the path is not ${MANAGED_USER_PATH}`);
}

/** Whether the managed-by tag's value (undefined: no such tag) marks a user of this project. */
export function checkManagedByTag(value: string | undefined): Verdict {
  if (value === MANAGED_BY_TAG_VALUE) return OK;
  return refuse(
    value === undefined
      ? `there is no ${MANAGED_BY_TAG_KEY} tag`
      : `tag ${MANAGED_BY_TAG_KEY} is not ${MANAGED_BY_TAG_VALUE}`,
  );
}

// --- EventBridge schedule expressions -----------------------------------------

/*
 * The grammar of an EventBridge scheduled rule (Amazon EventBridge User
 * Guide, "Setting a schedule pattern for scheduled rules"), the one rule the
 * settings (reconcile and expiry schedules) and the schedule construct apply:
 *
 * - `rate(N unit)`: N a positive integer without leading zeros; the unit
 *   `minute`, `hour` or `day` for 1, `minutes`, `hours` or `days` otherwise;
 * - `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: six fields
 *   separated by one space, each built from its own values and wildcards
 *   (minutes 0-59, hours 0-23, day of month 1-31 with `? L W`, month 1-12 or
 *   JAN-DEC, day of week 1-7 or SUN-SAT with `? L #`, year 1970-2199; `,` `-`
 *   `*` `/` where allowed); exactly one of day-of-month and day-of-week is
 *   `?` ("If you specify a value or a * in one of the fields, you must use a
 *   ? in the other"; both `?` is refused, as Quartz, whose syntax this is,
 *   refuses it: "'?' can only be specified for Day-of-Month -OR- Day-of-Week").
 */
const CRON_NUM = (max: string) => `(?:${max})`;
const cronField = (value: string, extra = '') => {
  const item = `(?:\\*|${value}(?:-${value})?)(?:/\\d{1,4})?${extra}`;
  return `${item}(?:,${item})*`;
};
const MINUTES = cronField(CRON_NUM('[0-5]?\\d'));
const HOURS = cronField(CRON_NUM('[01]?\\d|2[0-3]'));
/** Day-of-month without `?`: what the field holds when day-of-week is `?`. */
const DAY_OF_MONTH_SET = `(?:L|(?:[1-9]|[12]\\d|3[01])W|${cronField(CRON_NUM('[1-9]|[12]\\d|3[01]'))})`;
const DAY_OF_MONTH = `(?:\\?|${DAY_OF_MONTH_SET})`;
const MONTH = cronField(CRON_NUM('[1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC'));
const WEEKDAY = '(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)';
/** Day-of-week without `?`: what the field holds when day-of-month is `?`. */
const DAY_OF_WEEK_SET = `(?:L|${WEEKDAY}L|${WEEKDAY}#[1-5]|${cronField(WEEKDAY)})`;
const DAY_OF_WEEK = `(?:\\?|${DAY_OF_WEEK_SET})`;
const YEAR = cronField(CRON_NUM('19[7-9]\\d|2[01]\\d\\d'));

/** An EventBridge schedule expression, as above; the JSON Schemas carry it as their pattern. */
export const SCHEDULE_EXPRESSION = new RegExp(
  '^(?:rate\\((?:1 (?:minute|hour|day)|(?:[2-9]|[1-9]\\d{1,8}) (?:minutes|hours|days))\\)' +
    `|cron\\((?:${MINUTES}) (?:${HOURS}) (?:(?:${DAY_OF_MONTH_SET}) (?:${MONTH}) \\?|\\? (?:${MONTH}) (?:${DAY_OF_WEEK_SET})) (?:${YEAR})\\))$`,
);

/** The rate expression meant by one whose unit disagrees with its number (`rate(2 hour)`). */
export function scheduleSuggestion(value: string): string | undefined {
  const m = /^rate\(\s*([1-9]\d*)\s+(minute|hour|day)s?\s*\)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase() + (m[1] === '1' ? '' : 's');
  const fixed = `rate(${m[1]} ${unit})`;
  return fixed !== value && SCHEDULE_EXPRESSION.test(fixed) ? fixed : undefined;
}

const CRON_FIELDS = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'];
/** What each cron field takes, for a person. */
const CRON_FIELD_VALUES = [
  '0-59 and , - * /',
  '0-23 and , - * /',
  '1-31 and , - * ? / L W',
  '1-12 or JAN-DEC and , - * /',
  '1-7 or SUN-SAT and , - * ? L #',
  '1970-2199 and , - * /',
];

/** Whether `value` is an EventBridge schedule expression; the reason names the part that is not. */
export function checkScheduleExpression(value: string): Verdict {
  if (SCHEDULE_EXPRESSION.test(value)) return OK;
  const rate = /^rate\((.*)\)$/.exec(value);
  if (rate) {
    const m = /^(\S+) (\S+)$/.exec(rate[1]);
    if (!m) return refuse('a rate is "rate(N unit)": a number, one space, a unit');
    if (!/^[1-9]\d{0,8}$/.test(m[1])) return refuse('the rate is not a whole number from 1');
    if (!/^(minute|hour|day)s?$/.test(m[2])) {
      return refuse('the unit of a rate is minute(s), hour(s) or day(s), in lower case');
    }
    return refuse(
      'EventBridge wants a singular unit for 1 and a plural one otherwise ("rate(1 day)", "rate(2 days)")',
    );
  }
  const cron = /^cron\((.*)\)$/.exec(value);
  if (!cron) return refuse('it is neither "rate(...)" nor "cron(...)"');
  const fields = cron[1].split(' ');
  if (fields.length !== 6) {
    return refuse(
      `a cron expression has 6 fields separated by single spaces (${CRON_FIELDS.join(', ')}); this one has ${fields.length}`,
    );
  }
  const patterns = [MINUTES, HOURS, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR];
  const bad = fields.findIndex((f, i) => !new RegExp(`^(?:${patterns[i]})$`).test(f));
  if (bad >= 0) {
    return refuse(
      `the cron ${CRON_FIELDS[bad]} field (field ${bad + 1}) takes ${CRON_FIELD_VALUES[bad]}`,
    );
  }
  if (fields[2] === '?' && fields[4] === '?') {
    return refuse(
      'day-of-month and day-of-week are both "?": give one of them a value or "*" (EventBridge needs exactly one "?")',
    );
  }
  return refuse(
    'one of day-of-month and day-of-week must be "?" (EventBridge takes only one of them)',
  );
}

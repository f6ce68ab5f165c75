/**
 * The report's pipeline (and anything else that is neither a person nor a
 * group), by part of the stack, with cautions for what breaks the welcome
 * flow or the audit trail and warnings for access-policy changes.
 */
import { changedFields, replacePaths, type Action, type ManagedChange } from '../plan-changes';
import { PERSON_PARTS } from '../plan-people';
import { partOf, type SynthesizedConfig } from '../plan-summary';
import type { Finding } from './findings';
import { GROUP_TYPES } from './groups';
import { code, forcedBy } from './markdown';

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

export interface PipelineSection {
  readonly findings: readonly Finding[];
  /** Part, resource, action, details; sorted by part, then address. */
  readonly rows: readonly (readonly string[])[];
  /** Each row's action, for the counts line. */
  readonly actions: readonly Action[];
}

export function pipelineSection(
  changes: readonly ManagedChange[],
  config: SynthesizedConfig | undefined,
): PipelineSection {
  const findings: Finding[] = [];
  const rows: string[][] = [];
  const actions: Action[] = [];
  for (const { rc, action } of changes) {
    if (PERSON_PARTS[rc.type] || GROUP_TYPES.has(rc.type)) continue;
    actions.push(action);
    const part = partOf(rc, config);
    const reason = forcedBy(replacePaths(rc));
    const detail =
      action === 'change'
        ? changedFields(rc).map(code).join(', ')
        : action === 'replace'
          ? reason.replace(/^ \((.*)\)$/, '$1')
          : '';
    rows.push([code(part), code(rc.address), ACTION_WORD[action], detail]);
    const critical = CRITICAL[rc.type];
    if (critical && (action === 'replace' || action === 'remove')) {
      findings.push({
        level: 'caution',
        text: `**${action === 'replace' ? 'Replaces' : 'Deletes'} ${critical}** (${code(rc.address)}${reason}).`,
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
  rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  return { findings, rows, actions };
}

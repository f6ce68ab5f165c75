/**
 * The plan as a Markdown report for a pull-request comment: people added,
 * renamed, changed and removed; group and policy changes; the welcome
 * pipeline's changes grouped by part; who gets a welcome email (or one
 * again); and loud warnings for anything destructive or security-relevant.
 * Pure: `npm run plan` and `npm run preview` write it (scripts/plan.ts,
 * scripts/preview.ts), the PR workflow posts it.
 *
 * One file per section; this one reads the plan once and puts them together.
 */
import { DEFAULT_REMOVAL_SHARE } from '../../inputs/removals';
import { netUsersOf, quotaVerdict } from '../account-quota';
import { managedChanges, type Action } from '../plan-changes';
import { readPlanPeople } from '../plan-people';
import type { TerraformPlan } from '../terraform-plan';
import { renderFindings } from './findings';
import { groupsSection } from './groups';
import { code, md, plural, table } from './markdown';
import type { PlanReportOptions } from './options';
import { peopleSection } from './people';
import { pipelineSection } from './pipeline';
import { welcomeSection } from './welcome';

export type { SynthesizedConfig } from '../plan-summary';
export type { PlanReportOptions, PreviewFile } from './options';
export { md } from './markdown';

/** GitHub rejects comments over 65536 characters; stay well below. */
export const MAX_REPORT_LENGTH = 60_000;

/** The one line a plan without changes gets. */
export const NO_CHANGES_LINE =
  '**No changes.** The account already matches the roster and the settings.';

const COUNTED: readonly [Action, string][] = [
  ['add', 'to add'],
  ['change', 'to change'],
  ['replace', 'to replace'],
  ['remove', 'to remove'],
  ['forget', 'to forget (kept in the account)'],
];

/** `2 groups to add, 1 to change`, or `no groups` when nothing changes. */
function countsByAction(actions: readonly Action[], one: string, many: string): string {
  const parts = COUNTED.map(([a, words]) => [actions.filter((x) => x === a).length, words] as const)
    .filter(([n]) => n > 0)
    .map(([n, words], i) => (i === 0 ? `${plural(n, one, many)} ${words}` : `${n} ${words}`));
  return parts.length === 0 ? `no ${many}` : parts.join(', ');
}

/** IAM users in the state the plan starts from (unchanged ones included): the people managed now. */
function usersBefore(plan: TerraformPlan): number {
  return (plan.resource_changes ?? []).filter(
    (rc) => rc.mode === 'managed' && rc.type === 'aws_iam_user' && rc.change.before,
  ).length;
}

export function renderPlanReport(plan: TerraformPlan, options: PlanReportOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  const changes = managedChanges(plan);
  if (changes.length === 0) return NO_CHANGES_LINE;

  const people = readPlanPeople(plan);
  const persons = peopleSection(people, maxRows, {
    before: usersBefore(plan),
    share: options.removalWarningShare ?? DEFAULT_REMOVAL_SHARE,
  });
  const groups = groupsSection(changes);
  const pipeline = pipelineSection(changes, options.config);
  const welcome = welcomeSection(people, options.previews, maxRows);
  const quota = options.accountQuota && quotaVerdict(options.accountQuota, netUsersOf(plan));

  const out: string[] = [`### Plan for ${code(options.stackName ?? 'iam-onboarding')}`, ''];
  if (options.mode) out.push(`_${md(options.mode)}_`, '');
  if (quota && 'note' in quota) out.push(`_${md(quota.note)}_`, '');
  out.push(
    ...renderFindings([
      ...persons.findings,
      ...groups.findings,
      ...pipeline.findings,
      ...welcome.findings,
      ...(quota && 'level' in quota ? [quota] : []),
    ]),
  );
  out.push(
    `${persons.counts} ` +
      `**Groups:** ${countsByAction(groups.actions, 'group', 'groups')}. ` +
      `**Pipeline:** ${countsByAction(pipeline.actions, 'resource', 'resources')}.`,
    '',
  );
  out.push(...persons.lines);
  if (groups.items.length > 0) {
    out.push('#### Groups and policies', '', ...groups.items.slice(0, maxRows), '');
    if (groups.items.length > maxRows) out.push(`… and ${groups.items.length - maxRows} more.`, '');
  }
  if (pipeline.rows.length > 0) {
    out.push(
      '#### Pipeline, by part',
      '',
      ...table(['Part', 'Resource', 'Action', 'Details'], pipeline.rows, maxRows),
      '',
    );
  }
  out.push(...welcome.lines);

  let report = out.join('\n').trimEnd() + '\n';
  if (report.length > MAX_REPORT_LENGTH) {
    const cut = report.lastIndexOf('\n', MAX_REPORT_LENGTH - 200);
    report = `${report.slice(0, cut)}\n\n_The report is cut here to fit a comment; the full plan is in plan.json._\n`;
  }
  return report;
}

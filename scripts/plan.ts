/**
 * `npm run plan`: synthesize, then a real `terraform init/validate/plan`
 * (offline unless AWS credentials are configured), `plan.json` beside the
 * configuration, a short summary for humans, and `plan-report.md` beside the
 * plan: the Markdown report the pull-request workflow posts.
 *
 * Flags: `--offline` plans offline even with credentials; `--verbose` streams
 * Terraform's own output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  PREVIEW_DIR_NAME,
  planRecipients,
  previewFiles,
  PreviewNameError,
} from '../review/email-preview';
import { isInputError } from '../inputs/errors';
import { planStack, TerraformError } from '../review/terraform-plan';
import { renderPlanReport } from '../review/plan-report';
import { removalWarningShare } from '../inputs/removals';
import { reportInputError } from '../inputs/report';
import { formatSummary, summarizePlan, type SynthesizedConfig } from '../review/plan-summary';
import { synthesize } from '../stacks/synth';
import { dnsRecordsToAddByHand } from '../stacks/sender-identity';
import { noticeDestinations } from '../review/admin-notice-preview';
import { putWebhookCommand } from '../stacks/admin-notices';

function main(argv: readonly string[]): number {
  const offline = argv.includes('--offline') ? true : undefined;
  const verbose = argv.includes('--verbose');
  try {
    const { stackDir, settings } = synthesize();
    const result = planStack({ stackDir, ...(offline ? { offline } : {}), verbose });
    const config = JSON.parse(
      readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'),
    ) as SynthesizedConfig;
    const mode = result.offline
      ? 'offline: placeholder credentials, empty local state, so everything is new'
      : 'against the account your AWS credentials reach';
    console.log(`Plan for stack iam-onboarding (${mode})\n`);
    console.log(formatSummary(summarizePlan(result.plan, config)));

    const records = dnsRecordsToAddByHand(settings);
    if (records.length > 0) {
      // No hosted zone in the settings: SES cannot verify the sender until someone adds these.
      console.log(`\nDNS records to add by hand in the zone of ${settings.sender.domain}:`);
      for (const r of records)
        console.log(`  ${r.type.padEnd(5)}  ${r.name}  ${r.value}  (${r.purpose})`);
      console.log(
        '  Values in <...> are chosen by SES: after deploy, `terraform output ses_dns_records`.',
      );
    }
    console.log(`\nAdmin notices: ${noticeDestinations(settings)}`);
    if (settings.notifications.slackWebhookParameter) {
      // The stack never holds the URL: someone stores it once, by hand.
      console.log(
        `  Store the Slack webhook URL (once): read -rs URL && printf '%s' "$URL" | ${putWebhookCommand(settings.notifications.slackWebhookParameter)}`,
      );
    }
    console.log(`\nFull plan: ${relative(process.cwd(), result.planFile)}`);

    // Listed by the names `npm run preview` writes them under.
    const previews = join(dirname(dirname(stackDir)), PREVIEW_DIR_NAME);
    const files = previewFiles(planRecipients(result.plan), relative(process.cwd(), previews));
    const reportFile = join(dirname(result.planFile), 'plan-report.md');
    writeFileSync(
      reportFile,
      renderPlanReport(result.plan, {
        config,
        mode: result.offline
          ? 'Offline plan: placeholder credentials and an empty state, so everything is new.'
          : 'Planned against the account.',
        previews: { files },
        removalWarningShare: removalWarningShare(),
      }),
    );
    console.log(`Report: ${relative(process.cwd(), reportFile)}`);
    return 0;
  } catch (err) {
    if (isInputError(err)) {
      reportInputError(err);
      return 1;
    }
    if (err instanceof TerraformError) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof PreviewNameError) {
      console.error(`No report written: ${err.message}.`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));

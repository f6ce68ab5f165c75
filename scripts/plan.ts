/**
 * `npm run plan`: synthesize, then a real `terraform init/validate/plan`
 * (offline unless AWS credentials are configured), `plan.json` beside the
 * configuration, a short summary for humans, and `plan-report.md` beside the
 * plan: the Markdown report the pull-request workflow posts.
 *
 * Flags: `--offline` plans offline even with credentials; `--state FILE`
 * plans offline against a Terraform state file (one `terraform state pull`
 * printed, or the local deployment's) instead of an empty one, so the summary
 * shows only what the change does; `--verbose` streams Terraform's own output.
 *
 * "Against the account" means against the account's state: with credentials
 * but no TF_STATE_BUCKET there is none to read, so the plan is made offline
 * and says so, never labelled as the account's.
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
import { hasAwsCredentials, planStack, TerraformError } from '../review/terraform-plan';
import { renderPlanReport } from '../review/plan-report';
import { removalWarningShare } from '../inputs/removals';
import { reportInputError } from '../inputs/report';
import { formatSummary, summarizePlan, type SynthesizedConfig } from '../review/plan-summary';
import { synthesize } from '../stacks/synth';
import { remoteStateFromEnv, STATE_ENV } from '../stacks/backend';
import {
  checkStateOfStack,
  configuredAddresses,
  readStateFile,
  StateFileError,
  type StateFileSummary,
} from '../review/state-file';
import { clearStackOutput } from '../stacks/synth-output';
import { STACK_NAME } from '../stacks/iam-onboarding-stack';
import { dnsRecordsToAddByHand } from '../stacks/sender-identity';
import { noticeDestinations } from '../review/admin-notice-preview';
import { putWebhookCommand } from '../stacks/admin-notices';
import {
  netUsersOf,
  quotaVerdict,
  readAccountQuota,
  type AccountQuota,
} from '../review/account-quota';

const USAGE = 'usage: npm run plan [-- --offline] [-- --state FILE] [-- --verbose]';

class UsageError extends Error {}

interface Flags {
  readonly offline: boolean;
  readonly verbose: boolean;
  readonly state?: string;
}

function parseArgs(argv: readonly string[]): Flags {
  let offline = false;
  let verbose = false;
  let state: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--offline') offline = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg === '--state' || arg.startsWith('--state=')) {
      const value = arg === '--state' ? argv[++i] : arg.slice('--state='.length);
      if (value === undefined || value === '' || value.startsWith('--'))
        throw new UsageError(`--state needs a file, e.g. --state terraform.tfstate\n${USAGE}`);
      if (state !== undefined) throw new UsageError(`--state given twice\n${USAGE}`);
      state = value;
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { offline, verbose, ...(state !== undefined ? { state } : {}) };
}

/** What a plan is made against, in the words the summary and the report use. */
interface Basis {
  readonly offline: boolean;
  readonly console: string;
  readonly report: string;
}

const EMPTY_STATE_BASIS = (why: string): Basis => ({
  offline: true,
  console: `offline: ${why}; placeholder credentials, empty local state, so everything is new`,
  report: `Offline plan (${why}): placeholder credentials and an empty state, so everything is new.`,
});

function planBasis(flags: Flags, stateSummary?: { resources: number }): Basis {
  if (flags.state !== undefined) {
    const what =
      stateSummary?.resources === 0
        ? 'an empty state, so everything is new'
        : `${stateSummary?.resources ?? 0} resources as recorded, not refreshed from any account`;
    return {
      offline: true,
      console: `offline, against the state in ${flags.state}: ${what}`,
      report: `Offline plan against the state in ${flags.state} (${what}).`,
    };
  }
  if (flags.offline) return EMPTY_STATE_BASIS('--offline');
  if (!hasAwsCredentials()) return EMPTY_STATE_BASIS('no AWS credentials');
  const remote = remoteStateFromEnv();
  if (!remote)
    return EMPTY_STATE_BASIS(
      `AWS credentials found but ${STATE_ENV.bucket} is not set, so there is no account state to plan against`,
    );
  return {
    offline: false,
    console: `against the account your AWS credentials reach, state s3://${remote.bucket}/${remote.key}`,
    report: 'Planned against the account.',
  };
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const flags = parseArgs(argv);
    // Its form first, so that a wrong file stops before anything is written.
    const state = flags.state !== undefined ? readStateFile(flags.state) : undefined;
    const { stackDir, settings } = synthesize();
    const config = JSON.parse(
      readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'),
    ) as SynthesizedConfig;
    let stateSummary: StateFileSummary | undefined;
    try {
      stateSummary = state && checkStateOfStack(state, configuredAddresses(config));
    } catch (err) {
      // A state of another stack: leave nothing from this run behind.
      clearStackOutput(dirname(dirname(stackDir)), STACK_NAME);
      throw err;
    }
    const basis = planBasis(flags, stateSummary);
    const result = planStack({
      stackDir,
      offline: basis.offline,
      verbose: flags.verbose,
      ...(flags.state !== undefined ? { priorState: flags.state, refresh: false } : {}),
    });
    console.log(`Plan for stack iam-onboarding (${basis.console})\n`);
    console.log(formatSummary(summarizePlan(result.plan, config)));
    // Only against the account: an offline plan's "everything is new" would count people twice.
    const accountQuota: AccountQuota = basis.offline
      ? { checked: false, why: 'the plan is offline, with no account to read' }
      : await readAccountQuota();
    const quota = quotaVerdict(accountQuota, netUsersOf(result.plan));
    if (quota) console.log(`\n${'note' in quota ? quota.note : quota.text.replaceAll('**', '')}`);

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
    const tokenParameter = settings.delivery.slackBotTokenParameter;
    if (tokenParameter) {
      console.log(`\nWelcome delivery: ${settings.delivery.channel} by default (Slack DMs on)`);
      console.log(
        `  Store the Slack bot token (once): read -rs TOKEN && printf '%s' "$TOKEN" | ${putWebhookCommand(tokenParameter)}`,
      );
    }
    console.log(`\nFull plan: ${relative(process.cwd(), result.planFile)}`);

    // Listed by the names `npm run preview` writes them under.
    const previews = join(dirname(dirname(stackDir)), PREVIEW_DIR_NAME);
    const files = previewFiles(
      planRecipients(result.plan),
      relative(process.cwd(), previews),
      settings.delivery.channel,
    );
    const reportFile = join(dirname(result.planFile), 'plan-report.md');
    writeFileSync(
      reportFile,
      renderPlanReport(result.plan, {
        config,
        mode: basis.report,
        previews: { files },
        removalWarningShare: removalWarningShare(),
        accountQuota,
      }),
    );
    console.log(`Report: ${relative(process.cwd(), reportFile)}`);
    return 0;
  } catch (err) {
    if (isInputError(err)) {
      reportInputError(err);
      return 1;
    }
    if (err instanceof UsageError || err instanceof StateFileError) {
      console.error(err.message);
      return 2;
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

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

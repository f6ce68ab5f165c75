/**
 * `npm run plan`: synthesize, then a real `terraform init/validate/plan`
 * (offline unless AWS credentials are configured), `plan.json` beside the
 * configuration, and a short summary for humans.
 *
 * Flags: `--offline` plans offline even with credentials; `--verbose` streams
 * Terraform's own output.
 */
import { relative } from 'node:path';
import { isInputError } from '../lib/errors';
import { planStack, TerraformError } from '../lib/offline-plan';
import { formatSummary, summarizePlan } from '../lib/plan-summary';
import { synthesize } from '../lib/synth';

function main(argv: readonly string[]): number {
  const offline = argv.includes('--offline') ? true : undefined;
  const verbose = argv.includes('--verbose');
  try {
    const { stackDir } = synthesize();
    const result = planStack({ stackDir, ...(offline ? { offline } : {}), verbose });
    const mode = result.offline
      ? 'offline: placeholder credentials, empty local state, so everything is new'
      : 'against the account your AWS credentials reach';
    console.log(`Plan for stack iam-onboarding (${mode})\n`);
    console.log(formatSummary(summarizePlan(result.plan)));
    console.log(`\nFull plan: ${relative(process.cwd(), result.planFile)}`);
    return 0;
  } catch (err) {
    if (isInputError(err) || err instanceof TerraformError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));

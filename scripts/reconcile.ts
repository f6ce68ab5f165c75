/**
 * `npm run reconcile [-- --apply]`: what the hourly reconcile does, on demand:
 * list the managed users, say who was never welcomed, and with --apply queue
 * a welcome for each (the function then takes its exactly-once path). Uses
 * your AWS credentials; the account comes from config/settings.json.
 */
import './quiet-sdk';
import { IAMClient } from '@aws-sdk/client-iam';
import { SQSClient } from '@aws-sdk/client-sqs';
import { queueResend, queueWelcome, reconcileUsers } from '../handlers/welcome/aws/users';
import { parseFlags, pipelineQueues, runTool } from '../operations/cli';
import { PIPELINE_REGION } from '../stacks/region';

const USAGE = 'usage: npm run reconcile [-- --apply]';

void runTool(async () => {
  const flags = parseFlags(process.argv.slice(2), { apply: 'boolean' }, USAGE);
  const queues = pipelineQueues();
  const { report, states } = await reconcileUsers(new IAMClient({ region: PIPELINE_REGION }));
  for (const { user, state } of states) console.log(`${state.padEnd(13)} ${user.userName}`);
  const c = report.counts;
  console.log(
    `${states.length} user(s) under the managed path: ${c['needs-welcome']} never welcomed, ${c.welcomed} welcomed, ${c['signed-in']} signed in, ${c['not-managed']} not managed, ${c.gone} gone, ${c.recent} created in the last 15 minutes (left to their own event), ${c['needs-resend']} with a resend not yet served, ${c['resend-held']} with a resend held (a new address or a password in use: only the deploy role's TagUser serves it), ${c.suspended} suspended or past their last day (never welcomed; the function's own run turns their access off).`,
  );
  if (report.toWelcome.length === 0 && report.toResend.length === 0) return 0;
  if (flags.apply !== true) {
    console.log('Add --apply to queue a welcome for each user never welcomed and each resend due.');
    return 0;
  }
  const sqs = new SQSClient({ region: PIPELINE_REGION });
  for (const user of report.toWelcome) {
    await queueWelcome(sqs, queues.welcomeQueueUrl, user, 'operator');
    console.log(`queued a welcome for ${user.userName}`);
  }
  for (const user of report.toResend) {
    await queueResend(sqs, queues.welcomeQueueUrl, user, 'operator');
    console.log(`queued a resend for ${user.userName}`);
  }
  return 0;
});

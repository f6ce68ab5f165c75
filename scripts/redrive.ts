/**
 * `npm run redrive [-- --apply] [--max=N]`: list what waits in the dead-letter
 * queue (whose welcome failed and why); with --apply, replay each replayable
 * message through the welcome queue and remove it from the dead-letter queue.
 * Uses your AWS credentials; the queues come from config/settings.json.
 */
import './quiet-sdk';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseFlags, pipelineQueues, runTool } from '../operations/cli';
import { redrive } from '../operations/redrive';
import { PIPELINE_REGION } from '../stacks/region';

const USAGE = 'usage: npm run redrive [-- --apply] [--max=N]';

void runTool(async () => {
  const flags = parseFlags(process.argv.slice(2), { apply: 'boolean', max: 'number' }, USAGE);
  const queues = pipelineQueues();
  const apply = flags.apply === true;
  console.log(
    `Dead-letter queue ${queues.deadLetterQueueUrl}${apply ? '' : ' (report only: add --apply to replay)'}`,
  );
  const result = await redrive(new SQSClient({ region: PIPELINE_REGION }), {
    ...queues,
    apply,
    ...(typeof flags.max === 'number' ? { max: flags.max } : {}),
    print: (line) => console.log(line),
  });
  console.log(`${result.seen} message(s): ${result.replayed} replayed, ${result.kept} kept.`);
  return 0;
});

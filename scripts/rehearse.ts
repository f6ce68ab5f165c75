/**
 * `npm run rehearse`: the whole welcome flow, hop by hop, judged offline by
 * the IAM evaluator against the synthesized configuration (review/rehearsal/).
 *
 * Without arguments it synthesizes first (as `npm run synth` does) and reads
 * `cdktf.out/stacks/iam-onboarding/cdk.tf.json`; `--config PATH` reads that
 * file instead and synthesizes nothing.
 *
 * Exit codes: 0 every hop as it must be; 1 a hop DENIED (or OPEN); 2 a usage
 * error or a configuration that cannot be read.
 */
import { join } from 'node:path';
import { isInputError } from '../inputs/errors';
import { formatReport, loadConfig, rehearse, summarize } from '../review/rehearsal';
import { synthesize } from '../stacks/synth';

const USAGE = 'usage: npm run rehearse [-- --config PATH/cdk.tf.json]';

function parseArgs(argv: readonly string[]): { config?: string } | string {
  const out: { config?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return '--config needs a file';
      out.config = value;
    } else if (arg.startsWith('--config=')) {
      out.config = arg.slice('--config='.length);
    } else if (arg === '--help' || arg === '-h') {
      return '';
    } else {
      return `unknown argument ${JSON.stringify(arg)}`;
    }
  }
  return out;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(args ? `${args}\n${USAGE}` : USAGE);
    return args ? 2 : 0;
  }
  try {
    const file = args.config ?? join(synthesize().stackDir, 'cdk.tf.json');
    const config = loadConfig(file);
    const { accountId, verdicts } = await rehearse(config, file);
    console.log(
      `Rehearsal of ${file} (account ${accountId}), judged by @cloud-copilot/iam-simulate\n`,
    );
    console.log(formatReport(verdicts));
    return summarize(verdicts).failures > 0 ? 1 : 0;
  } catch (err) {
    if (isInputError(err)) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(3);
  },
);

/**
 * What the operator tools (`npm run reconcile`, `npm run redrive`) share: the
 * account and queue addresses from the settings, their flags, and errors
 * that say what to do instead of a stack trace.
 */
import { isInputError } from '../inputs/errors';
import { DEFAULT_SETTINGS_FILE, loadSettings, SETTINGS_FILE_ENV } from '../inputs/settings';
import { PIPELINE_NAMES } from '../stacks/welcome-pipeline';
import { PIPELINE_REGION } from '../stacks/region';

export interface PipelineQueues {
  readonly accountId: string;
  readonly welcomeQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** SQS queue URL from the account and the name (the stack names its queues). */
export function queueUrl(accountId: string, name: string, region = PIPELINE_REGION): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
}

/** The deployed pipeline's queues, from the settings file (SETTINGS_FILE or the default). */
export function pipelineQueues(env: NodeJS.ProcessEnv = process.env): PipelineQueues {
  const { accountId } = loadSettings(env[SETTINGS_FILE_ENV] ?? DEFAULT_SETTINGS_FILE);
  return {
    accountId,
    welcomeQueueUrl: queueUrl(accountId, PIPELINE_NAMES.requestQueue),
    deadLetterQueueUrl: queueUrl(accountId, PIPELINE_NAMES.deadLetterQueue),
  };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Flags of the form `--name` and `--name=value`; anything else is a usage error. */
export function parseFlags(
  argv: readonly string[],
  known: Readonly<Record<string, 'boolean' | 'number'>>,
  usage: string,
): Record<string, boolean | number> {
  const out: Record<string, boolean | number> = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const kind = m ? known[m[1]] : undefined;
    if (!m || !kind) throw new UsageError(`unknown argument ${JSON.stringify(arg)}\n${usage}`);
    if (kind === 'boolean') {
      if (m[2] !== undefined) throw new UsageError(`--${m[1]} takes no value\n${usage}`);
      out[m[1]] = true;
    } else {
      const n = Number(m[2]);
      if (m[2] === undefined || !Number.isInteger(n) || n < 1) {
        throw new UsageError(
          `--${m[1]} needs a whole number of at least 1, e.g. --${m[1]}=50\n${usage}`,
        );
      }
      out[m[1]] = n;
    }
  }
  return out;
}

/**
 * Runs an operator tool: exit 0 on success, 2 on a usage or settings error,
 * 1 on an AWS error (named, with the usual causes), never a stack trace.
 */
export async function runTool(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError || isInputError(error)) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    console.error(`AWS call failed: ${name}: ${message}`);
    if (/credential/i.test(name + message)) {
      console.error(
        'No AWS credentials were found: run this with credentials for the account in config/settings.json (e.g. AWS_PROFILE=...).',
      );
    } else if (/AccessDenied|not authorized/i.test(name + message)) {
      console.error('Your credentials lack a permission this tool needs; the README lists them.');
    }
    process.exitCode = 1;
  }
}

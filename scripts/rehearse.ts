/**
 * `npm run rehearse`: the whole welcome flow, hop by hop, judged offline by
 * the IAM evaluator against the synthesized configuration (review/rehearsal/).
 *
 * Without arguments it synthesizes first (as `npm run synth` does) and reads
 * `cdktf.out/stacks/iam-onboarding/cdk.tf.json`; `--config PATH` reads that
 * file instead and synthesizes nothing. `--scp FILE...` judges every call of
 * the account's principals (the function's role, the deploy role's calls
 * to create, read, update and delete the stack) under those exported
 * service control policies as well, and names each call they deny
 * (review/rehearsal/scp.ts).
 *
 * Exit codes: 0 every hop as it must be; 1 a hop DENIED (or OPEN); 2 a usage
 * error, a configuration that cannot be read, or an SCP file that is none.
 */
import { join } from 'node:path';
import { isInputError } from '../inputs/errors';
import {
  formatReport,
  formatSummary,
  formatVerdict,
  isFailure,
  loadConfig,
  rehearse,
  summarize,
  type Verdict,
} from '../review/rehearsal';
import type { NamedPolicy } from '../review/rehearsal/graph';
import { deniedByScp, loadScp, ScpFileError, scpSet } from '../review/rehearsal/scp';
import { DEPLOY_ROLE_NAME } from '../review/rehearsal/tagging-guard';
import { synthesize } from '../stacks/synth';

const USAGE = 'usage: npm run rehearse [-- --config PATH/cdk.tf.json] [-- --scp FILE...]';

interface Args {
  config?: string;
  scps?: string[];
}

function parseArgs(argv: readonly string[]): Args | string {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return '--config needs a file';
      out.config = value;
    } else if (arg.startsWith('--config=')) {
      out.config = arg.slice('--config='.length);
    } else if (arg === '--scp' || arg.startsWith('--scp=')) {
      const files = arg === '--scp' ? [] : [arg.slice('--scp='.length)];
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) files.push(argv[++i]);
      if (files.length === 0 || files.includes('')) return '--scp needs one or more policy files';
      out.scps = [...(out.scps ?? []), ...files];
    } else if (arg === '--help' || arg === '-h') {
      return '';
    } else {
      return `unknown argument ${JSON.stringify(arg)}`;
    }
  }
  return out;
}

const isDeployHop = (v: Verdict) => v.hop.name.startsWith(`role ${DEPLOY_ROLE_NAME} (terraform `);

/** The lines --scp adds: the deploy role's failures (its allowed calls are counted), then each denied call by name. */
function scpReport(verdicts: readonly Verdict[], scps: readonly NamedPolicy[]): string[] {
  const deploy = verdicts.filter(isDeployHop);
  const denied = verdicts.filter((v) => v.status === 'DENIED' && deniedByScp(v.reason, scps));
  const set = scpSet(scps).map((p) => p.label);
  const out = [
    '',
    `Under ${set.join(', ')}: ${deploy.length} distinct calls of the deploy role, ${deploy.filter((v) => v.status === 'allowed').length} allowed.`,
  ];
  if (denied.length === 0) {
    out.push('No call is denied by the SCPs.');
    return out;
  }
  out.push(`Denied by the SCPs (${calls(denied.length)}):`);
  const byAction = new Map<string, Verdict[]>();
  for (const v of denied) byAction.set(v.hop.action, [...(byAction.get(v.hop.action) ?? []), v]);
  for (const [action, vs] of byAction) {
    const who = [...new Set(vs.map((v) => v.hop.name.split(' -> ')[0]))];
    const named =
      who.slice(0, 3).join('; ') + (who.length > 3 ? `; and ${who.length - 3} more` : '');
    out.push(`  ${action}: ${calls(vs.length)}, by ${named}  [${vs[0].reason}]`);
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
    // The SCP files first: a wrong one stops before anything is synthesized.
    const scps = args.scps?.map(loadScp);
    const file = args.config ?? join(synthesize().stackDir, 'cdk.tf.json');
    const config = loadConfig(file);
    const { accountId, verdicts } = await rehearse(config, file, scps ? { scps } : {});
    console.log(
      `Rehearsal of ${file} (account ${accountId}), judged by @cloud-copilot/iam-simulate\n`,
    );
    if (scps) {
      // Hundreds of deploy-role calls: only the failures get a line.
      const shown = verdicts.filter((v) => !isDeployHop(v) || isFailure(v));
      console.log([...shown.map(formatVerdict)].join('\n'));
      console.log(scpReport(verdicts, scps).join('\n'));
      console.log(`\n${formatSummary(verdicts)}`);
    } else {
      console.log(formatReport(verdicts));
    }
    return summarize(verdicts).failures > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ScpFileError) {
      console.error(err.message);
      return 2;
    }
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

function calls(n: number): string {
  return `${n} ${n === 1 ? 'call' : 'calls'}`;
}

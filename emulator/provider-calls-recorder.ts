/**
 * Records the calls the real AWS provider makes over the stack's lifecycle
 * in moto (issue 21): the product's stack, synthesized from the repository's
 * roster and settings (plus the opt-in settings, so that the password policy
 * and reserved concurrency are recorded too), applied into a fresh moto
 * server with the harness's override (emulator/deploy.ts), each Terraform
 * step with `TF_LOG=debug` into a log of its own:
 *
 * 1. create: the first apply;
 * 2. read: the plan after it (every resource refreshed);
 * 3. update: a roster change applied with `-parallelism=1` (so that each
 *    request is attributed to the change Terraform just started): a person
 *    added, one renamed, one's tags changed, one suspended;
 * 4. delete: the documented teardown (docs/review-and-delivery.md, "Tearing
 *    down"): the six trail-storage addresses dropped from the state, then
 *    `terraform destroy`.
 *
 * The logs are read by emulator/provider-log.ts and removed with the scratch
 * directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderCallRecord, RecordedCall } from '../review/rehearsal/provider-calls';
import { runTerraform } from '../review/terraform-plan';
import { synthesize } from '../stacks/synth';
import { prepare, STATE_FILE } from './deploy';
import { MOTO_ENV } from './gaps';
import { startMoto, motoVersion } from './moto-server';
import { parseProviderLog, type LoggedCall } from './provider-log';
import { RECORD_COMMENT, recordedCalls } from './provider-record';

export type { ProviderCallRecord, RecordedCall };
export { RECORD_PATH, recordedCalls } from './provider-record';

export interface RecordOptions {
  readonly verbose?: boolean;
  /** Where each step's progress is told. @default nowhere */
  readonly progress?: (line: string) => void;
  /** Leave the scratch directory (the Terraform logs) in place, and say where. @default false */
  readonly keepLogs?: boolean;
}

interface RosterFile {
  groups: unknown[];
  users: {
    userName: string;
    groups: string[];
    renamedFrom?: string;
    tags?: Record<string, string>;
    suspended?: boolean;
  }[];
}

/** The roster change of step 3: an addition, a rename, a tag change and a group more, a suspension. */
export function changedRoster(roster: RosterFile): RosterFile {
  const [first, second, third, ...rest] = roster.users;
  if (!third) throw new Error('the roster needs three people for the recorded roster change');
  return {
    ...roster,
    users: [
      {
        ...first,
        tags: { ...first.tags, team: `${first.tags?.team ?? 'none'}-moved` },
        groups: [...new Set([...first.groups, ...third.groups])],
      },
      { ...second, suspended: true },
      { ...third, userName: `${third.userName}.renamed`, renamedFrom: third.userName },
      ...rest,
      { userName: 'recorded.addition', email: 'recorded.addition@example.com', groups: [] },
    ] as RosterFile['users'],
  };
}

/** The settings with the opt-ins on: the password policy, reserved concurrency. */
function optInSettings(file: string): Record<string, unknown> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  delete s.$schema;
  return {
    ...s,
    security: { ...(s.security ?? {}), managePasswordPolicy: true },
    delivery: { ...(s.delivery ?? {}), maximumConcurrency: 2, reservedConcurrency: 3 },
  };
}

/** The settings change applied with the roster change: the logs' retention, the help contact (the function's environment). */
export function changedSettings(s: Record<string, unknown>): Record<string, unknown> {
  return { ...s, logRetentionDays: 30, helpContact: `${String(s.helpContact)} (recorded change)` };
}

/** The addresses the documented teardown drops from the state: the trail's bucket and its settings. */
function trailStorage(workDir: string, env: NodeJS.ProcessEnv): string[] {
  const list = runTerraform('state list', ['state', 'list'], workDir, env, false);
  return list
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('aws_s3_bucket'));
}

/** Runs the lifecycle in a fresh moto server and returns the record. Throws (MotoMissingError, TerraformError) on failure. */
export async function recordProviderCalls(
  options: RecordOptions = {},
): Promise<ProviderCallRecord> {
  const verbose = options.verbose ?? false;
  const say = options.progress ?? (() => undefined);
  const moto = motoVersion();
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-provider-calls-'));
  const server = await startMoto({ env: MOTO_ENV });
  try {
    const workDir = join(dir, 'terraform');
    const roster = JSON.parse(readFileSync('users/users.json', 'utf8')) as RosterFile;
    const logs: string[] = [];
    const step = (name: string, args: string[], env: NodeJS.ProcessEnv) => {
      const log = join(dir, `${name}.log`);
      const start = Date.now();
      runTerraform(name, args, workDir, { ...env, TF_LOG: 'debug', TF_LOG_PATH: log }, verbose);
      say(`${name}: ${((Date.now() - start) / 1000).toFixed(0)} s`);
      logs.push(log);
    };
    const settings = optInSettings('config/settings.json');
    const deployRoster = (r: RosterFile, n: number, s: Record<string, unknown>) => {
      const rosterFile = join(dir, `roster-${n}.json`);
      const settingsFile = join(dir, `settings-${n}.json`);
      writeFileSync(rosterFile, JSON.stringify(r));
      writeFileSync(settingsFile, JSON.stringify(s));
      const { stackDir } = synthesize({ outdir: join(dir, 'out'), rosterFile, settingsFile });
      return prepare({ stackDir, workDir, endpoint: server.endpoint, verbose });
    };
    const flags = ['-input=false', '-no-color', '-lock=false', '-compact-warnings'];

    let env = deployRoster(roster, 0, settings);
    step('apply', ['apply', ...flags, '-auto-approve'], env);
    step('plan', ['plan', ...flags], env);
    env = deployRoster(changedRoster(roster), 1, changedSettings(settings));
    step('apply-change', ['apply', ...flags, '-auto-approve', '-parallelism=1'], env);
    const storage = trailStorage(workDir, env);
    runTerraform('state rm', ['state', 'rm', ...storage], workDir, env, verbose);
    step('destroy', ['destroy', ...flags, '-auto-approve'], env);
    if (!existsSync(join(workDir, STATE_FILE))) throw new Error('no state after the teardown');

    const logged: LoggedCall[] = [];
    let providerVersion: string | undefined;
    for (const log of logs) {
      const parsed = parseProviderLog(readFileSync(log, 'utf8'));
      logged.push(...parsed.calls);
      providerVersion ??= parsed.providerVersion;
    }
    if (!providerVersion) throw new Error('the logs name no terraform-provider-aws version');
    const terraform = (
      JSON.parse(runTerraform('version', ['version', '-json'], workDir, env, false)) as {
        terraform_version: string;
      }
    ).terraform_version;
    return {
      comment: RECORD_COMMENT,
      provider: `hashicorp/aws ${providerVersion}`,
      terraform,
      moto,
      calls: recordedCalls(logged),
    };
  } finally {
    await server.stop();
    if (options.keepLogs) say(`logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `terraform init`, `validate` and `plan` on a synthesized stack, for real,
 * with the machine's Terraform. Without AWS credentials it plans offline:
 * placeholder credentials, the provider's skip-checks and a local state. That
 * setting lives only in an override file inside a scratch copy of the stack,
 * so it can never reach the configuration `cdktf deploy` uses.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { findProviderMirror, writeMirrorCliConfig } from '../stacks/provider-mirror';

export interface PlanOptions {
  /** The synthesized stack directory (holding cdk.tf.json). */
  readonly stackDir: string;
  /** Scratch directory for Terraform's working files. @default `<stackDir>/../../offline-plan/<stack>` */
  readonly workDir?: string;
  /** Plan offline even when credentials are present. @default only when none are found */
  readonly offline?: boolean;
  /** Stream Terraform's own output. @default false */
  readonly verbose?: boolean;
  /**
   * A Terraform state file (format v4) to plan against instead of an empty
   * state: copied into the scratch directory as the local state. Offline
   * plans only (a real plan reads the configured backend). Used to plan a
   * roster change from a known starting point; combine with `refresh: false`,
   * since offline there is no account to refresh from.
   */
  readonly priorState?: string;
  /** Whether `terraform plan` refreshes the state first (`-refresh=false` when false). @default true */
  readonly refresh?: boolean;
}

export interface PlanResult {
  readonly offline: boolean;
  /** `terraform show -json` of the plan, also written to `<stackDir>/plan.json`. */
  readonly plan: TerraformPlan;
  readonly planFile: string;
}

/** The parts of `terraform show -json` this project reads. */
export interface TerraformPlan {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly change: {
    /** `forget`: Terraform drops the object from its state and leaves it be (a `removed` block). */
    readonly actions: readonly ('no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget')[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
}

export class TerraformError extends Error {
  constructor(
    readonly step: string,
    readonly output: string,
  ) {
    super(`terraform ${step} failed:\n${output.trim()}`);
    this.name = 'TerraformError';
  }
}

export { findProviderMirror };

/**
 * Whether the AWS SDK's usual credential sources are configured. A guess on
 * purpose: it decides only between a real plan and an offline one.
 */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return true;
  const awsDir = join(homedir(), '.aws');
  return existsSync(join(awsDir, 'credentials')) || existsSync(join(awsDir, 'config'));
}

/** The override that makes a plan work without AWS: no account lookups, local state. */
export const OFFLINE_OVERRIDE = {
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  provider: {
    aws: {
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      // The provider cannot check the account without asking AWS for it; the
      // real deploy keeps the check.
      allowed_account_ids: null,
    },
  },
} as const;

/** Terraform's environment: the local provider mirror when there is one; placeholder credentials offline. */
export function terraformEnv(workDir: string, offline: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const mirror = findProviderMirror();
  if (mirror) env.TF_CLI_CONFIG_FILE = writeMirrorCliConfig(workDir, mirror);
  if (offline) {
    // Placeholders for this process only; the skip-checks in the override keep
    // the provider from ever presenting them to AWS.
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: 'offline-placeholder',
      AWS_SECRET_ACCESS_KEY: 'offline-placeholder',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  }
  return env;
}

/** Runs one Terraform command; a TerraformError carries its output when it fails. */
export function runTerraform(
  step: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  verbose: boolean,
) {
  const result = spawnSync('terraform', [...args], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: verbose ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TerraformError(
      step,
      missing ? 'terraform is not installed or not on PATH' : String(result.error),
    );
  }
  if (result.status !== 0) {
    throw new TerraformError(step, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  }
  return result.stdout ?? '';
}

/**
 * Copies the synthesized stack (configuration and assets) into the scratch
 * directory. `keep` names more of the directory's entries to leave in place
 * (a local state the emulator's deploys build on).
 */
export function stageConfiguration(
  stackDir: string,
  workDir: string,
  offline: boolean,
  keep: (entry: string) => boolean = () => false,
): void {
  mkdirSync(workDir, { recursive: true });
  for (const entry of readdirSync(workDir)) {
    // Keep the provider install and the lock file between runs; replace the rest.
    if (entry === '.terraform' || entry === '.terraform.lock.hcl' || entry === 'terraform.rc')
      continue;
    if (keep(entry)) continue;
    rmSync(join(workDir, entry), { recursive: true, force: true });
  }
  for (const entry of readdirSync(stackDir)) {
    if (entry.startsWith('.terraform') || entry.includes('.tfstate') || entry === 'plan.json')
      continue;
    cpSync(join(stackDir, entry), join(workDir, entry), { recursive: true });
  }
  if (offline) {
    writeFileSync(
      join(workDir, 'zz_offline_override.tf.json'),
      JSON.stringify(OFFLINE_OVERRIDE, null, 2),
    );
  }
}

/** Runs init, validate, plan and show on a synthesized stack; writes plan.json beside it. */
export function planStack(options: PlanOptions): PlanResult {
  const stackDir = resolve(options.stackDir);
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) {
    throw new TerraformError(
      'plan',
      `no synthesized configuration in ${stackDir}; synthesize first`,
    );
  }
  const offline = options.offline ?? !hasAwsCredentials();
  const workDir = resolve(
    options.workDir ?? join(stackDir, '..', '..', 'offline-plan', stackDir.split(/[\\/]/).pop()!),
  );
  const verbose = options.verbose ?? false;
  if (options.priorState !== undefined && !offline) {
    throw new TerraformError('plan', 'a prior state can be given only to an offline plan');
  }
  if (options.priorState !== undefined && !existsSync(options.priorState)) {
    throw new TerraformError('plan', `prior state ${options.priorState} does not exist`);
  }
  const planFile = join(stackDir, 'plan.json');
  rmSync(planFile, { force: true });

  stageConfiguration(stackDir, workDir, offline);
  if (options.priorState !== undefined) {
    // The offline override's local backend reads exactly this file.
    cpSync(
      resolve(options.priorState),
      join(workDir, OFFLINE_OVERRIDE.terraform.backend.local.path),
    );
  }
  const env = terraformEnv(workDir, offline);
  runTerraform('init', ['init', '-input=false', '-no-color'], workDir, env, verbose);
  runTerraform('validate', ['validate', '-no-color'], workDir, env, verbose);
  runTerraform(
    'plan',
    [
      'plan',
      '-input=false',
      '-no-color',
      '-lock=false',
      ...(options.refresh === false ? ['-refresh=false'] : []),
      '-out=tfplan',
      ...(verbose ? [] : ['-compact-warnings']),
    ],
    workDir,
    env,
    verbose,
  );
  const json = runTerraform('show', ['show', '-json', 'tfplan'], workDir, env, false);
  const plan = JSON.parse(json) as TerraformPlan;
  writeFileSync(planFile, JSON.stringify(plan, null, 2) + '\n');
  return { offline, plan, planFile };
}

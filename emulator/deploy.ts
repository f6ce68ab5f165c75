/**
 * `terraform apply` of the synthesized stack into a moto server, then a plan
 * that must find nothing to do. The stack is the product's, unchanged: the
 * emulator's endpoints, test credentials and each workaround for one of its
 * gaps (emulator/gaps.ts) live only in an override file written into a
 * scratch copy, so nothing here can reach what `cdktf deploy` uses.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  runTerraform,
  stageConfiguration,
  terraformEnv,
  type ResourceChange,
  type TerraformPlan,
} from '../review/terraform-plan';
import { onlyClearedQueuePolicies, resourceOverrides } from './gaps';

/** The services the stack's resources and the welcome function call. */
export const EMULATED_SERVICES = [
  'cloudtrail',
  'cloudwatch',
  'events',
  'iam',
  'kms',
  'lambda',
  'logs',
  's3',
  'ses',
  'sns',
  'sqs',
  'ssm',
  'sts',
] as const;

/** The Terraform state's file name in the working directory. */
export const STATE_FILE = 'terraform.tfstate';
export const OVERRIDE_FILE = 'zz_emulator_override.tf.json';

/** Credentials moto accepts (it checks none); never a real key. */
export const EMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
} as const;

/** The resource blocks of a synthesized configuration, by type then name. */
export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export function readConfig(stackDir: string): { resource: Resources } {
  return JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource: Resources;
  };
}

/** The override that points the provider at the emulator, plus the gaps' workarounds. */
export function emulatorOverride(endpoint: string, resources: Resources): Record<string, unknown> {
  return {
    terraform: { backend: { local: { path: STATE_FILE } } },
    provider: {
      aws: {
        access_key: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secret_key: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((s) => [s, endpoint]))],
      },
    },
    resource: resourceOverrides(resources),
  };
}

export interface DeployOptions {
  readonly stackDir: string;
  /** Terraform's working directory; its `terraform.tfstate` is kept between deploys. */
  readonly workDir: string;
  /** The moto server, `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly verbose?: boolean;
  /** More entries of `workDir` to keep between deploys (besides the state and Terraform's own). */
  readonly keep?: (entry: string) => boolean;
  /**
   * Apply once more when the plan after the apply wants only the queue
   * policies moto cleared (emulator/gaps.ts, `onlyClearedQueuePolicies`).
   * @default false: the tier's deploys avoid the queue update instead
   */
  readonly restoreClearedQueuePolicies?: boolean;
}

export interface DeployResult {
  /** Seconds `terraform apply` took. */
  readonly applySeconds: number;
  /** Seconds the plan after it took. */
  readonly planSeconds: number;
  /** What the plan after the apply still wants to do: empty when the deploy is idempotent. */
  readonly pending: readonly ResourceChange[];
  /** The queue policies moto cleared, applied again (`restoreClearedQueuePolicies`); else empty. */
  readonly restored: readonly string[];
  readonly stateFile: string;
}

function env(workDir: string, endpoint: string): NodeJS.ProcessEnv {
  const e = terraformEnv(workDir, true);
  return { ...e, ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: endpoint };
}

/** Copies the stack into `workDir`, writes the override and runs `terraform init` (from the mirror when there is one). */
export function prepare(options: DeployOptions): NodeJS.ProcessEnv {
  const stackDir = resolve(options.stackDir);
  const workDir = resolve(options.workDir);
  stageConfiguration(
    stackDir,
    workDir,
    false,
    (entry) => entry.startsWith(STATE_FILE) || (options.keep?.(entry) ?? false),
  );
  writeFileSync(
    join(workDir, OVERRIDE_FILE),
    JSON.stringify(emulatorOverride(options.endpoint, readConfig(stackDir).resource), null, 2),
  );
  const e = env(workDir, options.endpoint);
  runTerraform('init', ['init', '-input=false', '-no-color'], workDir, e, options.verbose ?? false);
  return e;
}

const APPLY_ARGS = [
  'apply',
  '-input=false',
  '-no-color',
  '-lock=false',
  '-auto-approve',
  '-compact-warnings',
];

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The changes a plan of `workDir` against the emulator wants (no-op and read left out). */
export function pendingChanges(
  workDir: string,
  e: NodeJS.ProcessEnv,
  verbose = false,
): ResourceChange[] {
  runTerraform(
    'plan',
    ['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan', '-compact-warnings'],
    workDir,
    e,
    verbose,
  );
  const plan = JSON.parse(
    runTerraform('show', ['show', '-json', 'tfplan'], workDir, e, false),
  ) as TerraformPlan;
  return (plan.resource_changes ?? []).filter((c) =>
    c.change.actions.some((a) => a !== 'no-op' && a !== 'read'),
  );
}

/** init, apply, then plan again: the plan must come back empty on an idempotent stack. */
export function deploy(options: DeployOptions): DeployResult {
  const workDir = resolve(options.workDir);
  const verbose = options.verbose ?? false;
  const e = prepare(options);
  let start = process.hrtime.bigint();
  runTerraform('apply', APPLY_ARGS, workDir, e, verbose);
  const applySeconds = seconds(start);
  start = process.hrtime.bigint();
  let pending = pendingChanges(workDir, e, verbose);
  let restored: string[] = [];
  if (options.restoreClearedQueuePolicies === true && onlyClearedQueuePolicies(pending)) {
    restored = pending.map((c) => c.address);
    runTerraform('apply', [...APPLY_ARGS, 'tfplan'], workDir, e, verbose);
    start = process.hrtime.bigint();
    pending = pendingChanges(workDir, e, verbose);
  }
  return {
    applySeconds,
    planSeconds: seconds(start),
    pending,
    restored,
    stateFile: join(workDir, STATE_FILE),
  };
}

/** The state's resources of one type (name -> attributes), read from the local state file. */
export function stateResources(
  workDir: string,
  type: string,
): Record<string, Record<string, unknown>> {
  const file = join(workDir, STATE_FILE);
  if (!existsSync(file)) return {};
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    resources: {
      type: string;
      name: string;
      mode: string;
      instances: { index_key?: string; attributes: Record<string, unknown> }[];
    }[];
  };
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of state.resources)
    if (r.mode === 'managed' && r.type === type)
      for (const i of r.instances) out[i.index_key ?? r.name] = i.attributes;
  return out;
}

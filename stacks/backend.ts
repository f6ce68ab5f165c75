/**
 * Where Terraform keeps the stack's state. Local (cdktf's default,
 * `terraform.iam-onboarding.tfstate`) unless the environment names an S3
 * bucket; the workflows do, so that every deploy and every pull-request plan
 * sees the same state, with a lock that keeps two deploys from writing it at
 * once.
 *
 *   TF_STATE_BUCKET      the state bucket (setting it turns the S3 backend on)
 *   TF_STATE_KEY         object key @default `iam-onboarding/terraform.tfstate`
 *   TF_STATE_REGION      the bucket's region @default `us-east-1`
 *   TF_STATE_LOCK_TABLE  a DynamoDB table to lock with instead of S3's own lock
 *                        file (`use_lockfile`, Terraform >= 1.10); optional
 *
 * Offline plans (review/terraform-plan.ts) replace whatever backend this sets with
 * a local one in their override file, so they keep working with these set.
 */
import { S3Backend, type TerraformStack } from 'cdktf';
import { BuildEnvironmentError } from '../inputs/errors';

export const STATE_ENV = {
  bucket: 'TF_STATE_BUCKET',
  key: 'TF_STATE_KEY',
  region: 'TF_STATE_REGION',
  lockTable: 'TF_STATE_LOCK_TABLE',
} as const;

export const DEFAULT_STATE_KEY = 'iam-onboarding/terraform.tfstate';
export const DEFAULT_STATE_REGION = 'us-east-1';

export interface RemoteState {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** DynamoDB lock table; without it the S3 lock file is used. */
  readonly lockTable?: string;
}

export class BackendConfigError extends BuildEnvironmentError {
  constructor(message: string) {
    super(message);
    this.name = 'BackendConfigError';
  }
}

// S3 bucket naming rules (general purpose buckets), without the rarer exceptions.
const BUCKET_RE = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;
const KEY_RE = /^[^/\s][^\s]{0,1023}$/;
const TABLE_RE = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * The remote state the environment describes, or undefined for local state.
 * Throws BackendConfigError when it is half-configured or malformed: a typo
 * must not silently fall back to a local state and plan everything as new.
 */
export function remoteStateFromEnv(env: NodeJS.ProcessEnv = process.env): RemoteState | undefined {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };
  const bucket = get(STATE_ENV.bucket);
  const key = get(STATE_ENV.key);
  const region = get(STATE_ENV.region);
  const lockTable = get(STATE_ENV.lockTable);
  if (bucket === undefined) {
    const stray = [
      key && STATE_ENV.key,
      region && STATE_ENV.region,
      lockTable && STATE_ENV.lockTable,
    ].filter(Boolean);
    if (stray.length > 0) {
      throw new BackendConfigError(
        `${stray.join(', ')} set without ${STATE_ENV.bucket}: set the bucket too, or unset them for local state`,
      );
    }
    return undefined;
  }
  const problems: string[] = [];
  if (!BUCKET_RE.test(bucket))
    problems.push(`${STATE_ENV.bucket} "${bucket}" is not a valid S3 bucket name`);
  if (key !== undefined && (!KEY_RE.test(key) || key.endsWith('/')))
    problems.push(`${STATE_ENV.key} "${key}" must be an object key such as "${DEFAULT_STATE_KEY}"`);
  if (region !== undefined && !REGION_RE.test(region))
    problems.push(`${STATE_ENV.region} "${region}" is not an AWS region such as "us-east-1"`);
  if (lockTable !== undefined && !TABLE_RE.test(lockTable))
    problems.push(`${STATE_ENV.lockTable} "${lockTable}" is not a DynamoDB table name`);
  if (problems.length > 0) throw new BackendConfigError(problems.join('; '));
  return {
    bucket,
    key: key ?? DEFAULT_STATE_KEY,
    region: region ?? DEFAULT_STATE_REGION,
    ...(lockTable ? { lockTable } : {}),
  };
}

/**
 * Puts the stack's state in S3 when the environment says so (see above);
 * leaves cdktf's local backend otherwise. Returns which one it chose.
 */
export function configureBackend(
  stack: TerraformStack,
  env: NodeJS.ProcessEnv = process.env,
): 'local' | 's3' {
  return useRemoteState(stack, remoteStateFromEnv(env));
}

/** Puts the stack's state in the given S3 location; leaves the local backend when there is none. */
export function useRemoteState(
  stack: TerraformStack,
  remote: RemoteState | undefined,
): 'local' | 's3' {
  if (!remote) return 'local';
  const backend = new S3Backend(stack, {
    bucket: remote.bucket,
    key: remote.key,
    region: remote.region,
    encrypt: true,
    ...(remote.lockTable ? { dynamodbTable: remote.lockTable } : {}),
  });
  // cdktf 0.21 predates S3's native locking (Terraform >= 1.10): set it directly.
  if (!remote.lockTable) backend.addOverride('use_lockfile', true);
  return 's3';
}

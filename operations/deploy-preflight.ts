/**
 * What `npm run deploy` checks before Terraform starts, so that a deploy that
 * cannot work stops in seconds with one line per problem and its fix, instead
 * of minutes into `cdktf deploy` with a provider error:
 *
 * - credentials: STS GetCallerIdentity answers (needs no permission);
 * - the account: the caller's is the settings' `accountId` (the provider's
 *   `allowed_account_ids` would refuse any other, but only after init);
 * - the state bucket, when TF_STATE_BUCKET names one: S3 HeadBucket answers
 *   (it exists, and these credentials may list it, which the S3 backend needs);
 * - the provider source: a local mirror, else a registry that answers.
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RemoteState } from '../stacks/backend';

/** One check's outcome: `ok` says what was found, `problem` what is wrong and how to fix it. */
export type CheckResult =
  | { readonly check: string; readonly ok: string }
  | { readonly check: string; readonly problem: string };

export interface PreflightInputs {
  readonly accountId: string;
  /** Where the state lives; undefined for local state. */
  readonly remoteState: RemoteState | undefined;
  readonly sts: STSClient;
  /** Builds the S3 client for the bucket's region. */
  readonly s3: (region: string) => S3Client;
  /** The local provider mirror, when the machine has one. */
  readonly mirror: string | undefined;
  /** Whether the Terraform registry answers (asked only without a mirror). */
  readonly registryReachable: () => Promise<boolean>;
  /** Where the settings live, for the fix the account line suggests. */
  readonly settingsFile: string;
}

interface AwsError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const NO_CREDENTIALS =
  'no AWS credentials found: sign in (`aws sso login`, `export AWS_PROFILE=...`) or, in CI, configure the OIDC role (docs/review-and-delivery.md), then run again';

/** The credential problem in one line, from what STS or the SDK said. */
function credentialProblem(err: AwsError): string {
  const name = err.name ?? 'Error';
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(err.message ?? ''))
    return NO_CREDENTIALS;
  if (/expired/i.test(name) || name === 'RequestExpired')
    return `the AWS credentials have expired (${name}): refresh them (\`aws sso login\`, or a new role session) and run again`;
  if (
    name === 'InvalidClientTokenId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'UnrecognizedClientException'
  )
    return `AWS does not accept these credentials (${name}): check AWS_PROFILE or the access key, or sign in again`;
  if (
    err.code === 'ENOTFOUND' ||
    err.code === 'ECONNREFUSED' ||
    err.code === 'ETIMEDOUT' ||
    name === 'TimeoutError'
  )
    return `cannot reach AWS STS (${err.code ?? name}): check the network or proxy (HTTPS_PROXY), then run again`;
  return `STS GetCallerIdentity failed (${name}: ${err.message ?? 'no message'}): check the credentials and the network`;
}

function bucketProblem(err: AwsError, remote: RemoteState): string {
  const status = err.$metadata?.httpStatusCode;
  const where = `state bucket ${remote.bucket} (${remote.region})`;
  if (status === 404 || err.name === 'NotFound' || err.name === 'NoSuchBucket')
    return `${where} does not exist: create it (docs/review-and-delivery.md, step 2) or fix TF_STATE_BUCKET`;
  if (status === 403 || err.name === 'Forbidden' || err.name === 'AccessDenied')
    return `${where} refuses these credentials (HeadBucket: 403): grant s3:ListBucket on it to this role, or fix TF_STATE_BUCKET if it is another account's bucket`;
  if (status === 301 || err.name === 'PermanentRedirect')
    return `${where} is in another region: set TF_STATE_REGION to the bucket's region`;
  return `${where} cannot be reached (${err.name ?? 'Error'}${status ? `, HTTP ${status}` : ''}: ${err.message ?? ''}): check the network and TF_STATE_BUCKET`;
}

/** Runs every check; a check that depends on a failed one is not run (its failure says enough). */
export async function runPreflight(inputs: PreflightInputs): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let callerAccount: string | undefined;
  try {
    const id = await inputs.sts.send(new GetCallerIdentityCommand({}));
    callerAccount = id.Account;
    results.push({ check: 'credentials', ok: `${id.Arn ?? 'unknown caller'}` });
  } catch (err) {
    results.push({ check: 'credentials', problem: credentialProblem(err as AwsError) });
  }

  if (callerAccount !== undefined) {
    results.push(
      callerAccount === inputs.accountId
        ? { check: 'account', ok: callerAccount }
        : {
            check: 'account',
            problem: `the credentials are for account ${callerAccount}, the settings' accountId is ${inputs.accountId}: use credentials for ${inputs.accountId}, or fix accountId in ${inputs.settingsFile}`,
          },
    );
    const remote = inputs.remoteState;
    if (remote) {
      try {
        await inputs.s3(remote.region).send(new HeadBucketCommand({ Bucket: remote.bucket }));
        results.push({
          check: 'state',
          ok: `s3://${remote.bucket}/${remote.key} (${remote.region})`,
        });
      } catch (err) {
        results.push({ check: 'state', problem: bucketProblem(err as AwsError, remote) });
      }
    }
  }
  if (!inputs.remoteState)
    results.push({
      check: 'state',
      ok: 'local file (TF_STATE_BUCKET not set): keep it, it is the only record of what this deploy creates',
    });

  if (inputs.mirror) results.push({ check: 'provider', ok: `local mirror ${inputs.mirror}` });
  else if (await inputs.registryReachable())
    results.push({ check: 'provider', ok: 'registry.terraform.io' });
  else
    results.push({
      check: 'provider',
      problem:
        'no local provider mirror and registry.terraform.io does not answer: set TF_PLUGIN_MIRROR to a mirror (`terraform providers mirror DIR` on a machine with access), or allow the registry',
    });
  return results;
}

export function hasProblems(results: readonly CheckResult[]): boolean {
  return results.some((r) => 'problem' in r);
}

/** One line per check: `ok` or `FAIL`, the check, and what was found or the fix. */
export function formatPreflight(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length));
  return results
    .map((r) =>
      'problem' in r
        ? `FAIL  ${r.check.padEnd(width)}  ${r.problem}`
        : `ok    ${r.check.padEnd(width)}  ${r.ok}`,
    )
    .join('\n');
}

/**
 * The environment `cdktf deploy` runs in: the mirror's CLI configuration when
 * there is one, and, when the output is not a terminal, `CI=true`, which
 * makes cdktf's terminal UI (ink) print finished lines instead of redrawing a
 * spinner with cursor-movement codes.
 */
export function deployEnv(
  base: NodeJS.ProcessEnv,
  options: { readonly cliConfigFile?: string; readonly isTTY: boolean },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CHECKPOINT_DISABLE: base.CHECKPOINT_DISABLE ?? '1' };
  if (options.cliConfigFile) env.TF_CLI_CONFIG_FILE = options.cliConfigFile;
  if (!options.isTTY) env.CI = 'true';
  return env;
}

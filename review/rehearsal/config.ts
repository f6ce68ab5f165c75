/**
 * The synthesized configuration (`cdk.tf.json`) as the rehearsal reads it:
 * loaded with clear errors, and the settings it needs (account, region)
 * derived from the configuration itself, never assumed.
 */
import { readJsonDocument } from '../../inputs/json-file';
import { InputFileError } from '../../inputs/errors';

/** One resource's arguments, as Terraform JSON writes them. */
export type Body = Readonly<Record<string, unknown>>;

/** The parts of a Terraform JSON configuration the rehearsal reads. */
export interface TfConfig {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Body>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Body>>>>;
  /** cdktf writes each provider as a list of blocks; hand-written JSON may use one object. */
  readonly provider?: Readonly<Record<string, Body | readonly Body[]>>;
}

/** Where a configuration's resources live: used to compute every ARN. */
export interface Place {
  readonly accountId: string;
  /** Region of the default `aws` provider. */
  readonly region: string;
  /** Region of each aliased provider, by `aws.<alias>`. */
  readonly aliasRegions: ReadonlyMap<string, string>;
}

/**
 * Region when the provider names none (IAM's events arrive only there,
 * docs/design.md, "IAM events arrive only in us-east-1").
 */
export const DEFAULT_REGION = 'us-east-1';

const ACCOUNT = /^\d{12}$/;

/** Reads and checks a configuration file; every problem is an InputFileError (exit 2, no stack trace). */
export function loadConfig(file: string): TfConfig {
  const doc = readJsonDocument(file);
  const value = doc.value;
  const problem = (path: string, message: string) =>
    new InputFileError(file, [{ path, message, ...doc.position([]) }]);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem('$', 'is not a Terraform JSON configuration (expected an object)');
  }
  const config = value as TfConfig;
  const count = Object.values(config.resource ?? {}).reduce(
    (n, byName) => n + Object.keys(byName ?? {}).length,
    0,
  );
  if (count === 0) {
    throw problem('$.resource', 'the configuration defines no resources: nothing to rehearse');
  }
  return config;
}

function providerBlocks(config: TfConfig): Body[] {
  const aws = config.provider?.aws;
  if (aws === undefined) return [];
  return (Array.isArray(aws) ? aws : [aws]) as Body[];
}

/** Every 12-digit account id in an ARN anywhere in the configuration, most frequent first. */
function accountsInArns(config: TfConfig): string[] {
  const counts = new Map<string, number>();
  const text = JSON.stringify({ resource: config.resource, data: config.data });
  for (const m of text.matchAll(/arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/g)) {
    counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/**
 * The account the configuration deploys to: the AWS provider's
 * `allowed_account_ids` (what `cdktf deploy` enforces), else the account
 * most ARNs in it name. Throws when neither gives one. `given` overrides the
 * account and the default provider's region (aliased providers keep theirs).
 */
export function placeOf(
  config: TfConfig,
  file = 'the configuration',
  given: { readonly accountId?: string; readonly region?: string } = {},
): Place {
  const blocks = providerBlocks(config);
  const allowed = blocks
    .flatMap((b): unknown[] => (Array.isArray(b.allowed_account_ids) ? b.allowed_account_ids : []))
    .filter((id): id is string => typeof id === 'string' && ACCOUNT.test(id));
  const accountId = given.accountId ?? allowed[0] ?? accountsInArns(config)[0];
  if (accountId === undefined) {
    throw new InputFileError(file, [
      {
        path: '$.provider.aws',
        message:
          'names no account: neither allowed_account_ids nor any ARN with an account id, so no ARN can be computed',
      },
    ]);
  }
  const regionOf = (b: Body | undefined) =>
    typeof b?.region === 'string' && !b.region.includes('${') ? b.region : undefined;
  const region =
    given.region ?? regionOf(blocks.find((b) => b.alias === undefined)) ?? DEFAULT_REGION;
  const aliasRegions = new Map<string, string>();
  for (const b of blocks) {
    if (typeof b.alias === 'string') aliasRegions.set(`aws.${b.alias}`, regionOf(b) ?? region);
  }
  return { accountId, region, aliasRegions };
}

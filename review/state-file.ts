/**
 * A Terraform state file given to `npm run plan -- --state FILE`: one pulled
 * with `terraform state pull`, the local deployment's
 * (`cdktf.out/local/terraform.tfstate`), or a local deploy's. Checked before
 * Terraform runs, so that a wrong file fails in one line that says what is
 * wrong with it, instead of a plan that quietly shows everything as new.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

/** Where the local deployment (`npm run local`) keeps its state. */
export const LOCAL_DEPLOYMENT_STATE = 'cdktf.out/local/terraform.tfstate';

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`--state ${file}: ${problem}`);
    this.name = 'StateFileError';
  }
}

export interface StateFileSummary {
  /** Managed resources in the state. */
  readonly resources: number;
  /** How many of them the configuration defines. */
  readonly inConfiguration: number;
  readonly serial?: number;
}

interface StateResource {
  readonly mode?: unknown;
  readonly type?: unknown;
  readonly name?: unknown;
  readonly module?: unknown;
}

/** The `type.name` of every resource in a synthesized cdk.tf.json. */
export function configuredAddresses(config: {
  readonly resource?: Record<string, Record<string, unknown>>;
}): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(config.resource ?? {}))
    for (const name of Object.keys(byName)) out.add(`${type}.${name}`);
  return out;
}

/** A state file read and checked for form (see readStateFile). */
export interface StateFile {
  readonly file: string;
  /** `type.name` of each managed resource in the root module. */
  readonly addresses: readonly string[];
  readonly serial?: number;
}

/**
 * Reads `file` and checks that it is a Terraform state (format v4); nothing
 * about which stack it belongs to (checkStateOfStack). Throws StateFileError.
 */
export function readStateFile(file: string): StateFile {
  if (!existsSync(file))
    throw new StateFileError(
      file,
      "no such file (pull one with `terraform state pull > FILE`, or give the local deployment's, " +
        `${LOCAL_DEPLOYMENT_STATE})`,
    );
  if (!statSync(file).isFile()) throw new StateFileError(file, 'is a directory, not a state file');
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StateFileError(
      file,
      `is not JSON (${err instanceof Error ? err.message : String(err)}); a Terraform state is the JSON \`terraform state pull\` prints`,
    );
  }
  const s = state as { version?: unknown; resources?: unknown; serial?: unknown };
  if (!s || typeof s !== 'object' || Array.isArray(s) || !('version' in s) || !('lineage' in s))
    throw new StateFileError(
      file,
      'is JSON but not a Terraform state (no "version" and "lineage"); a plan or `terraform show -json` output is not a state',
    );
  if (s.version !== 4)
    throw new StateFileError(
      file,
      `is a Terraform state of format version ${JSON.stringify(s.version)}; this Terraform reads version 4`,
    );
  if (s.resources !== undefined && !Array.isArray(s.resources))
    throw new StateFileError(file, 'is not a Terraform state: "resources" is not a list');
  const addresses = ((s.resources ?? []) as StateResource[])
    .filter((r) => r && r.mode === 'managed' && r.module === undefined)
    .map((r) => `${String(r.type)}.${String(r.name)}`);
  return { file, addresses, ...(typeof s.serial === 'number' ? { serial: s.serial } : {}) };
}

/**
 * Checks that a state belongs to this stack: at least one of its managed
 * resources is one the configuration defines (the pipeline's are always
 * there), or it holds none at all. Throws StateFileError otherwise.
 */
export function checkStateOfStack(
  state: StateFile,
  configured: ReadonlySet<string>,
): StateFileSummary {
  const inConfiguration = state.addresses.filter((a) => configured.has(a)).length;
  const n = state.addresses.length;
  if (n > 0 && inConfiguration === 0) {
    const sample = state.addresses.slice(0, 2).join(', ');
    throw new StateFileError(
      state.file,
      `is the state of another stack: none of its ${n} resources (${sample}${n > 2 ? ', …' : ''}) is in this stack's configuration`,
    );
  }
  return {
    resources: n,
    inConfiguration,
    ...(state.serial !== undefined ? { serial: state.serial } : {}),
  };
}

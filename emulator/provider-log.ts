/**
 * Reads a Terraform debug log (`TF_LOG=debug`, `TF_LOG_PATH`) for the AWS
 * provider's HTTP requests. The provider (5.100.0, through
 * hashicorp/aws-sdk-go-base's logging) writes one "HTTP Request Sent" entry a
 * request, naming the service and operation (`rpc.service=IAM
 * rpc.method=CreateUser`), the provider RPC it serves (`tf_rpc`), the
 * resource type (`tf_resource_type`, `tf_data_source_type`) and the RPC's
 * request id (`tf_req_id`). Which change an ApplyResourceChange carries is
 * not in the provider's entries: Terraform itself logs "<address>: applying
 * the planned <Action> change" just before it calls the provider, so each
 * request id takes the action of the latest such line for its type (exact
 * when the apply runs with `-parallelism=1`, and in an apply whose changes
 * are all of one kind).
 */

/** The phases of provider-calls.ts, as the recording sees them. */
export type RecordedPhase = 'create' | 'read' | 'update' | 'delete';

/** One request the provider sent. */
export interface LoggedCall {
  readonly type: string;
  readonly phase: RecordedPhase;
  /** `rpc.service` as the SDK names it, e.g. `IAM`, `CloudWatch Logs`. */
  readonly service: string;
  /** `rpc.method`: the API operation, e.g. `CreateUser`. */
  readonly operation: string;
}

export interface ParsedLog {
  readonly calls: readonly LoggedCall[];
  /** The provider's version, from its plugin name (`terraform-provider-aws_v5.100.0_x5`). */
  readonly providerVersion: string | undefined;
  /** Requests made outside any resource (ConfigureProvider: the account lookup). */
  readonly unattributed: number;
}

/** An entry starts with Terraform's timestamp and level; the lines after it (bodies) belong to it. */
const ENTRY_START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+\-Z][\d:]*\s+\[[A-Z]+\]/;
const APPLYING = /\[DEBUG\] (\S+): applying the planned (\w+) change/;
const PROVIDER_VERSION = /terraform-provider-aws_v(\d+\.\d+\.\d+)/;

const ACTION_PHASE: Readonly<Record<string, RecordedPhase>> = {
  Create: 'create',
  Update: 'update',
  Delete: 'delete',
};

/** The RPCs that read: a refresh, a plan, a data source. */
const READ_RPCS = new Set([
  'ReadResource',
  'ReadDataSource',
  'PlanResourceChange',
  'ImportResourceState',
]);

/** Splits the log into entries (an entry's continuation lines joined to it). */
export function logEntries(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (ENTRY_START.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}

/**
 * The value of `key` in an entry: `key=token` or `key="quoted"` in the
 * provider's usual key=value form, `"key":"value"` where it wrote the entry
 * as JSON (it does for some large requests). In the JSON form the body is
 * one escaped string, so its own quotes cannot match.
 */
export function field(entry: string, key: string): string | undefined {
  const escaped = key.replace(/[.]/g, '\\.');
  const json = new RegExp(`"${escaped}":"((?:[^"\\\\]|\\\\.)*)"`).exec(entry);
  if (json) return JSON.parse(`"${json[1]}"`) as string;
  const m = new RegExp(`(?:^|\\s)${escaped}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(entry);
  if (!m) return undefined;
  const v = m[1];
  return v.startsWith('"') ? (JSON.parse(v) as string) : v;
}

/** The type of an address: `aws_iam_user.alice["x"]` -> `aws_iam_user` (a module path dropped). */
function typeOfAddress(address: string): string {
  const parts = address.split('.');
  while (parts[0] === 'module') parts.splice(0, 2);
  return parts[0] === 'data' ? `data.${parts[1]}` : parts[0];
}

export class ProviderLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderLogError';
  }
}

/** Terraform's prefix of a provider's line: time, level, `provider.<plugin>: `. */
const PROVIDER_PREFIX = /^\S+\s+\[[A-Z]+\]\s+provider\.[^:\s]+: /;

function parsesAsJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function parseProviderLog(text: string): ParsedLog {
  const calls: LoggedCall[] = [];
  const lastAction = new Map<string, RecordedPhase>();
  const phaseOfRequest = new Map<string, RecordedPhase>();
  let providerVersion: string | undefined;
  let unattributed = 0;
  const entries = logEntries(text);
  for (let i = 0; i < entries.length; i++) {
    let entry = entries[i];
    const applying = APPLYING.exec(entry);
    if (applying) {
      const phase = ACTION_PHASE[applying[2]];
      if (!phase)
        throw new ProviderLogError(`unexpected planned action in the log: ${applying[0]}`);
      lastAction.set(typeOfAddress(applying[1]), phase);
      continue;
    }
    if (!entry.includes('HTTP Request Sent')) continue;
    providerVersion ??= PROVIDER_VERSION.exec(entry)?.[1];
    let get: (key: string) => string | undefined;
    const prefix = PROVIDER_PREFIX.exec(entry)?.[0];
    if (prefix && entry.slice(prefix.length).startsWith('{"')) {
      // The JSON form of a large request: Terraform cuts the provider's line
      // into 64 KiB pieces, each logged with the prefix again. Join them.
      let json = entry.slice(prefix.length);
      let parsed = parsesAsJson(json);
      while (!parsed && i + 1 < entries.length && PROVIDER_PREFIX.test(entries[i + 1])) {
        i++;
        json += entries[i].replace(PROVIDER_PREFIX, '');
        parsed = parsesAsJson(json);
      }
      if (!parsed)
        throw new ProviderLogError(
          `an HTTP request entry in JSON that does not parse: ${entry.slice(0, 200)}`,
        );
      const obj = parsed;
      get = (key) => {
        const v = obj[key];
        return typeof v === 'string' ? v : undefined;
      };
    } else {
      // The request body (lines starting with `|`) is the caller's data: never read for fields.
      entry = entry
        .split('\n')
        .filter((l) => !/^\s*\|/.test(l))
        .join('\n');
      const e = entry;
      get = (key) => field(e, key);
    }
    const service = get('rpc.service');
    const operation = get('rpc.method');
    const rpc = get('tf_rpc');
    const resource = get('tf_resource_type');
    const dataSource = get('tf_data_source_type');
    if (!service || !operation)
      throw new ProviderLogError(
        `an HTTP request entry without rpc.service/rpc.method: ${entry.slice(0, 200)}`,
      );
    const type = resource ?? (dataSource ? `data.${dataSource}` : undefined);
    if (!type || rpc === 'ConfigureProvider') {
      unattributed++;
      continue;
    }
    let phase: RecordedPhase | undefined;
    if (rpc && READ_RPCS.has(rpc)) phase = 'read';
    else if (rpc === 'ApplyResourceChange') {
      const id = get('tf_req_id') ?? '';
      phase = phaseOfRequest.get(id) ?? lastAction.get(type);
      if (phase) phaseOfRequest.set(id, phase);
    }
    if (!phase)
      throw new ProviderLogError(
        `cannot tell the phase of ${service} ${operation} for ${type} (tf_rpc=${rpc ?? 'none'})`,
      );
    calls.push({ type, phase, service, operation });
  }
  return { calls, providerVersion, unattributed };
}

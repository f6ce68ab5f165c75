/**
 * The rehearsal: every hop of the welcome flow, from CloudTrail to the
 * email, evaluated offline by the IAM evaluator against the synthesized
 * configuration. `rehearse` for the whole flow; `deniedCalls` for tests that
 * check what the handler sends against the synthesized role.
 */
import { placeOf, type TfConfig } from './config';
import { evaluateHop, evaluateHops, type Verdict } from './evaluate';
import { Graph } from './graph';
import { deriveHops, type Hop } from './hops';
import { runsWelcomeHandler } from './handler-calls';
import { Resolver } from './resolve';
import { taggingGuardHops } from './tagging-guard';
import type { NamedPolicy } from './graph';
import { deployRoleHops, withScps } from './scp';

export { loadConfig, placeOf, type TfConfig } from './config';
export { isFailure, type Status, type Verdict } from './evaluate';
export { WELCOME_HANDLER_CALLS, type HandlerCall } from './handler-calls';
export type { Hop } from './hops';
export { formatReport, formatSummary, formatVerdict, summarize } from './report';

export function graphOf(config: TfConfig, file?: string): Graph {
  return new Graph(new Resolver(config, placeOf(config, file)));
}

export interface Rehearsal {
  readonly accountId: string;
  readonly verdicts: readonly Verdict[];
}

export interface RehearsalOptions {
  /**
   * Exported service control policies (scp.ts): every hop of a principal
   * of the account is judged under them, and the deploy role's calls are
   * added to the hops.
   */
  readonly scps?: readonly NamedPolicy[];
}

/**
 * Derives the hops from the configuration and evaluates each, then the guard
 * on the tags that steer a resend (the shipped SCP, tagging-guard.ts).
 */
export async function rehearse(
  config: TfConfig,
  file?: string,
  options: RehearsalOptions = {},
): Promise<Rehearsal> {
  const g = graphOf(config, file);
  let hops = [...deriveHops(g), ...taggingGuardHops(g.accountId)];
  if (options.scps) {
    const deploy = await deployRoleHops(config, g.accountId);
    hops = withScps([...hops, ...deploy], g.accountId, options.scps);
  }
  return { accountId: g.accountId, verdicts: await evaluateHops(hops, g.accountId) };
}

/** One AWS call: the IAM action and the resource it acts on (`*` for account-level actions). */
export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface DeniedCall extends Call {
  readonly reason: string;
}

/**
 * The calls the welcome function's role may NOT make, with why. The role is
 * that of the function carrying the handler's environment contract, or
 * the function named `functionName`. Resource policies of resources in the
 * configuration (queues, topics, keys) are applied as AWS would.
 */
export async function deniedCalls(
  config: TfConfig,
  calls: readonly Call[],
  options: { readonly functionName?: string } = {},
): Promise<DeniedCall[]> {
  const g = graphOf(config);
  const fn = g.r
    .resources('aws_lambda_function')
    .find((f) =>
      options.functionName
        ? g.r.attribute(f.ref, 'function_name') === options.functionName
        : runsWelcomeHandler(f.body.environment),
    );
  if (!fn)
    throw new Error(
      `no function ${options.functionName ?? 'running the welcome handler'} in the configuration`,
    );
  const role = g.roleOf(fn);
  if (!role) throw new Error(`the role of ${g.label(fn)} is not in the configuration`);
  const { policies, boundary } = g.rolePolicies(role);
  const roleName = g.r.attribute(role.ref, 'name');
  const principal = `arn:aws:sts::${g.accountId}:assumed-role/${roleName}/${g.r.attribute(fn.ref, 'function_name')}`;
  const denied: DeniedCall[] = [];
  for (const call of calls) {
    const node = call.resource === '*' ? undefined : g.find(call.resource);
    const resourcePolicy =
      node?.ref.type === 'aws_sqs_queue'
        ? g.queuePolicy(node)
        : node?.ref.type === 'aws_sns_topic'
          ? g.topicPolicy(node)
          : node?.ref.type === 'aws_kms_key'
            ? g.keyPolicy(node)
            : undefined;
    const hop: Hop = {
      name: `role ${roleName} -> ${call.resource}: ${call.action}`,
      principal,
      action: call.action,
      resource: call.resource,
      // As AWS sets it on every request of a role session (hops.ts, functionRole).
      context: {
        'aws:PrincipalArn': `arn:aws:iam::${g.accountId}:role${g.r.attribute(role.ref, 'path') ?? '/'}${roleName}`,
        ...call.context,
      },
      identityPolicies: policies,
      ...(boundary ? { permissionBoundary: boundary } : {}),
      ...(resourcePolicy ? { resourcePolicy } : {}),
      expect: 'allowed',
    };
    const v = await evaluateHop(hop, g.accountId);
    if (v.status !== 'allowed') denied.push({ ...call, reason: v.reason });
  }
  return denied;
}

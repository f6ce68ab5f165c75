/**
 * Asks the IAM evaluator (`@cloud-copilot/iam-simulate`,
 * docs/design.md, "iam-simulate evaluates IAM policies offline")
 * about each hop and says why: the statement that allowed it, or what is
 * missing (which policy lacks which grant, which explicit deny matched).
 */
import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestAnalysis,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import { decideEncryptionContext } from './encryption-context';
import type { NamedPolicy } from './graph';
import type { Hop } from './hops';
import { UNRESOLVED_PREFIX } from './resolve';

export type Status =
  /** Allowed, as the flow needs. */
  | 'allowed'
  /** Refused, as it must be (a write on a user the function does not manage). */
  | 'refused'
  /** Refused, but the flow needs it. */
  | 'DENIED'
  /** Allowed, but it must be refused. */
  | 'OPEN'
  /** Cannot be checked offline. */
  | 'skipped';

export interface Verdict {
  readonly hop: Hop;
  readonly status: Status;
  /** The deciding statement(s), or what is missing. */
  readonly reason: string;
}

export const isFailure = (v: Verdict): boolean => v.status === 'DENIED' || v.status === 'OPEN';

const statementName = (sid: string | undefined, index: number) => sid ?? `statement #${index}`;

/** Problems that make a policy unfit to evaluate: unresolved references, unreadable text, non-ARN resources. */
function policyProblems(policy: NamedPolicy): string[] {
  if (policy.error) return [`${policy.label} ${policy.error}`];
  if (policy.unresolved.length > 0) {
    return [
      `${policy.label} holds references the rehearsal cannot resolve: ${policy.unresolved.join(', ')}`,
    ];
  }
  const problems: string[] = [];
  const statements = policy.document?.Statement;
  const list: readonly Record<string, unknown>[] = Array.isArray(statements)
    ? statements
    : statements
      ? [statements as Record<string, unknown>]
      : [];
  for (const s of list) {
    for (const key of ['Resource', 'NotResource']) {
      const value = s[key];
      const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      for (const v of values) {
        // iam-simulate reads a Resource without colons as matching every resource: never let one through.
        if (
          typeof v !== 'string' ||
          (v !== '*' && !v.startsWith('arn:')) ||
          v.startsWith(UNRESOLVED_PREFIX)
        ) {
          problems.push(`${policy.label} has a ${key} that is not an ARN: ${JSON.stringify(v)}`);
        }
      }
    }
  }
  return problems;
}

function grantText(hop: Hop, analysis: RequestAnalysis): string {
  const grants = getGrantReasons(analysis).map((g) => {
    const sid = statementName(g.statementId, g.statementIndex);
    if (g.policyType === 'resource')
      return `${sid} (${hop.resourcePolicy?.label ?? 'resource policy'})`;
    if (g.policyType === 'identity') return `${sid} (${g.policyIdentifier})`;
    return `${sid} (${g.policyType} ${g.policyIdentifier})`;
  });
  return grants.join(' + ') || 'allowed';
}

/** Statements that name this principal and action but whose condition did not hold. */
function failedConditions(analysis: RequestAnalysis): string[] {
  const unmatched = analysis.resourceAnalysis?.unmatchedStatements ?? [];
  return unmatched
    .filter((s) => {
      const e = s.explain;
      return (
        e.effect === 'Allow' &&
        e.actionMatch &&
        e.resourceMatch &&
        e.principalMatch !== 'NoMatch' &&
        !e.conditionMatch
      );
    })
    .map((s) => `${s.explain.identifier}: its condition does not hold`);
}

function denialText(hop: Hop, analysis: RequestAnalysis): string {
  const service = !hop.principal.startsWith('arn:');
  const reasons = getDenialReasons(analysis).flatMap((d): string[] => {
    if (d.denialType === 'Explicit') {
      const where =
        d.policyType === 'resource'
          ? (hop.resourcePolicy?.label ?? 'resource policy')
          : `${d.policyType === 'identity' ? '' : `${d.policyType} `}${d.policyIdentifier ?? ''}`.trim();
      return [`explicit deny ${statementName(d.statementId, d.statementIndex)} in ${where}`];
    }
    switch (d.policyType) {
      case 'identity': {
        // A service principal has no identity policies: only its resource policy counts.
        if (service) return [];
        const names = hop.identityPolicies.map((p) => p.label).join(', ') || 'no identity policy';
        return [`no statement in ${names} allows ${hop.action} on ${hop.resource}`];
      }
      case 'resource': {
        if (!hop.resourcePolicy) return [`there is no resource policy to allow ${hop.principal}`];
        const failed = failedConditions(analysis);
        const base = `${hop.resourcePolicy.label} has no statement allowing ${hop.principal} ${hop.action}`;
        return [failed.length > 0 ? `${base} (${failed.join('; ')})` : base];
      }
      case 'scp':
        return [`no service control policy allows ${hop.action}`];
      case 'pb':
        return [
          `${hop.permissionBoundary?.label ?? 'the permissions boundary'} does not allow ${hop.action}`,
        ];
      default:
        return [`${d.policyType} denies`];
    }
  });
  if (service && !hop.resourcePolicy && !reasons.some((r) => r.startsWith('explicit'))) {
    reasons.unshift(`there is no resource policy to allow ${hop.principal}`);
  }
  return [...new Set(reasons)].join('; ') || 'denied';
}

/** Evaluates one hop. `accountId` owns every resource of the configuration. */
export async function evaluateHop(hop: Hop, accountId: string): Promise<Verdict> {
  const failed = hop.expect === 'allowed' ? 'DENIED' : 'refused';
  if (hop.skippedBecause) return { hop, status: 'skipped', reason: hop.skippedBecause };
  if (hop.deniedBecause) return { hop, status: failed, reason: hop.deniedBecause };
  const policies = [
    ...hop.identityPolicies,
    ...(hop.resourcePolicy ? [hop.resourcePolicy] : []),
    ...(hop.permissionBoundary ? [hop.permissionBoundary] : []),
    ...(hop.serviceControlPolicies ?? []),
  ];
  const problems = policies.flatMap(policyProblems);
  if (hop.resource.startsWith(UNRESOLVED_PREFIX))
    problems.push(`the resource ${hop.resource} is unresolved`);
  if (problems.length > 0) return { hop, status: 'DENIED', reason: problems.join('; ') };

  const decide = (p: NamedPolicy) =>
    p.document ? decideEncryptionContext(p.document, hop.context) : p.document;
  const simulation: Simulation = {
    request: {
      principal: hop.principal,
      action: hop.action,
      resource: { resource: hop.resource, accountId },
      contextVariables: hop.context as Record<string, string | string[]>,
    },
    identityPolicies: hop.identityPolicies.map((p) => ({ name: p.label, policy: decide(p) })),
    serviceControlPolicies: hop.serviceControlPolicies
      ? [
          {
            orgIdentifier: 'the account',
            policies: hop.serviceControlPolicies.map((p) => ({
              name: p.label,
              policy: p.document,
            })),
          },
        ]
      : [],
    resourceControlPolicies: [],
    ...(hop.resourcePolicy ? { resourcePolicy: decide(hop.resourcePolicy) } : {}),
    ...(hop.permissionBoundary
      ? {
          permissionBoundaryPolicies: [
            { name: hop.permissionBoundary.label, policy: hop.permissionBoundary.document },
          ],
        }
      : {}),
  };
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    return {
      hop,
      status: 'DENIED',
      reason: `the evaluator rejected the request: ${JSON.stringify(result.errors)}`,
    };
  }
  const analysis =
    result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  if (result.overallResult === 'Allowed' && analysis) {
    const grants = grantText(hop, analysis);
    return hop.expect === 'allowed'
      ? { hop, status: 'allowed', reason: grants }
      : { hop, status: 'OPEN', reason: `must be refused, but ${grants} allows it` };
  }
  const why = analysis ? denialText(hop, analysis) : result.overallResult;
  return { hop, status: failed, reason: why };
}

/** Evaluates hops one after another (the evaluator is CPU-bound; this machine is shared). */
export async function evaluateHops(hops: readonly Hop[], accountId: string): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const hop of hops) out.push(await evaluateHop(hop, accountId));
  return out;
}

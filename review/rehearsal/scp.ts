/**
 * The rehearsal under an organisation's service control policies
 * (`npm run rehearse -- --scp FILE...`). SCPs commonly deny `iam:CreateUser`
 * or `iam:CreateLoginProfile`, and an SCP's deny wins over any grant of the
 * account's own, so a stack whose roles are right can still fail at deploy
 * (the deploy role's calls) or at the first welcome (the function's). Each
 * file is one policy as `aws organizations describe-policy --query
 * Policy.Content` exports it; all files are read as attached to the account.
 *
 * How the files count: SCPs only limit principals of the account (roles,
 * users), never AWS service principals, so only those hops get them. When no
 * file has an Allow statement (a set of denies, the usual export), AWS's
 * default FullAWSAccess is assumed beside them, as Organizations attaches it
 * to every account; when some file allows, the files are the whole set (an
 * allow-list strategy) and whatever none of them allows is denied. One level
 * (the account) is evaluated: an OU's SCPs exported with it count as if
 * attached to the account, which is the same for a deny and stricter for an
 * allow.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { NamedPolicy } from './graph';
import type { Hop } from './hops';
import { providerRequests, type SynthesizedConfig } from './provider-coverage';
import { PHASES } from './provider-calls';
import type { PolicyDocument } from './resolve';
import { DEPLOY_ROLE_NAME, FULL_AWS_ACCESS, shipped } from './tagging-guard';

/** A file given to `--scp` that is not a policy; the message is the one line printed. */
export class ScpFileError extends Error {}

const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

function asList(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Reads one exported SCP; a file that is none is one line naming the file and what is wrong. */
export function loadScp(file: string): NamedPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScpFileError(
      `${file}: cannot read the SCP file (${code === 'ENOENT' ? 'file not found' : (code ?? 'unreadable')})`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ScpFileError(`${file}: is not JSON (${(err as Error).message})`);
  }
  const where = (i: number, what: string) =>
    new ScpFileError(
      `${file}: Statement[${i}] ${what}; an SCP's statements need Effect and Action or NotAction`,
    );
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('Statement' in doc))
    throw new ScpFileError(
      `${file}: is not a policy document (an object with "Statement"); export the policy's content, e.g. aws organizations describe-policy --policy-id ID --query Policy.Content --output text`,
    );
  const statements = asList(doc.Statement);
  if (statements.length === 0) throw new ScpFileError(`${file}: has no statements`);
  statements.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) throw where(i, 'is not an object');
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      throw where(i, `has Effect ${JSON.stringify(st.Effect)}, not "Allow" or "Deny"`);
    const actions = asList(st.Action ?? st.NotAction);
    if (actions.length === 0) throw where(i, 'has no Action or NotAction');
    const bad = actions.find((a) => typeof a !== 'string' || !ACTION.test(a));
    if (bad !== undefined)
      throw where(i, `has an action ${JSON.stringify(bad)} that is not service:Action`);
  });
  return { label: `SCP ${basename(file)}`, document: doc as PolicyDocument, unresolved: [] };
}

/** Whether any statement of the policy allows: then the files are the whole set. */
function allows(p: NamedPolicy): boolean {
  return asList(p.document?.Statement).some(
    (s) => (s as { Effect?: unknown } | null)?.Effect === 'Allow',
  );
}

/** The SCPs every hop of an account principal is judged under. */
export function scpSet(scps: readonly NamedPolicy[]): NamedPolicy[] {
  return scps.some(allows)
    ? [...scps]
    : [
        { label: 'SCP FullAWSAccess (assumed)', document: FULL_AWS_ACCESS, unresolved: [] },
        ...scps,
      ];
}

/** Whether SCPs apply to the hop's principal: a role session or user of the account, no service. */
export function underScps(hop: Hop, accountId: string): boolean {
  return (
    hop.principal.startsWith(`arn:aws:sts::${accountId}:`) ||
    hop.principal.startsWith(`arn:aws:iam::${accountId}:`)
  );
}

/** The hops with the SCPs added to every account principal's (beside any they had). */
export function withScps(
  hops: readonly Hop[],
  accountId: string,
  scps: readonly NamedPolicy[],
): Hop[] {
  const set = scpSet(scps);
  return hops.map((hop) => {
    if (!underScps(hop, accountId)) return hop;
    // The tagging guard's hops assume FullAWSAccess already: keep theirs, add the files.
    const own = hop.serviceControlPolicies ?? [];
    const merged = own.length > 0 ? [...own, ...scps] : set;
    return { ...hop, serviceControlPolicies: merged };
  });
}

/**
 * The deploy role's calls: every request the AWS provider makes to create,
 * read, update and delete the configuration's resources
 * (provider-coverage.ts), as the role with its shipped policy
 * (docs/roles/deploy-policy.json) makes them; each distinct request once.
 */
export async function deployRoleHops(config: SynthesizedConfig, accountId: string): Promise<Hop[]> {
  const policy = shipped('deploy-policy.json', accountId, 'deploy-policy.json');
  const roleArn = `arn:aws:iam::${accountId}:role/${DEPLOY_ROLE_NAME}`;
  const seen = new Set<string>();
  const hops: Hop[] = [];
  for (const phase of PHASES) {
    const { requests } = await providerRequests(config, phase, { accountId });
    for (const r of requests) {
      const key = JSON.stringify([r.action, r.resource, r.context]);
      if (seen.has(key) || r.resource.startsWith('unresolved:')) continue;
      seen.add(key);
      hops.push({
        name: `role ${DEPLOY_ROLE_NAME} (terraform ${phase} ${r.address}) -> ${r.resource}: ${r.action}`,
        principal: `arn:aws:sts::${accountId}:assumed-role/${DEPLOY_ROLE_NAME}/terraform`,
        action: r.action,
        resource: r.resource,
        context: { ...r.context, 'aws:PrincipalArn': roleArn },
        identityPolicies: [policy],
        ...(r.resourcePolicy
          ? {
              resourcePolicy: {
                label: `key policy of ${r.resource}`,
                document: r.resourcePolicy,
                unresolved: [],
              },
            }
          : {}),
        expect: 'allowed',
      });
    }
  }
  return hops;
}

/** Whether a verdict's reason names one of the given SCPs (or no SCP allowing the call). */
export function deniedByScp(reason: string, scps: readonly NamedPolicy[]): boolean {
  return (
    reason.includes('no service control policy allows') ||
    scps.some((p) => reason.includes(`in scp ${p.label}`))
  );
}

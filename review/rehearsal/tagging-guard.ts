/**
 * The guard on the tags that steer a resend (docs/design.md,
 * "Whoever may tag a user must not get their password"): with the service control policy
 * docs/roles/deny-tagging-managed-users.json attached, only the deploy role
 * may set or remove a managed user's `email`, `resend-welcome` and
 * `resend-after-sign-in`, however broad anyone else's IAM grant. Each request
 * is a hop: the deploy role (its shipped policy) must be allowed; another
 * principal whose policy allows iam:TagUser on every managed user must be
 * refused those keys, and still allowed any other tag (the SCP is no wider
 * than the threat).
 *
 * The policies are the shipped files with the example account replaced, as
 * docs/review-and-delivery.md has them installed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACCESS_UNTIL_TAG_KEY,
  EMAIL_TAG_KEY,
  MANAGED_USER_PATH,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  SUSPENDED_TAG_KEY,
  DELIVERY_CHANNEL_TAG_KEY,
} from '../../shared/contract';
import type { NamedPolicy } from './graph';
import type { PolicyDocument } from './resolve';
import type { Hop } from './hops';

/** The example account the files in docs/roles are written for. */
const EXAMPLE_ACCOUNT = '123456789012';
const ROLES_DIR = join(__dirname, '..', '..', 'docs', 'roles');
export const TAGGING_GUARD_FILE = 'deny-tagging-managed-users.json';
/** The deploy role's name as docs/review-and-delivery.md creates it. */
export const DEPLOY_ROLE_NAME = 'iam-onboarding-deploy';

/**
 * The keys only the deploy role may write or remove: the address and the
 * resend requests, and the suspension and end date, whose TagUser/UntagUser
 * makes the function suspend or reinstate (and email a new password), and
 * the delivery channel, which decides whether the password goes by Slack.
 */
export const GUARDED_TAG_KEYS = [
  EMAIL_TAG_KEY,
  RESEND_TAG_KEY,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  SUSPENDED_TAG_KEY,
  ACCESS_UNTIL_TAG_KEY,
  DELIVERY_CHANNEL_TAG_KEY,
];

/** AWS Organizations attaches FullAWSAccess to every account unless someone removed it. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** A policy file of docs/roles, with the example account replaced by `accountId`. */
export function shipped(file: string, accountId: string, label: string): NamedPolicy {
  const text = readFileSync(join(ROLES_DIR, file), 'utf8').replaceAll(EXAMPLE_ACCOUNT, accountId);
  return { label, document: JSON.parse(text) as PolicyDocument, unresolved: [] };
}

interface Caller {
  readonly label: string;
  readonly roleArn: string;
  readonly sessionArn: string;
  readonly policies: readonly NamedPolicy[];
  readonly deploy: boolean;
}

/**
 * The hops; `scp` replaces the shipped guard (tests prove the hops fail
 * without it). `scp: null` evaluates without any SCP but FullAWSAccess.
 */
export function taggingGuardHops(accountId: string, scp?: NamedPolicy | null): Hop[] {
  const guard =
    scp === undefined ? shipped(TAGGING_GUARD_FILE, accountId, `SCP ${TAGGING_GUARD_FILE}`) : scp;
  const scps: NamedPolicy[] = [
    { label: 'SCP FullAWSAccess', document: FULL_AWS_ACCESS, unresolved: [] },
    ...(guard ? [guard] : []),
  ];
  const role = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  const session = (name: string) => `arn:aws:sts::${accountId}:assumed-role/${name}/session`;
  const users = `arn:aws:iam::${accountId}:user${MANAGED_USER_PATH}*`;
  const callers: Caller[] = [
    {
      label: `role ${DEPLOY_ROLE_NAME}`,
      roleArn: role(DEPLOY_ROLE_NAME),
      sessionArn: session(DEPLOY_ROLE_NAME),
      policies: [shipped('deploy-policy.json', accountId, 'deploy-policy.json')],
      deploy: true,
    },
    {
      // Anyone else the account lets tag managed users: an operator, a CI
      // job, a compromised workload.
      label: 'role another-tagger (iam:TagUser on every managed user)',
      roleArn: role('another-tagger'),
      sessionArn: session('another-tagger'),
      policies: [
        {
          label: 'identity policy TagManagedUsers',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'TagManagedUsers',
                Effect: 'Allow',
                Action: ['iam:TagUser', 'iam:UntagUser'],
                Resource: users,
              },
            ],
          },
          unresolved: [],
        },
      ],
      deploy: false,
    },
  ];
  const user = `arn:aws:iam::${accountId}:user${MANAGED_USER_PATH}new.person`;
  const requests: { action: string; keys: string[]; guarded: boolean }[] = [
    ...GUARDED_TAG_KEYS.map((key) => ({ action: 'iam:TagUser', keys: [key], guarded: true })),
    // The attack in one call: a new address and a raised counter.
    { action: 'iam:TagUser', keys: [EMAIL_TAG_KEY, RESEND_TAG_KEY], guarded: true },
    // IAM tag keys are unique ignoring case.
    { action: 'iam:TagUser', keys: ['Email'], guarded: true },
    ...GUARDED_TAG_KEYS.map((key) => ({ action: 'iam:UntagUser', keys: [key], guarded: true })),
    { action: 'iam:TagUser', keys: ['team'], guarded: false },
  ];
  return callers.flatMap((caller) =>
    requests.map((req): Hop => ({
      name: `${caller.label} -> user ${MANAGED_USER_PATH}new.person: ${req.action} ${req.keys.join(', ')}`,
      principal: caller.sessionArn,
      action: req.action,
      resource: user,
      // For a role session AWS sets aws:PrincipalArn to the role's ARN;
      // the evaluator does not derive it from the session ARN.
      context: { 'aws:TagKeys': req.keys, 'aws:PrincipalArn': caller.roleArn },
      identityPolicies: caller.policies,
      serviceControlPolicies: scps,
      expect: caller.deploy || !req.guarded ? 'allowed' : 'refused',
    })),
  );
}

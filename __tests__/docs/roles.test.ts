/**
 * The plan and deploy roles' policies as shipped in docs/roles/: plain IAM
 * policy JSON the bootstrap commands read (`file://docs/roles/...`). Each
 * must parse, be a well-formed policy with a Sid per statement, and name no
 * action twice. A few decisions are then checked with the IAM evaluator
 * (@cloud-copilot/iam-simulate): the deploy role can do what the stack's
 * removals and new parts need, not what it dropped, and touches only the
 * stack's key and never the audit logs.
 */
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const ACCOUNT = '123456789012';
const read = (name: string): unknown => JSON.parse(readFileSync(`docs/roles/${name}`, 'utf8'));

interface Statement {
  Sid?: unknown;
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** What is wrong with a policy document; `kind` says whether statements name resources or principals. */
function problems(doc: unknown, kind: 'identity' | 'trust'): string[] {
  const out: string[] = [];
  const d = doc as { Version?: unknown; Statement?: unknown };
  if (d.Version !== '2012-10-17') out.push(`Version is ${JSON.stringify(d.Version)}`);
  if (!Array.isArray(d.Statement) || d.Statement.length === 0) return [...out, 'no Statement list'];
  const sids = new Set<string>();
  const actions = new Set<string>();
  for (const [i, s] of (d.Statement as Statement[]).entries()) {
    const at = `statement ${typeof s.Sid === 'string' ? s.Sid : `#${i}`}`;
    const allowed = [
      'Sid',
      'Effect',
      'Action',
      'Condition',
      kind === 'trust' ? 'Principal' : 'Resource',
    ];
    for (const k of Object.keys(s)) if (!allowed.includes(k)) out.push(`${at}: unexpected ${k}`);
    if (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]+$/.test(s.Sid))
      out.push(`${at}: Sid missing or not alphanumeric`);
    else if (sids.has(s.Sid)) out.push(`${at}: Sid used twice`);
    else sids.add(s.Sid);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      out.push(`${at}: Effect ${JSON.stringify(s.Effect)}`);
    const acts = list(s.Action);
    if (acts.length === 0) out.push(`${at}: no Action`);
    for (const a of acts) {
      if (typeof a !== 'string' || !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a))
        out.push(`${at}: action ${JSON.stringify(a)}`);
      else if (actions.has(a.toLowerCase())) out.push(`${at}: action ${a} named twice`);
      else actions.add(a.toLowerCase());
    }
    if (kind === 'identity') {
      const res = list(s.Resource);
      if (res.length === 0) out.push(`${at}: no Resource`);
      for (const r of res)
        if (typeof r !== 'string' || !(r === '*' || /^arn:aws:[a-z0-9-]+:/.test(r)))
          out.push(`${at}: resource ${JSON.stringify(r)}`);
    } else if (!s.Principal || typeof s.Principal !== 'object') out.push(`${at}: no Principal`);
    if (s.Condition !== undefined && (typeof s.Condition !== 'object' || s.Condition === null))
      out.push(`${at}: Condition is not an object`);
  }
  return out;
}

describe('docs/roles', () => {
  it.each([
    ['plan-policy.json', 'identity'],
    ['deploy-policy.json', 'identity'],
    ['plan-trust.json', 'trust'],
    ['deploy-trust.json', 'trust'],
    ['deny-tagging-managed-users.json', 'identity'],
  ] as const)('%s parses, is a valid policy, and names no action twice', (file, kind) => {
    expect(problems(read(file), kind)).toEqual([]);
  });

  it('the check itself catches a repeated action, a missing Sid and a missing Resource', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: ['sqs:CreateQueue'], Resource: '*' },
        { Effect: 'Allow', Action: 'sqs:createqueue', Resource: '*' },
        { Sid: 'C', Effect: 'Allow', Action: 'sqs:DeleteQueue' },
      ],
    };
    expect(problems(doc, 'identity')).toEqual([
      'statement #1: Sid missing or not alphanumeric',
      'statement #1: action sqs:createqueue named twice',
      'statement C: no Resource',
    ]);
  });

  it('the bootstrap commands read these files, and the guide embeds no policy JSON', () => {
    const guide = readFileSync('docs/review-and-delivery.md', 'utf8');
    for (const file of [
      'plan-trust',
      'plan-policy',
      'deploy-trust',
      'deploy-policy',
      'deny-tagging-managed-users',
    ])
      expect(guide).toContain(`file://docs/roles/${file}.json`);
    expect(guide).not.toMatch(/"Statement"\s*:/);
  });
});

// --- what the deploy role may do ---------------------------------------------

const deploy = read('deploy-policy.json');
/** The stack's key policy delegates to IAM (stacks/pipeline-key.ts), as KMS requires. */
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

async function decide(
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/iam-onboarding-deploy`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [{ name: 'deploy', policy: deploy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith('kms:') && resource !== '*' ? { resourcePolicy: KEY_POLICY } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  if (result.resultType !== 'single') throw new Error(`unexpected ${result.resultType}`);
  return result.overallResult;
}

const USER = `arn:aws:iam::${ACCOUNT}:user/iam-onboarding/alice.martin`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:iam-onboarding-welcome`;
const MAPPING = `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:fa123456-14a1-4fd2-9fec-83de64ad683d`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:iam-onboarding-welcome-queue`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TRAIL_BUCKET = `arn:aws:s3:::iam-onboarding-trail-${ACCOUNT}`;
const STACK_TAG = { 'aws:ResourceTag/managed-by': 'iam-onboarding' };

describe('the deploy role', () => {
  it.each([
    // Removing a person with force_destroy (the provider's user delete).
    ['iam:ListGroupsForUser', USER],
    ['iam:RemoveUserFromGroup', `arn:aws:iam::${ACCOUNT}:group/iam-onboarding/developers`],
    ['iam:RemoveUserFromGroup', `arn:aws:iam::${ACCOUNT}:group/added-by-hand`],
    ['iam:ListVirtualMFADevices', '*'],
    ['iam:DeactivateMFADevice', USER],
    ['iam:DeleteVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`],
    ['iam:ListMFADevices', USER],
    ['iam:DeleteLoginProfile', USER],
    ['iam:ListAccessKeys', USER],
    ['iam:DeleteAccessKey', USER],
    ['iam:ListSSHPublicKeys', USER],
    ['iam:ListSigningCertificates', USER],
    ['iam:ListServiceSpecificCredentials', USER],
    ['iam:ListUserPolicies', USER],
    ['iam:DeleteUserPolicy', USER],
    ['iam:ListAttachedUserPolicies', USER],
    ['iam:DetachUserPolicy', USER],
    ['iam:DeleteUser', USER],
    // Removing a group: its attachments, then the group.
    ['iam:DetachGroupPolicy', `arn:aws:iam::${ACCOUNT}:group/iam-onboarding/auditors`],
    ['iam:DeleteGroup', `arn:aws:iam::${ACCOUNT}:group/iam-onboarding/auditors`],
    // Opt-in reserved concurrency, the queue and its mapping.
    ['lambda:PutFunctionConcurrency', FUNCTION],
    ['lambda:DeleteFunctionConcurrency', FUNCTION],
    ['lambda:ListEventSourceMappings', '*'],
    ['lambda:GetEventSourceMapping', MAPPING],
    ['lambda:UpdateEventSourceMapping', MAPPING],
    ['lambda:DeleteEventSourceMapping', MAPPING],
    ['sqs:CreateQueue', QUEUE],
    ['sqs:SetQueueAttributes', QUEUE],
    ['sqs:TagQueue', QUEUE],
    ['sqs:DeleteQueue', QUEUE],
    // The hosted-zone check's data source.
    ['route53:ListHostedZones', '*'],
    ['route53:ListTagsForResource', 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'],
  ])('may %s on %s', async (action, resource) => {
    expect(await decide(action, resource)).toBe('Allowed');
  });

  it('may map a queue to the welcome function only', async () => {
    const create = (fn: string) =>
      decide('lambda:CreateEventSourceMapping', '*', { 'lambda:FunctionArn': fn });
    expect(await create(FUNCTION)).toBe('Allowed');
    expect(await create(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:someone-else`)).not.toBe(
      'Allowed',
    );
  });

  it.each([
    ['lambda:AddPermission', FUNCTION],
    ['lambda:RemovePermission', FUNCTION],
    ['lambda:GetPolicy', FUNCTION],
    ['lambda:PutFunctionEventInvokeConfig', FUNCTION],
    ['lambda:UpdateFunctionEventInvokeConfig', FUNCTION],
    ['lambda:DeleteFunctionEventInvokeConfig', FUNCTION],
    ['lambda:GetFunctionEventInvokeConfig', FUNCTION],
  ])('no longer has %s (the stack has no such resource)', async (action, resource) => {
    expect(await decide(action, resource)).not.toBe('Allowed');
  });

  it('creates keys only with the stack tag, and changes or deletes only keys that carry it', async () => {
    const createTags = {
      'aws:RequestTag/managed-by': 'iam-onboarding',
      'aws:TagKeys': ['managed-by'],
    };
    expect(await decide('kms:CreateKey', '*', createTags)).toBe('Allowed');
    expect(await decide('kms:CreateKey', '*')).not.toBe('Allowed');
    expect(await decide('kms:TagResource', KEY, createTags)).toBe('Allowed');
    expect(
      await decide('kms:TagResource', KEY, {
        'aws:RequestTag/owner': 'someone',
        'aws:TagKeys': ['owner'],
      }),
    ).not.toBe('Allowed');
    for (const action of [
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:DisableKeyRotation',
    ]) {
      expect(await decide(action, KEY, STACK_TAG)).toBe('Allowed');
      expect(await decide(action, KEY)).not.toBe('Allowed');
      expect(await decide(action, KEY, { 'aws:ResourceTag/managed-by': 'someone-else' })).not.toBe(
        'Allowed',
      );
    }
    // Right after CreateKey the tag may not yet count for authorization: rotation goes on anyway.
    expect(await decide('kms:EnableKeyRotation', KEY)).toBe('Allowed');
    // Creating the encrypted queue and topic: the key is used through SQS and SNS only.
    expect(
      await decide('kms:GenerateDataKey', KEY, { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' }),
    ).toBe('Allowed');
    expect(
      await decide('kms:Decrypt', KEY, { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' }),
    ).toBe('Allowed');
    expect(await decide('kms:Decrypt', KEY)).not.toBe('Allowed');
  });

  it.each([
    ['s3:DeleteBucket', TRAIL_BUCKET],
    ['s3:DeleteBucketPolicy', TRAIL_BUCKET],
    ['s3:PutLifecycleConfiguration', TRAIL_BUCKET],
    ['s3:DeleteObjectVersion', `${TRAIL_BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/log.json.gz`],
  ])('never deletes the audit logs: %s is denied outright', async (action, resource) => {
    expect(await decide(action, resource)).toBe('ExplicitlyDenied');
  });
});

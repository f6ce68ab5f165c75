/**
 * The "AWS API Call via CloudTrail" events the harness stands in for
 * (moto records none), shaped as CloudTrail records them. Pure.
 */
import { randomUUID } from 'node:crypto';

/** An EventBridge event as a rule's target receives it. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** The role the apply runs as when the settings name none (then no caller is the deploy role). */
const UNNAMED_DEPLOY_ROLE = 'iam-onboarding-deploy';

/**
 * `userIdentity` as CloudTrail records a call made through an assumed role:
 * the session's ARN, and the role's own IAM ARN in
 * `sessionContext.sessionIssuer` (what the function compares with its
 * DEPLOY_ROLE_ARN). The apply is the deploy: it runs as `roleArn`.
 */
export function assumedRoleIdentity(account: string, roleArn?: string) {
  const role = roleArn ?? `arn:aws:iam::${account}:role/${UNNAMED_DEPLOY_ROLE}`;
  const roleName = role.split('/').pop()!;
  return {
    type: 'AssumedRole',
    principalId: 'AROAEMULATORDEPLOY:terraform',
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/terraform`,
    accountId: account,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEMULATORDEPLOY',
        arn: role,
        accountId: account,
        userName: roleName,
      },
      attributes: { creationDate: new Date().toISOString(), mfaAuthenticated: 'false' },
    },
  };
}

export function cloudTrailEvent(
  account: string,
  eventName: string,
  requestParameters: unknown,
  responseElements: unknown,
  callerRoleArn?: string,
): BusEvent {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account,
    time: now,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: assumedRoleIdentity(account, callerRoleArn),
      eventTime: now,
      eventSource: 'iam.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent: 'terraform',
      requestParameters,
      responseElements,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}

/** The TagUser event CloudTrail records for tags written on a user by the role `callerRoleArn`. */
export function tagUserEventFor(
  account: string,
  userName: string,
  tags: readonly { readonly key: string; readonly value: string }[],
  callerRoleArn?: string,
): BusEvent {
  return cloudTrailEvent(account, 'TagUser', { userName, tags }, null, callerRoleArn);
}

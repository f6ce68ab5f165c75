/**
 * Issue 17: who may have a resend served, and where (core/resend.ts
 * judgeResendAuthority); who CloudTrail says called TagUser
 * (core/resend-event.ts); and the deploy role's setting (core/config.ts).
 */
import { FunctionEnvironmentError, readConfig } from '../../../../handlers/welcome/core/config';
import { readRecord } from '../../../../handlers/welcome/core/request';
import {
  isDeployRole,
  judgeResendAuthority,
  type ResendAuthorityFacts,
} from '../../../../handlers/welcome/core/resend';
import { RESEND_TAG_KEY } from '../../../../shared/contract';
import {
  ACCOUNT_ID,
  DEPLOY_ROLE_ARN,
  sqsEvent,
  tagUserEvent,
  welcomeEnv,
} from '../../../support/welcome-events';

const facts = (over: Partial<ResendAuthorityFacts>): ResendAuthorityFacts => ({
  byDeployRole: false,
  to: 'ann@example.com',
  lastSentTo: 'ann@example.com',
  replacesPasswordInUse: false,
  afterSignInAsked: false,
  ...over,
});

describe('judgeResendAuthority', () => {
  it('anyone: only to the last address, only for a password not in use', () => {
    expect(judgeResendAuthority(facts({}))).toEqual({ kind: 'serve' });
    expect(judgeResendAuthority(facts({ to: 'mallory@evil.example' }))).toMatchObject({
      kind: 'hold',
      reason: 'resend-address-unattributed',
    });
    expect(judgeResendAuthority(facts({ lastSentTo: undefined }))).toMatchObject({
      kind: 'hold',
      reason: 'resend-address-unattributed',
      detail: expect.stringContaining('no address is recorded'),
    });
    expect(judgeResendAuthority(facts({ replacesPasswordInUse: true }))).toMatchObject({
      kind: 'hold',
      reason: 'resend-signed-in',
    });
    // The roster's ask is a tag anyone with TagUser could write: it counts only for the deploy role.
    expect(
      judgeResendAuthority(facts({ replacesPasswordInUse: true, afterSignInAsked: true })),
    ).toMatchObject({ kind: 'hold', reason: 'resend-signed-in' });
  });

  it('an address that differs only in case is another address to anyone but the deploy role', () => {
    expect(judgeResendAuthority(facts({ to: 'Ann@example.com' })).kind).toBe('hold');
  });

  it('the deploy role: any address (naming the previous one), a password in use only when asked', () => {
    const deploy = { byDeployRole: true };
    expect(judgeResendAuthority(facts({ ...deploy }))).toEqual({ kind: 'serve' });
    expect(judgeResendAuthority(facts({ ...deploy, to: 'ann@new.example' }))).toEqual({
      kind: 'serve',
      previousAddress: 'ann@example.com',
    });
    expect(judgeResendAuthority(facts({ ...deploy, lastSentTo: undefined }))).toEqual({
      kind: 'serve',
    });
    expect(judgeResendAuthority(facts({ ...deploy, replacesPasswordInUse: true }))).toMatchObject({
      kind: 'hold',
      reason: 'resend-signed-in',
    });
    expect(
      judgeResendAuthority(
        facts({ ...deploy, replacesPasswordInUse: true, afterSignInAsked: true }),
      ),
    ).toEqual({ kind: 'serve' });
  });

  it('isDeployRole: never without a configured role or a named caller', () => {
    expect(isDeployRole(DEPLOY_ROLE_ARN, DEPLOY_ROLE_ARN)).toBe(true);
    expect(isDeployRole(undefined, DEPLOY_ROLE_ARN)).toBe(false);
    expect(isDeployRole(DEPLOY_ROLE_ARN, undefined)).toBe(false);
    expect(isDeployRole(undefined, undefined)).toBe(false);
    expect(isDeployRole(`${DEPLOY_ROLE_ARN}-2`, DEPLOY_ROLE_ARN)).toBe(false);
  });
});

describe('the caller of a TagUser event', () => {
  const callerOf = (event: Record<string, unknown>) => {
    const { request } = readRecord(sqsEvent(event).Records[0]);
    return request.kind === 'resend' ? request.event.caller : 'not a resend';
  };
  const tags = [{ key: RESEND_TAG_KEY, value: '2' }];

  it("is an assumed role's issuing role, not the session (whose name the caller picks)", () => {
    expect(callerOf(tagUserEvent({ userName: 'ann', tags }))).toBe(DEPLOY_ROLE_ARN);
    const other = `arn:aws:iam::${ACCOUNT_ID}:role/ops`;
    expect(
      callerOf(
        tagUserEvent({
          userName: 'ann',
          tags,
          issuerArn: other,
          callerArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/iam-onboarding-deploy/ci`,
        }),
      ),
    ).toBe(other);
  });

  it("is an IAM user's own ARN", () => {
    const user = `arn:aws:iam::${ACCOUNT_ID}:user/ops`;
    expect(
      callerOf(tagUserEvent({ userName: 'ann', tags, issuerArn: null, callerArn: user })),
    ).toBe(user);
  });

  it('is nobody when the record names nobody, or in a shape not recognised', () => {
    const event = tagUserEvent({ userName: 'ann', tags });
    const detail = event.detail as Record<string, unknown>;
    expect(callerOf({ ...event, detail: { ...detail, userIdentity: undefined } })).toBeUndefined();
    expect(callerOf({ ...event, detail: { ...detail, userIdentity: 'root' } })).toBeUndefined();
    expect(
      callerOf({ ...event, detail: { ...detail, userIdentity: { type: 'AssumedRole' } } }),
    ).toBeUndefined();
  });
});

describe('DEPLOY_ROLE_ARN', () => {
  it('is read when set, and absent otherwise', () => {
    expect(readConfig(welcomeEnv()).deployRoleArn).toBe(DEPLOY_ROLE_ARN);
    expect(readConfig(welcomeEnv({ DEPLOY_ROLE_ARN: undefined })).deployRoleArn).toBeUndefined();
    expect(readConfig(welcomeEnv({ DEPLOY_ROLE_ARN: '  ' })).deployRoleArn).toBeUndefined();
  });

  it.each([
    `arn:aws:sts::${ACCOUNT_ID}:assumed-role/iam-onboarding-deploy/ci`,
    'iam-onboarding-deploy',
  ])('refuses a value that is no role ARN, without echoing it: %s', (value) => {
    const run = () => readConfig(welcomeEnv({ DEPLOY_ROLE_ARN: value }));
    expect(run).toThrow(FunctionEnvironmentError);
    expect(run).toThrow('DEPLOY_ROLE_ARN is not an IAM role ARN');
  });
});

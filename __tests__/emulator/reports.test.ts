/**
 * The harness's pieces that `npm run local` reports with, in process: the
 * CloudTrail caller it puts on the events the apply causes (read by the
 * function's own parser), and the reason it prints for a resend the
 * function did not serve (read from the function's log lines).
 */
import { tagUserEventFor } from '../../emulator/cloudtrail';
import { recordEnds, unservedWhy, type RecordEnd } from '../../emulator/function-log';
import { readRecord } from '../../handlers/welcome/core/request';
import { isDeployRole } from '../../handlers/welcome/core/resend';
import { sqsEvent } from '../support/welcome-events';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ci/iam-onboarding-deploy`;

function callerOf(roleArn?: string): string | undefined {
  const e = tagUserEventFor(ACCOUNT, 'bo.chen', [{ key: 'resend-welcome', value: '2' }], roleArn);
  const c = readRecord(sqsEvent({ ...e }).Records[0]).request;
  if (c.kind !== 'resend') throw new Error(`not classified as a resend: ${JSON.stringify(c)}`);
  return c.event.caller;
}

describe("the harness's TagUser event", () => {
  it("names the configured deploy role as CloudTrail does (the session issuer), so the function attributes the apply's raise", () => {
    expect(callerOf(ROLE)).toBe(ROLE);
    expect(isDeployRole(callerOf(ROLE), ROLE)).toBe(true);
  });

  it('names some other role when the settings name none, which is never the deploy role', () => {
    const caller = callerOf(undefined);
    expect(caller).toMatch(/^arn:aws:iam::123456789012:role\//);
    expect(isDeployRole(caller, ROLE)).toBe(false);
    expect(isDeployRole(caller, undefined)).toBe(false);
  });
});

const line = (o: Record<string, unknown>) => JSON.stringify({ level: 'INFO', ...o });
const batch = (logs: string) => ({ invocation: { logs } });

describe('recordEnds', () => {
  it("keeps each record's end with its reason, and ignores other lines, warnings and bad JSON", () => {
    const logs = [
      line({ message: 'step done', userName: 'bo.chen', step: 'decide', outcome: 'resend-due' }),
      '(node:1) Warning: something the SDK prints',
      'null',
      line({
        message: 'event deferred',
        userName: 'bo.chen',
        outcome: 'deferred',
        step: 'check-existing-profile',
        errorName: 'ResendInFlight',
      }),
      line({ message: 'event done', eventId: 'reconcile-request', outcome: 'reconciled' }),
      line({
        message: 'event skipped',
        userName: 'bo.chen',
        outcome: 'skipped',
        reason: 'resend-address-unattributed',
        detail: 'no address is recorded',
      }),
    ].join('\n');
    expect(recordEnds([batch(logs)])).toEqual([
      {
        userName: 'bo.chen',
        outcome: 'deferred',
        step: 'check-existing-profile',
        errorName: 'ResendInFlight',
      },
      {
        userName: 'bo.chen',
        outcome: 'skipped',
        reason: 'resend-address-unattributed',
        detail: 'no address is recorded',
      },
    ]);
  });
});

describe('unservedWhy', () => {
  const deferred: RecordEnd = {
    userName: 'bo.chen',
    outcome: 'deferred',
    step: 'check-existing-profile',
    errorName: 'ResendInFlight',
  };

  it('says nothing for a resend served, even after a deferral', () => {
    expect(unservedWhy('bo.chen', [deferred, { userName: 'bo.chen', outcome: 'resent' }], [])).toBe(
      undefined,
    );
  });

  it("says held, with the function's reason and detail", () => {
    const held: RecordEnd = {
      userName: 'bo.chen',
      outcome: 'skipped',
      reason: 'resend-signed-in',
      detail: 'the person has signed in with their password',
    };
    expect(unservedWhy('bo.chen', [held], [])).toBe(
      'held (resend-signed-in): the person has signed in with their password',
    );
  });

  it('says skipped for a skip that is not a hold', () => {
    const served: RecordEnd = {
      userName: 'bo.chen',
      outcome: 'skipped',
      reason: 'resend-already-served',
      detail: 'tag resend-welcome is 1 and 1 was served already',
    };
    expect(unservedWhy('bo.chen', [served], [])).toMatch(/^skipped \(resend-already-served\): /);
  });

  it('says still deferred when the last delivery deferred it', () => {
    expect(unservedWhy('bo.chen', [deferred], [])).toBe(
      'still deferred at check-existing-profile (ResendInFlight); it stays on the queue',
    );
  });

  it('says when the rule did not match, or the function logged nothing, and never confuses people', () => {
    expect(unservedWhy('bo.chen', [], ['bo.chen'])).toBe(
      "the rule's pattern did not match its TagUser event",
    );
    expect(unservedWhy('bo.chen', [{ ...deferred, userName: 'alice.martin' }], [])).toBe(
      'the function logged no outcome for it',
    );
  });
});

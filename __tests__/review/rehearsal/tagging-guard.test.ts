/**
 * Issue 17: the shipped SCP (docs/roles/deny-tagging-managed-users.json)
 * leaves the tags that steer a resend to the deploy role alone. Judged by
 * the IAM evaluator, as the rehearsal does: a principal whose own policy
 * allows iam:TagUser on every managed user is refused `email`,
 * `resend-welcome`, `resend-after-sign-in`, `suspended`, `access-until` and
 * `delivery-channel`
 * (set or removed, any case),
 * and still allowed other tags; the deploy role, with its shipped policy,
 * is allowed all of them.
 */
import { readFileSync } from 'node:fs';
import { evaluateHops } from '../../../review/rehearsal/evaluate';
import {
  DEPLOY_ROLE_NAME,
  TAGGING_GUARD_FILE,
  taggingGuardHops,
} from '../../../review/rehearsal/tagging-guard';
import type { PolicyDocument } from '../../../review/rehearsal/resolve';

const ACCOUNT = '111122223333';
const byStatus = async (hops: ReturnType<typeof taggingGuardHops>) => {
  const verdicts = await evaluateHops(hops, ACCOUNT);
  const of = (status: string) => verdicts.filter((v) => v.status === status).map((v) => v.hop.name);
  return { verdicts, of };
};

describe('the SCP on the tags that steer a resend', () => {
  it('refuses everyone but the deploy role, and only those tags', async () => {
    const { verdicts, of } = await byStatus(taggingGuardHops(ACCOUNT));
    expect(of('DENIED')).toEqual([]);
    expect(of('OPEN')).toEqual([]);
    const refused = of('refused');
    expect(refused).toHaveLength(14);
    expect(refused.every((name) => name.startsWith('role another-tagger'))).toBe(true);
    expect(refused).toContain(
      'role another-tagger (iam:TagUser on every managed user) -> user /iam-onboarding/new.person: iam:TagUser email, resend-welcome',
    );
    for (const v of verdicts.filter((x) => x.status === 'refused'))
      expect(v.reason).toContain('explicit deny OnlyTheDeployRoleSetsAddressResendAndAccess');
    const allowed = of('allowed');
    expect(allowed.filter((n) => n.startsWith(`role ${DEPLOY_ROLE_NAME} `))).toHaveLength(15);
    expect(allowed).toContain(
      'role another-tagger (iam:TagUser on every managed user) -> user /iam-onboarding/new.person: iam:TagUser team',
    );
  });

  it('without it, the other principal may rewrite the address and raise the counter', async () => {
    const { of } = await byStatus(taggingGuardHops(ACCOUNT, null));
    expect(of('OPEN')).toHaveLength(14);
  });

  it('names the deploy role by its ARN: an SCP exempting another role refuses the deploy', async () => {
    const text = readFileSync(`docs/roles/${TAGGING_GUARD_FILE}`, 'utf8')
      .replaceAll('123456789012', ACCOUNT)
      .replace(`role/${DEPLOY_ROLE_NAME}`, 'role/some-other-role');
    const scp = {
      label: 'SCP exempting another role',
      document: JSON.parse(text) as PolicyDocument,
      unresolved: [],
    };
    const { of } = await byStatus(taggingGuardHops(ACCOUNT, scp));
    expect(of('DENIED')).toHaveLength(14);
    expect(of('DENIED').every((n) => n.startsWith(`role ${DEPLOY_ROLE_NAME} `))).toBe(true);
  });
});

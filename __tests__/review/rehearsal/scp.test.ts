/**
 * The rehearsal under exported SCPs (review/rehearsal/scp.ts): which files
 * are policies, which principals SCPs bind, FullAWSAccess assumed only
 * beside denies, and a deny naming the call it stops, for the function's
 * role and the deploy role alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rehearse } from '../../../review/rehearsal';
import { deniedByScp, loadScp, ScpFileError, scpSet } from '../../../review/rehearsal/scp';
import { synthesizedConfig } from '../../support/rehearsal';
import { trailNoZone } from '../../support/stack';

const dir = mkdtempSync(join(tmpdir(), 'scp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
}

const deny = (action: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'OrgDeny', Effect: 'Deny', Action: action, Resource: '*' }],
});

describe('loadScp', () => {
  it('reads an exported policy, labelled by its file name', () => {
    const p = loadScp(file('deny.json', deny('iam:CreateLoginProfile')));
    expect(p.label).toBe('SCP deny.json');
    expect(p.document).toEqual(deny('iam:CreateLoginProfile'));
  });

  it.each<[string, unknown, RegExp]>([
    ['broken.json', '{"Statement": [', /broken\.json: is not JSON \(/],
    [
      'list.json',
      [],
      /list\.json: is not a policy document \(an object with "Statement"\); export/,
    ],
    ['empty.json', { Statement: [] }, /empty\.json: has no statements$/],
    [
      'effect.json',
      { Statement: [{ Effect: 'Block', Action: '*', Resource: '*' }] },
      /effect\.json: Statement\[0\] has Effect "Block", not "Allow" or "Deny"/,
    ],
    [
      'noaction.json',
      { Statement: { Effect: 'Deny', Resource: '*' } },
      /noaction\.json: Statement\[0\] has no Action or NotAction/,
    ],
    [
      'action.json',
      { Statement: [{ Effect: 'Deny', Action: 'CreateUser', Resource: '*' }] },
      /action\.json: Statement\[0\] has an action "CreateUser" that is not service:Action/,
    ],
  ])('refuses %s in one line naming the file', (name, body, message) => {
    const f = file(name, body);
    expect(() => loadScp(f)).toThrow(ScpFileError);
    expect(() => loadScp(f)).toThrow(message);
  });

  it('refuses a file that is not there', () => {
    expect(() => loadScp(join(dir, 'missing.json'))).toThrow(
      /missing\.json: cannot read the SCP file \(file not found\)$/,
    );
  });
});

describe('the SCP set', () => {
  it('assumes FullAWSAccess beside denies only; an allow-list is the whole set', () => {
    const d = loadScp(file('d.json', deny('iam:CreateUser')));
    expect(scpSet([d]).map((p) => p.label)).toEqual(['SCP FullAWSAccess (assumed)', 'SCP d.json']);
    const a = loadScp(
      file('a.json', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    );
    expect(scpSet([d, a]).map((p) => p.label)).toEqual(['SCP d.json', 'SCP a.json']);
  });
});

describe('rehearse with SCPs', () => {
  const config = synthesizedConfig(trailNoZone());

  it('names the function call a deny on iam:CreateLoginProfile stops, and nothing else', async () => {
    const scps = [loadScp(file('login.json', deny('iam:CreateLoginProfile')))];
    const { verdicts } = await rehearse(config, undefined, { scps });
    const denied = verdicts.filter((v) => v.status === 'DENIED');
    expect(denied.map((v) => v.hop.name)).toEqual([
      'role iam-onboarding-welcome -> user iam-onboarding/new.person: iam:CreateLoginProfile',
    ]);
    expect(denied[0].reason).toBe('explicit deny OrgDeny in scp SCP login.json');
    expect(deniedByScp(denied[0].reason, scps)).toBe(true);
    // Service principals are never bound by SCPs.
    const events = verdicts.find((v) => v.hop.principal === 'events.amazonaws.com');
    expect(events?.hop.serviceControlPolicies).toBeUndefined();
  });

  it("names each deploy-role call a deny on iam:CreateUser stops, by the user's address", async () => {
    const scps = [loadScp(file('create.json', deny(['iam:CreateUser'])))];
    const { verdicts } = await rehearse(config, undefined, { scps });
    const denied = verdicts.filter((v) => v.status === 'DENIED').map((v) => v.hop.name);
    expect(denied.length).toBeGreaterThan(0);
    for (const name of denied)
      expect(name).toMatch(
        /^role iam-onboarding-deploy \(terraform create aws_iam_user\.[\w-]+\) -> arn:aws:iam::\d{12}:user\/iam-onboarding\/[\w.@+=,-]+: iam:CreateUser$/,
      );
  });

  it('an allow-list without IAM denies every IAM call of the account principals', async () => {
    const scps = [
      loadScp(
        file('s3only.json', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      ),
    ];
    const { verdicts } = await rehearse(config, undefined, { scps });
    const login = verdicts.find((v) =>
      v.hop.name.endsWith('user iam-onboarding/new.person: iam:CreateLoginProfile'),
    );
    expect(login?.status).toBe('DENIED');
    expect(login?.reason).toBe('no service control policy allows iam:CreateLoginProfile');
  });

  it('without SCPs the deploy role is not rehearsed and nothing changes', async () => {
    const { verdicts } = await rehearse(config);
    expect(
      verdicts.some((v) => v.hop.name.startsWith('role iam-onboarding-deploy (terraform')),
    ).toBe(false);
    expect(verdicts.filter((v) => v.status === 'DENIED')).toEqual([]);
  });
});

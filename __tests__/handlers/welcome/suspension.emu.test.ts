/**
 * Turning a suspended person's sign-in and keys off, with the real SDK
 * against moto (no deploy: the user is made directly): the login profile
 * goes, every active key turns Inactive (none is deleted), the record is
 * written, and a second run finds nothing left to do.
 */
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  UpdateAccessKeyCommand,
  TagUserCommand,
  UntagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { clients } from '../../../emulator/flow';
import { startMoto, type MotoServer } from '../../../emulator/moto-server';
import { applySuspension, suspensionSummary } from '../../../handlers/welcome/suspension';
import { runLifecycle } from '../../../handlers/welcome/lifecycle-run';
import type { AdminNotice } from '../../../handlers/welcome/core/admin-notice';

let moto: MotoServer;
let iam: IAMClient;

beforeAll(async () => {
  moto = await startMoto();
  iam = clients(moto.endpoint).iam;
}, 60_000);
afterAll(async () => {
  iam?.destroy();
  await moto?.stop();
});

async function person(name: string, opts: { profile: boolean; keys: number; inactive?: number }) {
  await iam.send(new CreateUserCommand({ UserName: name, Path: '/iam-onboarding/' }));
  if (opts.profile)
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: name,
        Password: 'Emulator-only-1!',
        PasswordResetRequired: true,
      }),
    );
  const ids: string[] = [];
  for (let i = 0; i < opts.keys; i++) {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    ids.push(AccessKey!.AccessKeyId!);
  }
  for (const id of ids.slice(0, opts.inactive ?? 0))
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: id, Status: 'Inactive' }),
    );
}

const statuses = async (name: string) =>
  ((await iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata ?? []).map(
    (k) => k.Status,
  );

it('deletes the login profile, deactivates the active keys and records when', async () => {
  await person('ann', { profile: true, keys: 2, inactive: 1 });
  const now = Date.parse('2026-12-02T10:00:00Z');
  const r = await applySuspension(iam, 'ann', now);
  expect(r).toEqual({ profile: 'deleted', keysDeactivated: 1, user: 'suspended' });
  await expect(iam.send(new GetLoginProfileCommand({ UserName: 'ann' }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
  });
  expect(await statuses('ann')).toEqual(['Inactive', 'Inactive']);
  const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: 'ann' }));
  expect(Tags).toContainEqual({
    Key: 'iam-onboarding:suspended-at',
    Value: '2026-12-02T10:00:00.000Z',
  });
  expect(suspensionSummary('ann', 'suspended', r)).toBe(
    'ann: suspended in the roster: console password deleted, 1 access key deactivated; the user, groups and tags are kept',
  );
});

it('run again, finds nothing to turn off', async () => {
  const r = await applySuspension(iam, 'ann', Date.now());
  expect(r).toEqual({ profile: 'absent', keysDeactivated: 0, user: 'suspended' });
});

it('a person who never had a password or keys is still recorded', async () => {
  await person('bo', { profile: false, keys: 0 });
  const r = await applySuspension(iam, 'bo', Date.now());
  expect(r).toEqual({ profile: 'absent', keysDeactivated: 0, user: 'suspended' });
  expect(suspensionSummary('bo', 'access-ended', r, '2026-12-01')).toBe(
    'bo: access ended on 2026-12-01: no console password to delete, 0 access keys deactivated; the user, groups and tags are kept',
  );
});

it('a user deleted meanwhile is "gone", and nothing is written', async () => {
  expect(await applySuspension(iam, 'nobody', Date.now())).toEqual({
    profile: 'absent',
    keysDeactivated: 0,
    user: 'gone',
  });
});

describe('runLifecycle: one person through suspend, reinstate and an end date', () => {
  const notices: AdminNotice[] = [];
  const issued: string[] = [];
  let issue = true;
  const deps = (nowIso: string) => ({
    iam,
    nowMs: Date.parse(nowIso),
    notify: (n: AdminNotice) => {
      notices.push(n);
      return Promise.resolve();
    },
    reinstate: (userName: string) => {
      issued.push(userName);
      return Promise.resolve(issue ? { sent: true } : { sent: false, detail: 'SES throttled' });
    },
  });
  const tagsOf = async (name: string) =>
    (await iam.send(new ListUserTagsCommand({ UserName: name }))).Tags ?? [];

  it('suspends from the stack tag, tells the admins, and does it once', async () => {
    await person('cy', { profile: true, keys: 1 });
    await iam.send(
      new TagUserCommand({ UserName: 'cy', Tags: [{ Key: 'suspended', Value: 'true' }] }),
    );
    const first = await runLifecycle(deps('2026-12-02T10:00:00Z'), 'cy', await tagsOf('cy'));
    expect(first.outcome).toBe('suspended');
    expect(notices).toEqual([
      {
        kind: 'suspended',
        userName: 'cy',
        detail:
          'cy: suspended in the roster: console password deleted, 1 access key deactivated; the user, groups and tags are kept',
      },
    ]);
    const again = await runLifecycle(deps('2026-12-02T11:00:00Z'), 'cy', await tagsOf('cy'));
    expect(again).toEqual({
      outcome: 'none',
      detail: 'already suspended: sign-in and keys are off',
    });
    expect(notices).toHaveLength(1);
  });

  it('reinstates once the tag is gone: a fresh password, then the record', async () => {
    await iam.send(new UntagUserCommand({ UserName: 'cy', TagKeys: ['suspended'] }));
    issue = false;
    const failed = await runLifecycle(deps('2026-12-03T10:00:00Z'), 'cy', await tagsOf('cy'));
    expect(failed).toEqual({ outcome: 'not-reinstated', detail: 'SES throttled' });
    expect((await tagsOf('cy')).map((t) => t.Key)).not.toContain('iam-onboarding:reinstated-at');
    issue = true;
    const ok = await runLifecycle(deps('2026-12-03T11:00:00Z'), 'cy', await tagsOf('cy'));
    expect(ok.outcome).toBe('reinstated');
    expect(issued).toEqual(['cy', 'cy']);
    expect(await tagsOf('cy')).toContainEqual({
      Key: 'iam-onboarding:reinstated-at',
      Value: '2026-12-03T11:00:00.000Z',
    });
    expect(notices.at(-1)).toEqual({
      kind: 'reinstated',
      userName: 'cy',
      detail: 'a fresh temporary password went out',
    });
    const after = await runLifecycle(deps('2026-12-03T12:00:00Z'), 'cy', await tagsOf('cy'));
    expect(after.outcome).toBe('none');
    expect(issued).toHaveLength(2);
  });

  it('warns a week before the last day, once, and suspends the day after it', async () => {
    await person('dee', { profile: true, keys: 0 });
    await iam.send(
      new TagUserCommand({ UserName: 'dee', Tags: [{ Key: 'access-until', Value: '2026-12-09' }] }),
    );
    const early = await runLifecycle(deps('2026-12-01T08:00:00Z'), 'dee', await tagsOf('dee'));
    expect(early).toEqual({ outcome: 'none', detail: 'access until 2026-12-09' });
    const warned = await runLifecycle(deps('2026-12-02T08:00:00Z'), 'dee', await tagsOf('dee'));
    expect(warned).toEqual({ outcome: 'warned', detail: 'last day 2026-12-09 (UTC), in 7 days' });
    expect(notices.at(-1)).toMatchObject({ kind: 'access-ending', userName: 'dee' });
    const count = notices.length;
    expect(
      (await runLifecycle(deps('2026-12-03T08:00:00Z'), 'dee', await tagsOf('dee'))).outcome,
    ).toBe('none');
    expect(notices).toHaveLength(count);
    const ended = await runLifecycle(deps('2026-12-10T00:00:00Z'), 'dee', await tagsOf('dee'));
    expect(ended).toEqual({
      outcome: 'suspended',
      detail:
        'dee: access ended on 2026-12-09: console password deleted, 0 access keys deactivated; the user, groups and tags are kept',
    });
  });
});

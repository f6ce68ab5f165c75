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
  type IAMClient,
} from '@aws-sdk/client-iam';
import { clients } from '../../../emulator/flow';
import { startMoto, type MotoServer } from '../../../emulator/moto-server';
import { applySuspension, suspensionSummary } from '../../../handlers/welcome/suspension';

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

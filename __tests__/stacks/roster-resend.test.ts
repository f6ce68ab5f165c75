/** The roster's `resend` counter as the tag the pipeline listens for. */
import { IamOnboardingStack } from '../../stacks/iam-onboarding-stack';
import { App } from 'cdktf';
import { validateRoster } from '../../inputs/roster';
import { parseJsonDocument } from '../../inputs/json-file';
import { RESEND_TAG_KEY, RESENT_TAG_KEY } from '../../shared/contract';
import { userTags } from '../../stacks/roster-users';
import { fixtureCode, trailNoZone } from '../support/stack';

const roster = validateRoster(
  parseJsonDocument(
    'users.json',
    JSON.stringify({
      users: [
        { userName: 'never', email: 'never@example.com' },
        { userName: 'zero', email: 'zero@example.com', resend: 0 },
        { userName: 'twice', email: 'twice@example.com', resend: 2 },
      ],
    }),
  ),
);

type Config = {
  provider: { aws: { alias?: string; ignore_tags?: { key_prefixes?: string[] }[] }[] };
  resource: { aws_iam_user: Record<string, { name: string; tags: Record<string, string> }> };
};

const config = (() => {
  const app = new App({ outdir: '/tmp/unused', skipValidation: true });
  const stack = new IamOnboardingStack(app, {
    roster,
    settings: trailNoZone(),
    welcomeCodeDir: fixtureCode(),
  });
  return JSON.parse(JSON.stringify(stack.toTerraform())) as Config;
})();

const tagsOf = (name: string) =>
  Object.values(config.resource.aws_iam_user).find((u) => u.name === name)?.tags;

describe('the resend tag on the synthesized users', () => {
  it('carries the counter as a string when it is above 0', () => {
    expect(tagsOf('twice')?.[RESEND_TAG_KEY]).toBe('2');
  });

  it('is absent when the counter is 0 or not given: both mean never', () => {
    expect(tagsOf('never')).not.toHaveProperty(RESEND_TAG_KEY);
    expect(tagsOf('zero')).not.toHaveProperty(RESEND_TAG_KEY);
    expect(Object.keys(tagsOf('zero') ?? {}).sort()).toEqual(
      Object.keys(tagsOf('never') ?? {}).sort(),
    );
  });

  it('is one the provider manages (a deploy writes it), unlike the tag the function writes back', () => {
    const prefixes = config.provider.aws.flatMap((p) =>
      (p.ignore_tags ?? []).flatMap((t) => t.key_prefixes ?? []),
    );
    expect(prefixes.length).toBeGreaterThan(0);
    expect(prefixes.some((prefix) => RESENT_TAG_KEY.startsWith(prefix))).toBe(true);
    expect(prefixes.some((prefix) => RESEND_TAG_KEY.startsWith(prefix))).toBe(false);
  });

  it('is written after the tags the roster gives and cannot be overridden by them', () => {
    const person = roster.users[2];
    expect(userTags({ ...person, tags: { team: 'x' } })[RESEND_TAG_KEY]).toBe('2');
  });
});

/** A plan with every kind of user change, for the email previews and their CLI. */
import type { PreviewSettings } from '../../review/email-preview';
import type { ResourceChange, TerraformPlan } from '../../review/terraform-plan';

export const settings: PreviewSettings = {
  accountId: '123456789012',
  organisationName: 'Example Corp',
  helpContact: 'it-help@example.com',
};

export function userChange(
  actions: ResourceChange['change']['actions'],
  name: string,
  tags: Record<string, string>,
  path = '/iam-onboarding/',
): ResourceChange {
  return {
    address: `aws_iam_user.${name.replace(/\W/g, '_')}`,
    type: 'aws_iam_user',
    name: name.replace(/\W/g, '_'),
    mode: 'managed',
    change: {
      actions,
      before: actions.includes('delete') ? { name, path, tags } : null,
      after: actions.includes('create') || actions.includes('update') ? { name, path, tags } : null,
    },
  };
}

export const managed = (email: string, displayName?: string) => ({
  'managed-by': 'iam-onboarding',
  email,
  ...(displayName === undefined ? {} : { 'display-name': displayName }),
});

export const HOSTILE = '<script>alert("x")</script> & <b onmouseover=1>';

export const plan: TerraformPlan = {
  format_version: '1.2',
  resource_changes: [
    userChange(['create'], 'zoe', managed('zoe@example.com', HOSTILE)),
    userChange(['create'], 'alice.martin', managed('alice.martin@example.com', 'Alice Martin')),
    userChange(['delete', 'create'], 'bo', managed('bo@example.com')),
    userChange(['update'], 'carla', managed('carla@example.com')),
    userChange(['delete'], 'dan', managed('dan@example.com')),
    // The function skips these, so no preview either.
    userChange(['create'], 'no-email', { 'managed-by': 'iam-onboarding' }),
    userChange(['create'], 'elsewhere', managed('e@example.com'), '/other/'),
    userChange(['create'], 'unmanaged', { email: 'u@example.com' }),
  ],
};

import fc from 'fast-check';
import { groupPolicyAttachmentName, terraformName } from '../../stacks/terraform-names';

const IAM_CHARS = 'abcXYZ019+=,.@_-'.split('');
const iamName = fc
  .array(fc.constantFrom(...IAM_CHARS), { minLength: 1, maxLength: 20 })
  .map((a) => a.join(''));

describe('terraformName', () => {
  it('keeps plain names readable', () => {
    expect(terraformName('alice')).toBe('alice');
    expect(terraformName('alice.martin')).toBe('alice_dot_martin');
    expect(terraformName('a_b')).toBe('a__b');
    expect(terraformName('bob@example.com')).toBe('bob_at_example_dot_com');
    expect(terraformName('a+b=c,d-e')).toBe('a_plus_b_eq_c_comma_d-e');
  });

  it('starts every name with a letter or underscore, as Terraform requires', () => {
    expect(terraformName('1password')).toBe('_1password');
    expect(terraformName('-x')).toBe('_-x');
    fc.assert(fc.property(iamName, (n) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(terraformName(n))));
  });

  it('never maps two IAM names to one Terraform name', () => {
    expect(terraformName('a.b')).not.toBe(terraformName('a_b'));
    expect(terraformName('a_dot_b')).not.toBe(terraformName('a.b'));
    fc.assert(
      fc.property(iamName, iamName, (a, b) => a === b || terraformName(a) !== terraformName(b)),
      { numRuns: 20000 },
    );
  });

  it('refuses characters IAM does not allow', () => {
    expect(() => terraformName('a b')).toThrow('"a b" is not a valid IAM name: it contains " "');
  });
});

describe('groupPolicyAttachmentName', () => {
  const groupName = fc
    .array(fc.constantFrom(...IAM_CHARS, 'p', 'o', 'l', 'i', 'c', 'y'), {
      minLength: 1,
      maxLength: 12,
    })
    .map((a) => a.join(''));
  // Paths may hold any printable character; names the IAM name characters.
  const pathSegment = fc
    .array(fc.constantFrom(...'ab_:/-!#x'.split(''), '_policy_', '_slash_'), { maxLength: 4 })
    .map((a) => a.join(''));
  const policyArn = fc
    .record({
      partition: fc.constantFrom('aws', 'aws-us-gov', 'aws-cn'),
      owner: fc.constantFrom('aws', '123456789012', '210987654321'),
      path: fc.option(pathSegment, { nil: undefined }),
      name: iamName,
    })
    .map(
      ({ partition, owner, path, name }) =>
        `arn:${partition}:iam::${owner}:policy/${path ? `${path}/` : ''}${name}`,
    );

  it('is readable for the usual ARNs', () => {
    expect(groupPolicyAttachmentName('developers', 'arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(
      'developers_policy_aws_slash_ReadOnlyAccess',
    );
    expect(
      groupPolicyAttachmentName('billing', 'arn:aws:iam::aws:policy/job-function/Billing'),
    ).toBe('billing_policy_aws_slash_job-function_slash_Billing');
    expect(
      groupPolicyAttachmentName('ops.team', 'arn:aws:iam::123456789012:policy/deploy_role'),
    ).toBe('ops_dot_team_policy_123456789012_slash_deploy__role');
    expect(
      groupPolicyAttachmentName('ops', 'arn:aws-us-gov:iam::aws:policy/a!b/ReadOnlyAccess'),
    ).toBe('ops_policy_aws-us-gov_colon_aws_slash_a_x21_b_slash_ReadOnlyAccess');
  });

  it('is a valid Terraform name for every group and policy', () => {
    fc.assert(
      fc.property(groupName, policyArn, (g, p) =>
        /^[A-Za-z_][A-Za-z0-9_-]*$/.test(groupPolicyAttachmentName(g, p)),
      ),
    );
  });

  it('never gives two (group, policy) pairs one name', () => {
    // Pairs built to collide if the group and policy parts could be confused.
    expect(groupPolicyAttachmentName('a_policy_aws', 'arn:aws:iam::aws:policy/x')).not.toBe(
      groupPolicyAttachmentName('a', 'arn:aws:iam::aws:policy/aws/x'),
    );
    expect(groupPolicyAttachmentName('a', 'arn:aws-cn:iam::aws:policy/x')).not.toBe(
      groupPolicyAttachmentName('a', 'arn:aws:iam::aws:policy/aws-cn:aws/x'),
    );
    fc.assert(
      fc.property(
        fc.tuple(groupName, policyArn),
        fc.tuple(groupName, policyArn),
        ([g1, p1], [g2, p2]) =>
          (g1 === g2 && p1 === p2) ||
          groupPolicyAttachmentName(g1, p1) !== groupPolicyAttachmentName(g2, p2),
      ),
      { numRuns: 20000 },
    );
  });

  it('refuses what is not a managed policy ARN', () => {
    expect(() => groupPolicyAttachmentName('g', 'arn:aws:iam::aws:role/x')).toThrow(
      'is not a managed policy ARN',
    );
  });
});

import fc from 'fast-check';
import { terraformName } from '../../lib/terraform-names';

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

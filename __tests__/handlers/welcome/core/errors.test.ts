/**
 * The error redaction every failed step logs through: an SDK error's message
 * may quote the request, password included, so describeError must leave no
 * form of a secret in what it returns.
 */
import { describeError, redact, RecordError } from '../../../../handlers/welcome/core/errors';
import { leaksOf } from '../../../support/secret-leaks';

/** Symbols that URL-encoding and JSON change, as generated passwords may hold. */
const PASSWORD = 'Kx7#q=R&p+W@z%9!tY(2)';

describe('redact', () => {
  it('replaces the secret verbatim, every time it occurs', () => {
    expect(redact(`a ${PASSWORD} b ${PASSWORD}`, [PASSWORD])).toBe('a [REDACTED] b [REDACTED]');
  });

  it.each([
    [
      'URL-encoded (the IAM Query API form-encodes Password=)',
      PASSWORD,
      encodeURIComponent(PASSWORD),
    ],
    ['JSON-escaped', 'Kx7"q\\R&p+W@z%9!', JSON.stringify('Kx7"q\\R&p+W@z%9!').slice(1, -1)],
    ['base64', PASSWORD, Buffer.from(PASSWORD).toString('base64')],
  ])('replaces it %s', (_form, secret, quoted) => {
    expect(quoted).not.toBe(secret);
    const out = redact(`Password=${quoted}&Action=CreateLoginProfile`, [secret]);
    expect(out).toBe('Password=[REDACTED]&Action=CreateLoginProfile');
  });

  it('handles several secrets and ignores an empty one', () => {
    expect(redact('one two three', ['one', '', 'three'])).toBe('[REDACTED] two [REDACTED]');
    expect(redact('nothing to hide', [])).toBe('nothing to hide');
    expect(redact('nothing to hide', [''])).toBe('nothing to hide');
  });
});

describe('describeError', () => {
  it('redacts the message of an SDK-like error and keeps its name and request facts', () => {
    const error = Object.assign(new Error(`Invalid value ${PASSWORD} for Password`), {
      name: 'PasswordPolicyViolation',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });
    const d = describeError(error, [PASSWORD]);
    expect(d).toEqual({
      name: 'PasswordPolicyViolation',
      message: 'Invalid value [REDACTED] for Password',
      httpStatusCode: 400,
      requestId: 'req-1',
    });
    expect(leaksOf(PASSWORD, [JSON.stringify(d)])).toEqual([]);
  });

  it('redacts what is thrown that is not an Error', () => {
    expect(describeError(`boom ${PASSWORD}`, [PASSWORD]).message).toBe('boom [REDACTED]');
  });

  it('redacts before cutting at 500 characters, so no piece of a secret survives the cut', () => {
    const message = `${'x'.repeat(490)}${PASSWORD}${'y'.repeat(100)}`;
    const d = describeError(new Error(message), [PASSWORD]);
    expect(d.message).toHaveLength(500);
    expect(leaksOf(PASSWORD, [d.message])).toEqual([]);
    expect(d.message).toBe(`${'x'.repeat(490)}[REDACTED]`);
  });

  it('keeps a RecordError, which carries names only, as it is', () => {
    const e = new RecordError({ step: 'send-email', errorName: 'Throttling', userName: 'a' });
    expect(describeError(e, [PASSWORD]).message).toBe(
      'record failed at step send-email (user a): Throttling',
    );
  });
});

/**
 * Each of Slack's answers ends in a retry, the email instead, or a sent DM:
 * the mapping from status, Retry-After and `{ok, error}` to that verdict.
 */
import {
  judgeSlackAnswer,
  retryAfterMs,
  type SlackAnswer,
} from '../../../../handlers/welcome/core/slack-answer';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const judge = (answer: SlackAnswer, method = 'chat.postMessage') =>
  judgeSlackAnswer(method, answer, NOW);
const error = (code: string, extra: Record<string, unknown> = {}) =>
  judge({ httpStatus: 200, body: { ok: false, error: code, ...extra } });

it('ok', () => {
  expect(judge({ httpStatus: 200, body: { ok: true, ts: '1.2' } })).toEqual({
    kind: 'ok',
    body: { ok: true, ts: '1.2' },
  });
});

it('429 ratelimited: transient, with Retry-After in ms (seconds or an HTTP date)', () => {
  expect(
    judge({ httpStatus: 429, retryAfter: '30', body: { ok: false, error: 'ratelimited' } }),
  ).toEqual({ kind: 'transient', reason: 'chat.postMessage: ratelimited', retryAfterMs: 30_000 });
  expect(retryAfterMs(new Date(NOW + 5_000).toUTCString(), NOW)).toBe(5_000);
  expect(retryAfterMs('soon', NOW)).toBeUndefined();
  expect(retryAfterMs('999999', NOW)).toBe(15 * 60_000);
  // A 429 without a header or body is still a rate limit.
  expect(judge({ httpStatus: 429 })).toEqual({
    kind: 'transient',
    reason: 'chat.postMessage: ratelimited',
  });
});

it.each([500, 502, 503, 504])('HTTP %i: transient', (status) => {
  expect(judge({ httpStatus: status })).toMatchObject({ kind: 'transient' });
});

it.each(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])(
  '%s: transient',
  (code) => expect(error(code)).toMatchObject({ kind: 'transient' }),
);

it('users_not_found and a deactivated person: the email instead, saying why', () => {
  expect(
    judgeSlackAnswer(
      'users.lookupByEmail',
      {
        httpStatus: 200,
        body: { ok: false, error: 'users_not_found' },
      },
      NOW,
    ),
  ).toMatchObject({
    kind: 'no-slack-user',
    reason: 'users.lookupByEmail: users_not_found',
    fix: expect.stringContaining('no member with their email address'),
  });
  expect(error('user_disabled')).toMatchObject({
    kind: 'no-slack-user',
    fix: expect.stringContaining('deactivated'),
  });
});

it.each([
  ['invalid_auth', 'the bot token is not valid'],
  ['not_authed', 'the bot token is not valid'],
  ['token_revoked', 'the bot token is not valid'],
  ['account_inactive', 'the bot token is not valid'],
  ['not_in_channel', 'cannot message the person'],
  ['channel_not_found', 'cannot message the person'],
  ['some_new_error', "Slack's documentation"],
])('%s: refused, with what to fix', (code, fix) => {
  expect(error(code)).toMatchObject({
    kind: 'refused',
    reason: `chat.postMessage: ${code}`,
    fix: expect.stringContaining(fix),
  });
});

it('missing_scope names the scopes Slack says are needed, and only scope-like words', () => {
  expect(error('missing_scope', { needed: 'im:write', provided: 'chat:write' })).toMatchObject({
    kind: 'refused',
    fix: expect.stringContaining('lacks the scope im:write'),
  });
  const odd = error('missing_scope', { needed: '<!here> im:write' });
  expect(JSON.stringify(odd)).not.toContain('<!here>');
  expect(odd).toMatchObject({ fix: expect.stringContaining('users:read.email') });
});

it('an error code that is no code is not repeated', () => {
  const v = error('<!channel> see https://evil.example');
  expect(v).toMatchObject({ kind: 'refused', reason: 'chat.postMessage: an error without a code' });
  expect(JSON.stringify(v)).not.toContain('evil');
});

it('a 200 without JSON, or another 4xx: refused (a wrong URL or token type)', () => {
  expect(judge({ httpStatus: 200 })).toMatchObject({
    kind: 'refused',
    reason: 'chat.postMessage: HTTP 200 without a JSON body',
  });
  expect(judge({ httpStatus: 404, body: {} })).toMatchObject({ kind: 'refused' });
});

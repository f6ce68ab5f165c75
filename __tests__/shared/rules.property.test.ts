/**
 * The two halves agree: whatever the build accepts, the welcome function
 * accepts too. Each property runs the real code of both halves on generated
 * values: the roster or settings validation on a file holding the value, then
 * the function's own reading of it (the email tag as the stack writes it, the
 * environment as the stack sets it). A value only one half accepts is how a
 * user got created and never welcomed, or how every welcome failed after a
 * clean deploy.
 */
import fc from 'fast-check';
import { readConfig } from '../../handlers/welcome/core/config';
import { renderWelcomeEmail } from '../../handlers/welcome/core/message';
import { decide } from '../../handlers/welcome/core/policy';
import { signInUrl } from '../../handlers/welcome/core/signin';
import {
  EMAIL_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
  MANAGED_USER_PATH,
  WELCOME_ENV,
} from '../../shared/contract';
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateRoster } from '../../inputs/roster';
import { senderEmail, validateSettings, type Settings } from '../../inputs/settings';
import { checkAccountAlias, checkEmailAddress, checkMailbox, reasonOf } from '../../shared/rules';
import { aliasCandidate, emailCandidate, senderCandidate } from '../support/arbitraries';

const RUNS = { numRuns: 400 };

/** What a validation gives: the validated value, or the problems it reported. */
type Outcome<T> = { ok: true; value: T } | { ok: false; problems: readonly Problem[] };

function outcome<T>(validate: () => T): Outcome<T> {
  try {
    return { ok: true, value: validate() };
  } catch (error) {
    if (error instanceof InputFileError) return { ok: false, problems: error.problems };
    throw error;
  }
}

function roster(email: string) {
  const text = JSON.stringify({ users: [{ userName: 'ada', email }] }, null, 2);
  return outcome(() => validateRoster(parseJsonDocument('users.json', text)));
}

const SETTINGS = {
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it-help@example.com',
};

function settings(patch: Record<string, unknown>): Outcome<Settings> {
  const text = JSON.stringify({ ...SETTINGS, ...patch }, null, 2);
  return outcome(() => validateSettings(parseJsonDocument('settings.json', text)));
}

/** The welcome function's environment as the stack writes it from the settings (stacks/request-function.ts). */
function environmentFrom(s: Settings): NodeJS.ProcessEnv {
  return {
    [WELCOME_ENV.senderAddress]: s.sender.address,
    [WELCOME_ENV.organisationName]: s.organisationName,
    [WELCOME_ENV.helpContact]: s.helpContact,
    [WELCOME_ENV.requireMfa]: s.security.requireMfa ? 'true' : 'false',
    ...(s.accountAlias ? { [WELCOME_ENV.accountAlias]: s.accountAlias } : {}),
  };
}

/** The address in a From header the function built (`addr`, `"Name" <addr>`, `=?…?= <addr>`). */
function fromAddress(source: string): string {
  return /<([^<>]+)>$/.exec(source)?.[1] ?? source;
}

/**
 * Runs a property and counts how often the build accepted: a property that
 * held only because nothing was ever accepted would prove nothing.
 */
function assertWithAccepted(
  arbitrary: fc.Arbitrary<string>,
  check: (value: string) => boolean,
): number {
  let accepted = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      if (check(value)) accepted += 1;
    }),
    RUNS,
  );
  return accepted;
}

describe('an email address in the roster', () => {
  it('is one the function sends to: it reads the tag the stack writes and mails that address', () => {
    const accepted = assertWithAccepted(emailCandidate, (email) => {
      const result = roster(email);
      if (!result.ok) {
        // Refused at the address's own path; with the function's reason when the function refuses it too.
        expect(result.problems.map((p) => p.path)).toEqual(['$.users[0].email']);
        const reason = reasonOf(checkEmailAddress(email));
        if (reason !== undefined) expect(result.problems[0].message).toContain(reason);
        return false;
      }
      const written = result.value.users[0].email;
      const decision = decide(undefined, {
        path: MANAGED_USER_PATH,
        userId: 'AIDAEXAMPLE',
        tags: [
          { Key: MANAGED_BY_TAG_KEY, Value: MANAGED_BY_TAG_VALUE },
          { Key: EMAIL_TAG_KEY, Value: written },
        ],
      });
      expect(decision).toEqual({ kind: 'welcome', email });
      const { text } = renderWelcomeEmail({
        userName: 'ada',
        email: written,
        signInUrl: 'https://example.signin.aws.amazon.com/console',
        organisationName: 'Example Corp',
        helpContact: 'it-help@example.com',
        password: 'not-a-real-password',
        issuedAtMs: 0,
      });
      expect(text).toContain(`This message was sent to ${email} because`);
      return true;
    });
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('includes the cases that drifted apart', () => {
    for (const email of ['a..b@example.com', '.a@example.com', 'a.@example.com', 'a@b-.com']) {
      expect(roster(email).ok).toBe(false);
      expect(checkEmailAddress(email).ok).toBe(false);
    }
  });
});

describe('the settings', () => {
  it('accept only an account alias the function uses for the sign-in address', () => {
    const accepted = assertWithAccepted(aliasCandidate, (alias) => {
      const result = settings({ accountAlias: alias });
      if (!result.ok) {
        expect(result.problems.map((p) => p.path)).toEqual(['$.accountAlias']);
        const reason = reasonOf(checkAccountAlias(alias));
        if (reason !== undefined) expect(result.problems[0].message).toContain(reason);
        return false;
      }
      const config = readConfig(environmentFrom(result.value));
      expect(config.accountAlias).toBe(alias);
      expect(signInUrl(alias)).toBe(`https://${alias}.signin.aws.amazon.com/console`);
      return true;
    });
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('accept only a sender the function reads, with the From address the role may send as', () => {
    const accepted = assertWithAccepted(senderCandidate, (address) => {
      // The sender domain must hold the address; take it from the value so that
      // only the address itself decides.
      const domain = /@([a-z0-9.-]+)>?\s*$/i.exec(address)?.[1]?.toLowerCase() ?? 'example.com';
      const result = settings({ sender: { address, domain } });
      if (!result.ok) {
        const reason = reasonOf(checkMailbox(address));
        if (reason !== undefined) {
          expect(result.problems.find((p) => p.path === '$.sender.address')?.message).toContain(
            reason,
          );
        }
        return false;
      }
      const config = readConfig(environmentFrom(result.value));
      // What the role's ses:FromAddress condition names (stacks/welcome-pipeline.ts).
      expect(fromAddress(config.source)).toBe(senderEmail(result.value));
      return true;
    });
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('refuse the alias that drifted apart, at its path', () => {
    const result = settings({ accountAlias: 'my--corp' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual(['$.accountAlias']);
    expect(() =>
      readConfig({ ...environmentFrom(settingsOf()), ACCOUNT_ALIAS: 'my--corp' }),
    ).toThrow('ACCOUNT_ALIAS is not a valid IAM account alias: it has two hyphens in a row');
  });
});

function settingsOf(): Settings {
  const result = settings({});
  if (!result.ok) throw new Error('the base settings are valid');
  return result.value;
}

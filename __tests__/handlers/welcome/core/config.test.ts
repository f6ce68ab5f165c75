/** The function's settings from its environment: the MFA switch the stack sets. */
import { readConfig } from '../../../../handlers/welcome/core/config';
import { welcomeEnv } from '../../../support/welcome-events';

describe('readConfig', () => {
  it('reads REQUIRE_MFA as the stack writes it ("true" / "false")', () => {
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: 'true' })).mfaRequired).toBe(true);
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: 'false' })).mfaRequired).toBe(false);
    // An environment from before the setting existed: no MFA steps promised.
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: undefined })).mfaRequired).toBe(false);
  });
});

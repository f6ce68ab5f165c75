/**
 * `npm run deploy` as an operator meets it, with the real SDK and cdktf:
 * without credentials it stops at the pre-flight in one line per check and
 * starts nothing; bad state variables stop it before any AWS call; the SDK's
 * Node.js 20 notice stays out of its output; and cdktf's terminal UI, in the
 * environment the script gives it off a terminal, prints no cursor movement.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployEnv } from '../../operations/deploy-preflight';
import { NODE_VERSION_WARNING_ENV } from '../../scripts/quiet-sdk';
import { findProviderMirror, writeMirrorCliConfig } from '../../stacks/provider-mirror';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-deploy-'));

/** No credentials anywhere the SDK looks: environment, files, instance metadata. */
function noAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('AWS_') || k.startsWith('TF_STATE_')) delete env[k];
  return {
    ...env,
    AWS_CONFIG_FILE: join(root, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDKTF_OUTDIR: join(root, 'out'),
    ...extra,
  };
}

function deploy(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'deploy', '--', ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
}

/** Cursor movement and line erasing: what a redrawn spinner leaves in a log. */
const CURSOR_CODES = /\x1b\[\d*[ABGK]/; // eslint-disable-line no-control-regex

describe('npm run deploy', () => {
  it('without credentials: the pre-flight fails in one line and nothing is deployed', () => {
    const r = deploy(noAws(), '--auto-approve');
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Pre-flight for stack iam-onboarding:');
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([
      expect.stringMatching(/^FAIL {2}credentials {2}no AWS credentials found: .*then run again$/),
    ]);
    expect(lines.at(-1)).toBe('Nothing deployed: fix the FAIL line(s) above and run again.');
    expect(r.stdout).not.toContain('cdktf deploy');
    // cdktf never ran: it would have synthesized into the output directory.
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('prints no SDK Node.js version notice, though the SDK would print one on this Node', () => {
    const quiet = deploy(noAws(), '--check-only');
    expect(quiet.stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
    // The same run with the notice left on: proves the check above can fail
    // (on Node.js 22 and later the SDK has nothing to say).
    const loud = deploy(noAws({ [NODE_VERSION_WARNING_ENV]: 'false' }), '--check-only');
    if (Number(process.versions.node.split('.')[0]) < 22)
      expect(loud.stderr).toMatch(/NodeVersionSupportWarning/);
    else expect(loud.stderr).toBe('');
  });

  it.each([
    [
      { TF_STATE_BUCKET: 'Not_A_Bucket' },
      /^TF_STATE_BUCKET "Not_A_Bucket" is not a valid S3 bucket name$/,
    ],
    [{ TF_STATE_KEY: 'k' }, /^TF_STATE_KEY set without TF_STATE_BUCKET: /],
  ])('bad state variables %j: one line, exit 2, no AWS call', (vars, message) => {
    const r = deploy(noAws(vars));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });
});

describe("cdktf's output in the deploy's environment", () => {
  /** `cdktf synth` draws the same terminal UI as `cdktf deploy`, and needs no AWS. */
  function cdktfSynth(env: NodeJS.ProcessEnv, out: string) {
    const cdktf = require.resolve('cdktf-cli/bundle/bin/cdktf');
    return spawnSync(process.execPath, [cdktf, 'synth', '--output', out], {
      encoding: 'utf8',
      env: { ...env, CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: '1' },
      timeout: 120_000,
    });
  }

  it('has no cursor movement off a terminal, where plain cdktf has', () => {
    const mirror = findProviderMirror();
    const base = { ...process.env };
    delete base.CI;
    const env = deployEnv(base, {
      isTTY: false,
      ...(mirror ? { cliConfigFile: writeMirrorCliConfig(join(root, 'rc'), mirror) } : {}),
    });
    const r = cdktfSynth(env, join(root, 'synth-ci'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Generated Terraform code for the stacks: iam-onboarding');
    expect(r.stdout + r.stderr).not.toMatch(CURSOR_CODES);
    const plain = cdktfSynth(base, join(root, 'synth-plain'));
    expect(plain.status).toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(CURSOR_CODES);
  });
});

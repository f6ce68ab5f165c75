/**
 * `npm run deploy [-- cdktf deploy flags]`: the pre-flight
 * (operations/deploy-preflight.ts: credentials, the account, the state
 * bucket, the provider source), one line per check, then `cdktf deploy` with
 * the flags given (e.g. `--auto-approve`). Any failed check stops it before
 * Terraform starts (exit 1); bad settings or state variables exit 2.
 *
 * `--check-only` runs the pre-flight and stops.
 *
 * cdktf stays the engine: it synthesizes through `cdktf.json` and applies
 * what `npm run plan` planned, and the workflows and docs use it.
 */
import './quiet-sdk';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { isInputError } from '../inputs/errors';
import { reportInputError } from '../inputs/report';
import { DEFAULT_SETTINGS_FILE, loadSettings, SETTINGS_FILE_ENV } from '../inputs/settings';
import {
  deployEnv,
  formatPreflight,
  hasProblems,
  runPreflight,
} from '../operations/deploy-preflight';
import { remoteStateFromEnv } from '../stacks/backend';
import { findProviderMirror, writeMirrorCliConfig } from '../stacks/provider-mirror';
import { PIPELINE_REGION } from '../stacks/region';

const REGISTRY_DISCOVERY = 'https://registry.terraform.io/.well-known/terraform.json';

async function registryReachable(): Promise<boolean> {
  try {
    const res = await fetch(REGISTRY_DISCOVERY, { signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const checkOnly = argv.includes('--check-only');
  const cdktfArgs = argv.filter((a) => a !== '--check-only');
  const settingsFile = process.env[SETTINGS_FILE_ENV] ?? DEFAULT_SETTINGS_FILE;
  let accountId: string;
  let remoteState: ReturnType<typeof remoteStateFromEnv>;
  try {
    accountId = loadSettings(settingsFile).accountId;
    remoteState = remoteStateFromEnv();
  } catch (err) {
    if (!isInputError(err)) throw err;
    reportInputError(err);
    return 2;
  }
  const mirror = findProviderMirror();
  const results = await runPreflight({
    accountId,
    remoteState,
    settingsFile,
    // Two tries: a pre-flight should answer in seconds, not back off for a minute.
    sts: new STSClient({ region: PIPELINE_REGION, maxAttempts: 2 }),
    s3: (region) => new S3Client({ region, maxAttempts: 2 }),
    mirror,
    registryReachable,
  });
  console.log(`Pre-flight for stack iam-onboarding:\n${formatPreflight(results)}`);
  if (hasProblems(results)) {
    console.log('Nothing deployed: fix the FAIL line(s) above and run again.');
    return 1;
  }
  if (checkOnly) return 0;

  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const env = deployEnv(process.env, {
    ...(mirror ? { cliConfigFile: writeMirrorCliConfig(join(outdir, 'deploy'), mirror) } : {}),
    isTTY: process.stdout.isTTY === true,
  });
  const cdktf = require.resolve('cdktf-cli/bundle/bin/cdktf');
  console.log(`\ncdktf deploy ${cdktfArgs.join(' ')}`.trimEnd());
  const r = spawnSync(process.execPath, [cdktf, 'deploy', ...cdktfArgs], {
    stdio: 'inherit',
    env,
  });
  if (r.error) {
    console.error(`cdktf deploy did not start: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`npm run deploy failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);

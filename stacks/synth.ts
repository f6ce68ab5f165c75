/**
 * One synthesis, as `main.ts` (and so `cdktf synth` / `cdktf deploy`),
 * `npm run plan` and the tests run it: validate every input first, build the
 * stack, write it. A failure at any point leaves no stack output behind.
 */
import { App } from 'cdktf';
import { remoteStateFromEnv, type RemoteState } from './backend';
import { loadInputFiles } from '../inputs/input-files';
import { clearStackOutput, stackDir } from './synth-output';
import type { Roster } from '../inputs/roster';
import type { Settings } from '../inputs/settings';
import { IamOnboardingStack, STACK_NAME } from './iam-onboarding-stack';

export interface SynthOptions {
  /** @default `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly outdir?: string;
  /** @default `ROSTER_FILE`, else `users/users.json` */
  readonly rosterFile?: string;
  /** @default `SETTINGS_FILE`, else `config/settings.json` */
  readonly settingsFile?: string;
}

export interface SynthResult {
  /** Directory holding the stack's cdk.tf.json. */
  readonly stackDir: string;
  readonly roster: Roster;
  readonly settings: Settings;
}

export interface Inputs {
  readonly roster: Roster;
  readonly settings: Settings;
  /** Where state lives when the environment names an S3 bucket (stacks/backend.ts). */
  readonly remoteState: RemoteState | undefined;
}

/**
 * Loads and checks every input before any construct exists: both files
 * (reporting the problems of both when both are wrong), then the state
 * location from the environment.
 */
export function loadInputs(options: SynthOptions = {}): Inputs {
  const { roster, settings } = loadInputFiles(options);
  return { roster, settings, remoteState: remoteStateFromEnv() };
}

export function synthesize(options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  clearStackOutput(outdir, STACK_NAME);
  try {
    const { roster, settings, remoteState } = loadInputs(options);
    // Stack traces in construct metadata cost time on large rosters and say nothing useful here.
    const app = new App({ outdir, stackTraces: false });
    new IamOnboardingStack(app, { roster, settings, remoteState });
    app.synth();
    return { stackDir: stackDir(outdir, STACK_NAME), roster, settings };
  } catch (err) {
    clearStackOutput(outdir, STACK_NAME);
    throw err;
  }
}

/**
 * One synthesis, as `main.ts` (and so `cdktf synth` / `cdktf deploy`),
 * `npm run plan` and the tests run it: validate every input first, build the
 * stack, write it. A failure at any point leaves no stack output behind.
 */
import { App } from 'cdktf';
import { remoteStateFromEnv, type RemoteState } from './backend';
import { InputFileError, InputFilesError } from './errors';
import { clearStackOutput, stackDir } from './output';
import { DEFAULT_ROSTER_FILE, loadRoster, type Roster } from './roster';
import { DEFAULT_SETTINGS_FILE, loadSettings, SETTINGS_FILE_ENV, type Settings } from './settings';
import { IamOnboardingStack, STACK_NAME } from '../stacks/iam-onboarding-stack';

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
  /** Where state lives when the environment names an S3 bucket (lib/backend.ts). */
  readonly remoteState: RemoteState | undefined;
}

/**
 * Loads and checks every input before any construct exists: both files
 * (reporting the problems of both when both are wrong), then the state
 * location from the environment.
 */
export function loadInputs(options: SynthOptions = {}): Inputs {
  const errors: InputFileError[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      errors.push(err);
      return undefined;
    }
  };
  const roster = attempt(() =>
    loadRoster(options.rosterFile ?? (process.env.ROSTER_FILE || DEFAULT_ROSTER_FILE)),
  );
  const settings = attempt(() =>
    loadSettings(options.settingsFile ?? (process.env[SETTINGS_FILE_ENV] || DEFAULT_SETTINGS_FILE)),
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputFilesError(errors);
  return { roster: roster!, settings: settings!, remoteState: remoteStateFromEnv() };
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

/**
 * Reading the two files people edit, the roster and the settings, and
 * nothing else: shared by synthesis (stacks/synth.ts) and `npm run check`,
 * which must stay free of cdktf so that it starts in a blink.
 */
import { InputFileError, InputFilesError } from './errors';
import { DEFAULT_ROSTER_FILE, loadRoster, type Roster } from './roster';
import { DEFAULT_SETTINGS_FILE, loadSettings, SETTINGS_FILE_ENV, type Settings } from './settings';

export interface InputFileOptions {
  /** @default `ROSTER_FILE`, else `users/users.json` */
  readonly rosterFile?: string;
  /** @default `SETTINGS_FILE`, else `config/settings.json` */
  readonly settingsFile?: string;
}

export interface InputFiles {
  readonly roster: Roster;
  readonly settings: Settings;
  /** The paths read, as given (relative to the current directory unless absolute). */
  readonly rosterFile: string;
  readonly settingsFile: string;
}

/**
 * Loads and validates both files, reporting the problems of both when both
 * are wrong (InputFilesError), or of the one that is (InputFileError).
 */
export function loadInputFiles(
  options: InputFileOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): InputFiles {
  const rosterFile = options.rosterFile ?? (env.ROSTER_FILE || DEFAULT_ROSTER_FILE);
  const settingsFile = options.settingsFile ?? (env[SETTINGS_FILE_ENV] || DEFAULT_SETTINGS_FILE);
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
  // The settings first: their `limits` are the quotas the roster is checked against.
  const settings = attempt(() => loadSettings(settingsFile));
  // And their Slack token: a person's Slack channel needs it. Unknown when the settings are wrong.
  const delivery = settings
    ? {
        slackConfigured: settings.delivery.slackBotTokenParameter !== undefined,
        defaultChannel: settings.delivery.channel,
      }
    : undefined;
  const roster = attempt(() => loadRoster(rosterFile, settings?.limits, undefined, delivery));
  // The roster's problems first, as the files are named.
  if (errors.length === 2) errors.reverse();
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputFilesError(errors);
  return { roster: roster!, settings: settings!, rosterFile, settingsFile };
}

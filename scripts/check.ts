/**
 * `npm run check`: validates the roster and the settings, and nothing else:
 * no synthesis, no Terraform, no cdktf (inputs/input-files.ts and what it imports
 * only, so that it starts in a blink; a test keeps the import graph small).
 * Made for pre-commit hooks and the first step of CI.
 *
 * Exit 0 with one line, `users/users.json: 3 people, 2 groups;
 * config/settings.json: OK`; exit 1 with every problem of both files (and,
 * inside GitHub Actions, one annotation per problem: inputs/report.ts).
 * `ROSTER_FILE` and `SETTINGS_FILE` choose other files, as for synthesis.
 */
import { isInputError } from '../inputs/errors';
import { loadInputFiles } from '../inputs/input-files';
import { reportInputError } from '../inputs/report';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function main(): number {
  try {
    const { roster, rosterFile, settingsFile } = loadInputFiles();
    console.log(
      `${rosterFile}: ${count(roster.users.length, 'person', 'people')}, ` +
        `${count(roster.groups.length, 'group', 'groups')}; ${settingsFile}: OK`,
    );
    return 0;
  } catch (err) {
    if (!isInputError(err)) throw err;
    reportInputError(err);
    return 1;
  }
}

process.exitCode = main();

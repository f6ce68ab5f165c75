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
 *
 * A valid roster can still be a mistake: an empty `users` list, or a change
 * that removes more than `ROSTER_REMOVAL_WARNING_SHARE` (20%) of the people
 * in the roster as committed (git HEAD; in a pull request, the base branch).
 * Those print a warning on stderr (and a `::warning` annotation) and still
 * exit 0: removing people can be meant. Without git or a committed roster,
 * only the empty list is checked.
 */
import { isInputError } from '../inputs/errors';
import { loadInputFiles } from '../inputs/input-files';
import { committedRoster, removalWarnings, removalWarningShare } from '../inputs/removals';
import { escapeData, escapeProperty, reportInputError, repositoryPath } from '../inputs/report';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function main(): number {
  try {
    const { roster, rosterFile, settingsFile } = loadInputFiles();
    const warnings = removalWarnings(
      roster.users.map((u) => u.userName.toLowerCase()),
      committedRoster(rosterFile),
      removalWarningShare(),
    );
    for (const w of warnings) {
      process.stderr.write(`${rosterFile}: warning: ${w}\n`);
      if (process.env.GITHUB_ACTIONS === 'true') {
        const root = process.env.GITHUB_WORKSPACE || process.cwd();
        const props = `file=${escapeProperty(repositoryPath(rosterFile, root))},title=${escapeProperty('Roster warning')}`;
        console.log(`::warning ${props}::${escapeData(w)}`);
      }
    }
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

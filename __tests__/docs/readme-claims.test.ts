/**
 * The README test's reading of the README (support/readme.ts) on small
 * texts: it must find what a reader would type, with its flags and shown
 * output, and the repository files named, and nothing else.
 */
import { hasPlaceholder, readmeCommands, readmePaths } from '../support/readme';

const md = [
  'Run `npm run check` first; `npm run test:fast -- __tests__/inputs` narrows it.',
  'Then `npm run',
  'rehearse -- --config PATH` rehearses a configuration.',
  '```sh',
  'npm ci && npm run plan   # install, and npm run ignored-in-comment',
  '```',
  '```',
  '$ npm run --silent check',
  'users/users.json: 3 people; config/settings.json: OK',
  '```',
  'With `-- --apply` it queues; `npm run check` again.',
].join('\n');

describe('reading the README', () => {
  it('finds each npm run command once, with the flags shown and the output under `$`', () => {
    expect(readmeCommands(md)).toEqual([
      { command: 'npm run plan', script: 'plan', args: [] },
      {
        command: 'npm run --silent check',
        script: 'check',
        args: [],
        output: 'users/users.json: 3 people; config/settings.json: OK',
      },
      { command: 'npm run check', script: 'check', args: [] },
      {
        command: 'npm run test:fast -- __tests__/inputs',
        script: 'test:fast',
        args: ['__tests__/inputs'],
      },
      {
        command: 'npm run rehearse -- --config PATH',
        script: 'rehearse',
        args: ['--config', 'PATH'],
      },
    ]);
  });

  it('tells a placeholder from a value', () => {
    const [plan, , , narrow, rehearse] = readmeCommands(md);
    expect([plan, narrow, rehearse].map(hasPlaceholder)).toEqual([false, false, true]);
    expect(
      hasPlaceholder({ command: '', script: 'redrive', args: ['--max=N'] }) &&
        hasPlaceholder({ command: '', script: 'x', args: ['<file>'] }) &&
        hasPlaceholder({ command: '', script: 'rehearse', args: ['--scp', 'FILE...'] }) &&
        hasPlaceholder({ command: '', script: 'rehearse', args: ['--scp', 'FILE…'] }) &&
        !hasPlaceholder({ command: '', script: 'x', args: ['--scp', 'deny-login.json'] }) &&
        !hasPlaceholder({
          command: '',
          script: 'x',
          args: ['--state', 'cdktf.out/local/x.tfstate'],
        }),
    ).toBe(true);
  });

  it('names repository paths by their first segment, not URLs, AWS paths or generated output', () => {
    const text = [
      'See [config/README.md](config/README.md) and `docs/roles/`, `main.ts`.',
      'Refused on `user/someone-else` and `AWSLogs/<account>/`; at https://github.com/a/docs/x.',
      'It writes `cdktf.out/stacks/iam-onboarding/plan.json` (`users/users.json:30:7`).',
      'The users and config folders; `.ci/run`; `/opt/tf-plugins`; `docs/<x>.md`.',
      "grep -qxE 'users/users\\.json|config/settings\\.json'",
    ].join('\n');
    const top = new Set(['config', 'docs', 'main.ts', 'users', '.ci', 'cdktf.json']);
    expect(readmePaths(text, top)).toEqual([
      '.ci/run',
      'config/README.md',
      'docs/roles',
      'main.ts',
      'users/users.json',
    ]);
  });
});

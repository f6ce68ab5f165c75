/**
 * What the README claims that a test can check: the `npm run …` commands it
 * shows (with their flags, and the output it shows for them), and the
 * repository files it names. Derived from the text, so a line someone adds
 * is checked without anyone listing it.
 */

/** One `npm run` command as the README shows it. */
export interface ReadmeCommand {
  /** The command, whitespace normalised: `npm run --silent check`. */
  readonly command: string;
  /** The npm script: `check`. */
  readonly script: string;
  /** What follows `--`: `['--state', 'FILE']`. */
  readonly args: readonly string[];
  /** The output the README shows under `$ command` in a code block, when it does. */
  readonly output?: string;
}

const FENCE = /^```[^\n]*\n([\s\S]*?)^```$/gm;
const NPM_RUN = /\bnpm run\s+(--silent\s+)?([\w:-]+)((?:\s+--(?:\s+[^\s`#;&|]+)*)?)/g;

function commandsIn(text: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  for (const m of text.matchAll(NPM_RUN)) {
    const args = (m[3] ?? '').trim().split(/\s+/).filter(Boolean).slice(1);
    const command = ['npm run', m[1] ? '--silent' : '', m[2], args.length ? '--' : '', ...args]
      .filter(Boolean)
      .join(' ');
    out.push({ command, script: m[2], args });
  }
  return out;
}

/**
 * Every `npm run` command in code (fenced blocks and inline spans; prose
 * mentions are in spans here), once each, in order of appearance. In a block,
 * a shell comment ends the command; a `$ command` line followed by lines up
 * to the next `$` or the block's end shows its output.
 */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const found: ReadmeCommand[] = [];
  const rest = markdown.replace(FENCE, (_all, body: string) => {
    const lines = body.split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/(^|\s)#.*$/, '');
      for (const c of commandsIn(code)) {
        if (!/^\$\s/.test(line)) {
          found.push(c);
          continue;
        }
        const shown: string[] = [];
        for (let j = i + 1; j < lines.length && !/^\$\s/.test(lines[j]); j++) shown.push(lines[j]);
        const output = shown.join('\n').trim();
        found.push(output ? { ...c, output } : c);
      }
    });
    return '';
  });
  for (const span of rest.matchAll(/`([^`]+)`/g))
    found.push(...commandsIn(span[1].replace(/\s+/g, ' ')));
  const seen = new Map<string, ReadmeCommand>();
  for (const c of found) {
    const prev = seen.get(c.command);
    if (!prev || (c.output && !prev.output)) seen.set(c.command, c);
  }
  return [...seen.values()];
}

/**
 * Whether a command shows a placeholder (`FILE`, `PATH`, `N`, a repeated
 * `FILE...`) rather than a value to type.
 */
export function hasPlaceholder(c: ReadmeCommand): boolean {
  return c.args.some((a) => /(^|[=<])[A-Z][A-Z_]*(>|\.\.\.|…)?$|<[^>]+>/.test(a));
}

/**
 * Repository paths the README names: slash-separated tokens (or bare file
 * names) whose first segment is one of `topLevel` (the repository's own
 * top-level files and folders), so that AWS paths (`user/someone-else`),
 * URLs and generated output (`cdktf.out/…`) are not taken for files.
 * Tokens with a placeholder or wildcard (`<account>`, `*`, `…`) are left out.
 */
export function readmePaths(markdown: string, topLevel: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  // Not part of a longer word or a regular expression (`users/users\.json`).
  const token = /(?<![\w/.:@<>-])\.?[\w-][\w.-]*(?:\/[\w.<>*…-]+)*\/?(?![\\\w])/g;
  for (const m of markdown.matchAll(token)) {
    const path = m[0].replace(/[.]+$/, '');
    if (/[<>*…]/.test(path)) continue;
    const first = path.split('/')[0];
    if (!topLevel.has(first)) continue;
    // A bare word equal to a folder name ("users", "config") is prose, not a path.
    if (!path.includes('/') && !/\.\w+$/.test(path)) continue;
    out.add(path.replace(/\/$/, ''));
  }
  return [...out].sort();
}

/**
 * The layout's one rule: imports point one way. Each top-level folder may
 * import only the folders listed for it below, so no folder imports one that
 * imports it back, and the function (handlers/) never pulls in the build.
 * Read with TypeScript's own parser, so comments and strings do not count.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');

/** What each part may import, besides itself and packages. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: [],
  inputs: ['shared'],
  handlers: ['shared'],
  stacks: ['shared', 'inputs'],
  review: ['shared', 'inputs', 'stacks', 'handlers'],
  operations: ['shared', 'inputs', 'stacks', 'handlers'],
  emulator: ['shared', 'inputs', 'stacks', 'handlers', 'review'],
  // The entry points: commands people and CI run.
  scripts: ['shared', 'inputs', 'stacks', 'handlers', 'review', 'operations', 'emulator'],
  bench: ['shared', 'inputs', 'stacks', 'handlers', 'review', 'operations', 'emulator'],
  'main.ts': ['shared', 'inputs', 'stacks'],
};

const partOf = (file: string) => (file.includes('/') ? file.split('/')[0] : file);

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** `from` -> part imported, for every relative import that leaves its own part. */
function crossings(): { from: string; to: string }[] {
  const files = [
    ...Object.keys(MAY_IMPORT)
      .filter((p) => !p.endsWith('.ts'))
      .flatMap(sources),
    'main.ts',
  ];
  return files.flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    return importedFiles
      .filter((i) => i.fileName.startsWith('.'))
      .map((i) => ({
        from: file,
        to: partOf(relative(ROOT, resolve(ROOT, dirname(file), i.fileName))),
      }))
      .filter(({ from, to }) => partOf(from) !== to);
  });
}

/** The README's layout table: path -> the folders its last column names. */
function readmeTable(): Map<string, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Layout'));
  const rows = section.split('\n').filter((l) => /^\| `[^`]+`/.test(l));
  return new Map(
    rows.map((row) => {
      const cells = row.split(' | ');
      const path = /`([^`]+)`/.exec(cells[0])![1];
      const mayImport = cells[cells.length - 1];
      const parts = /all of the above/.test(mayImport)
        ? ['shared', 'inputs', 'stacks', 'handlers', 'review', 'operations', 'emulator']
        : [...mayImport.matchAll(/`([^`/]+)\/`/g)].map((m) => m[1]);
      return [path.replace(/\/$/, ''), parts];
    }),
  );
}

describe('the layout', () => {
  const found = crossings();

  it('has every part listed and reads real imports', () => {
    const parts = new Set(found.map((c) => partOf(c.from)));
    expect([...parts].sort()).toEqual(
      Object.keys(MAY_IMPORT)
        .filter((p) => p !== 'shared')
        .sort(),
    );
  });

  it('imports only one way: each part only from the parts listed for it', () => {
    const wrong = found
      .filter(({ from, to }) => !MAY_IMPORT[partOf(from)].includes(to))
      .map(({ from, to }) => `${from} imports ${to}/`);
    expect(wrong).toEqual([]);
  });

  it('has no two parts that may import each other', () => {
    const both = Object.entries(MAY_IMPORT).flatMap(([a, deps]) =>
      deps.filter((b) => (MAY_IMPORT[b] ?? []).includes(a)).map((b) => `${a} <-> ${b}`),
    );
    expect(both).toEqual([]);
  });

  it("is the README's table: every folder in it, every row a folder, the same import rules", () => {
    const table = readmeTable();
    // Generated folders git ignores (reports/: `npm run mutate`'s report) are no part of the layout.
    const tracked = readdirSync(ROOT, { withFileTypes: true })
      .filter(
        (e) =>
          e.isDirectory() &&
          !/^(\.|node_modules$|cdktf\.out$|dist$|coverage$|reports$)/.test(e.name),
      )
      .map((e) => e.name);
    const rows = [...table.keys()].map((p) => p.split('/')[0]);
    expect(tracked.filter((d) => !rows.includes(d))).toEqual([]);
    expect(rows.filter((r) => !existsSync(join(ROOT, r)))).toEqual([]);
    for (const [part, allowed] of Object.entries(MAY_IMPORT)) {
      const row = table.get(part) ?? table.get(`${part}/welcome`);
      expect({ part, mayImport: [...(row ?? [])].sort() }).toEqual({
        part,
        mayImport: [...allowed].sort(),
      });
    }
  });

  it('keeps every test helper in the one support folder, __tests__/support/', () => {
    const helpers = sources('__tests__').filter(
      (f) => !/\.test\.ts$/.test(f) && !f.startsWith(join('__tests__', 'support') + '/'),
    );
    expect(helpers).toEqual([]);
  });
});

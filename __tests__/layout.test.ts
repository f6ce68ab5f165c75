/**
 * The layout's one rule: imports point one way. Each top-level folder may
 * import only the folders listed for it below, so no folder imports one that
 * imports it back, and the function (handlers/) never pulls in the build.
 * Inside the parts, no file imports one that imports it back, by any path
 * (an import cycle). Read with TypeScript's own parser, so comments and
 * strings do not count.
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

/** Every source file -> the source files it imports (relative imports, `import type` included). */
function fileGraph(): Map<string, string[]> {
  const files = [
    ...Object.keys(MAY_IMPORT)
      .filter((p) => !p.endsWith('.ts'))
      .flatMap(sources),
    'main.ts',
  ];
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(
        readFileSync(join(ROOT, file), 'utf8'),
        true,
        true,
      );
      const targets = importedFiles
        .filter((i) => i.fileName.startsWith('.'))
        .map((i) => relative(ROOT, resolve(ROOT, dirname(file), i.fileName)))
        .map((t) => [`${t}.ts`, join(t, 'index.ts'), t].find((c) => known.has(c)))
        .filter((t): t is string => t !== undefined);
      return [file, [...new Set(targets)]];
    }),
  );
}

/** The import cycles: each strongly connected set of two or more files (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const set: string[] = [];
    let top: string;
    do {
      top = stack.pop()!;
      onStack.delete(top);
      set.push(top);
    } while (top !== file);
    if (set.length > 1) cycles.push(set.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
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

  it('has no import cycle between files: no file imports one that imports it back', () => {
    const graph = fileGraph();
    // The graph is real: the handler's entry reaches its handler module.
    expect(graph.get(join('handlers', 'welcome', 'index.ts'))).toContain(
      join('handlers', 'welcome', 'handler.ts'),
    );
    // Cycles older than this check, outside the function; to be broken by their owners, never added to.
    const known = new Set([
      'inputs/cdktf-markers.ts inputs/validate.ts',
      'emulator/deploy.ts emulator/gaps.ts',
    ]);
    expect(importCycles(graph).filter((c) => !known.has(c.join(' ')))).toEqual([]);
  });

  it('finds a cycle of two and a longer one (the check itself)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
      ['c.ts', ['d.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', ['c.ts']],
      ['f.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([
      ['a.ts', 'b.ts'],
      ['c.ts', 'd.ts', 'e.ts'],
    ]);
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

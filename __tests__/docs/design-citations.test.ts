/**
 * Citations of the design notes. Code and documents cite a section of
 * docs/design.md by its heading: `(docs/design.md, "<heading>")`, several
 * headings joined by "and" or commas. A heading renamed or mistyped would
 * leave the reader with nowhere to go, so every citation in the project's
 * sources and documents must name a heading that exists; and the numbered
 * "DESIGN fact N" citations of a document outside the repository must not
 * come back. Plain file reading, no git: what is checked is the working tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const DESIGN = 'docs/design.md';

/** Where citations live: sources and documents; entries missing from the tree are skipped. */
const SCANNED = [
  'main.ts',
  'stacks',
  'handlers',
  'lib',
  'inputs',
  'shared',
  'review',
  'operations',
  'scripts',
  'bench',
  '__tests__',
  'README.md',
  'config/README.md',
  'docs',
];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '__snapshots__', 'dist', 'cdktf.out']);
const TEXT_FILE = /\.(?:[cm]?[jt]s|md)$/;
/** This file quotes bad citations on purpose (the scanner's own checks below). */
const THIS_FILE = relative(ROOT, __filename);

// --- the scanner -------------------------------------------------------------

interface Found {
  readonly line: number;
  readonly heading: string;
}

interface Problem {
  readonly line: number;
  readonly message: string;
}

const ANCHOR = 'docs/design.md,';
/** Between the anchor and a heading, or two headings: blanks, comment markers, "and", commas. */
const GAP = /^(?:[\s*/#>]|\band\b|,)*/;

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The headings cited in `text`, and citations that cannot be read. */
function citationsIn(text: string): { found: Found[]; problems: Problem[] } {
  const found: Found[] = [];
  const problems: Problem[] = [];
  for (let at = text.indexOf(ANCHOR); at >= 0; at = text.indexOf(ANCHOR, at + 1)) {
    let position = at + ANCHOR.length;
    let headings = 0;
    let broken = false;
    for (;;) {
      const open = position + (GAP.exec(text.slice(position))?.[0].length ?? 0);
      if (text[open] !== '"') break;
      const close = text.indexOf('"', open + 1);
      const heading = close < 0 ? '' : text.slice(open + 1, close);
      if (close < 0 || heading.includes('\n')) {
        problems.push({ line: lineAt(text, open), message: 'heading broken across lines' });
        broken = true;
        break;
      }
      found.push({ line: lineAt(text, open), heading });
      headings += 1;
      position = close + 1;
    }
    if (headings === 0 && !broken) {
      problems.push({ line: lineAt(text, at), message: `${DESIGN} cited without a heading` });
    }
  }
  return { found, problems };
}

/** The old numbered citations: `DESIGN fact 4`, `DESIGN facts 3-4`, `DESIGN "The flow"`, `(fact 1)`. */
const LEGACY = [
  /\bDESIGN\b(?=(?:\s|\*|\/\/|#)*(?:facts?\b|"|\.md\b))/g,
  /\bfacts?\s+\d+(?:\s*[-–]\s*\d+)?\s*[):;,]/gi,
];

function legacyCitationsIn(text: string): number[] {
  return LEGACY.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => lineAt(text, match.index ?? 0)),
  ).sort((a, b) => a - b);
}

/** Headings of a markdown document, outside fenced code. */
function headingsOf(markdown: string): { level: number; text: string; line: number }[] {
  let fenced = false;
  return markdown.split('\n').flatMap((line, index) => {
    if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    return heading ? [{ level: heading[1].length, text: heading[2], line: index + 1 }] : [];
  });
}

/** GitHub's anchor for a heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function textFiles(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return TEXT_FILE.test(path) ? [path] : [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)
      ? []
      : textFiles(join(path, entry.name)),
  );
}

const scanned = [...new Set(SCANNED.flatMap(textFiles))]
  .filter((file) => file !== THIS_FILE)
  .sort()
  .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

const design = existsSync(join(ROOT, DESIGN)) ? readFileSync(join(ROOT, DESIGN), 'utf8') : '';
const headings = headingsOf(design);
const sections = headings.filter((h) => h.level === 2);

// --- the design notes themselves --------------------------------------------

test(`${DESIGN} exists, with one title and unique section headings`, () => {
  expect(design).not.toBe('');
  expect(headings.filter((h) => h.level === 1)).toHaveLength(1);
  const names = headings.map((h) => h.text);
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
});

test('its contents list every section, with anchors that lead to it', () => {
  const contents = design.split(/^## Contents$/m)[1]?.split(/^## /m)[0] ?? '';
  const entries = [...contents.matchAll(/^- \[(.+)\]\(#(.+)\)$/gm)].map((m) => ({
    text: m[1],
    anchor: m[2],
  }));
  const expected = sections
    .filter((s) => s.text !== 'Contents')
    .map((s) => ({ text: s.text, anchor: anchorOf(s.text) }));
  expect(entries).toEqual(expected);
});

test('every fact names its source', () => {
  const withoutSource = sections
    .filter((s) => s.text !== 'Contents' && s.text !== 'The flow')
    .filter((s) => {
      const next = sections.find((n) => n.line > s.line);
      const body = design
        .split('\n')
        .slice(s.line, next ? next.line - 1 : undefined)
        .join('\n');
      return !/^Sources?:/m.test(body);
    })
    .map((s) => `${DESIGN}:${s.line}: ${s.text}`);
  expect(withoutSource).toEqual([]);
});

test('every file or folder it names exists', () => {
  // `stacks/region.ts`, `handlers/welcome/`: paths relative to the repository root.
  const PATH = /^[A-Za-z_][\w.-]*(?:\/[\w.-]+)*(?:\/[\w.-]+\.(?:ts|js|md|json)|\/)$/;
  const missing = [...design.matchAll(/`([^`\n]+)`/g)]
    .filter((m) => PATH.test(m[1]))
    .filter((m) => !existsSync(join(ROOT, m[1])))
    .map((m) => `${DESIGN}:${lineAt(design, m.index ?? 0)}: ${m[1]}`);
  expect(missing).toEqual([]);
});

// --- the citations -------------------------------------------------------------

test(`every citation names a heading of ${DESIGN}`, () => {
  const known = new Set(headings.map((h) => h.text));
  const results = scanned.map(({ file, text }) => ({ file, ...citationsIn(text) }));
  const wrong = results.flatMap(({ file, found, problems }) => [
    ...found
      .filter((c) => !known.has(c.heading))
      .map((c) => `${file}:${c.line}: no heading "${c.heading}" in ${DESIGN}`),
    ...problems.map((p) => `${file}:${p.line}: ${p.message}`),
  ]);
  expect(wrong).toEqual([]);
  // The scanner finds what is there (about thirty citations when this was written).
  expect(results.flatMap((r) => r.found).length).toBeGreaterThanOrEqual(20);
});

test('no numbered "DESIGN fact" citation remains', () => {
  const legacy = scanned.flatMap(({ file, text }) =>
    legacyCitationsIn(text).map((line) => `${file}:${line}`),
  );
  expect(legacy).toEqual([]);
});

// --- the scanner's own checks ------------------------------------------------

describe('the scanner', () => {
  test('reads one heading, several headings, and headings continued on the next comment line', () => {
    const text = [
      '/** Region (docs/design.md, "A"). */',
      ' * see (docs/design.md, "B" and "C", "D")',
      ' * (docs/design.md,',
      ' * "E" and',
      ' * "F"): then "not a heading"',
    ].join('\n');
    expect(citationsIn(text)).toEqual({
      found: [
        { line: 1, heading: 'A' },
        { line: 2, heading: 'B' },
        { line: 2, heading: 'C' },
        { line: 2, heading: 'D' },
        { line: 4, heading: 'E' },
        { line: 5, heading: 'F' },
      ],
      problems: [],
    });
  });

  test('reports a citation without a heading and a heading broken across lines', () => {
    const text =
      'see docs/design.md, the flow\n(docs/design.md, "IAM is\n * eventually consistent")';
    expect(citationsIn(text).problems).toEqual([
      { line: 1, message: `${DESIGN} cited without a heading` },
      { line: 2, message: 'heading broken across lines' },
    ]);
  });

  test('would reject a mistyped heading', () => {
    const known = new Set(headings.map((h) => h.text));
    const { found } = citationsIn('(docs/design.md, "IAM is eventualy consistent")');
    expect(found.map((c) => known.has(c.heading))).toEqual([false]);
    expect(known.has('IAM is eventually consistent')).toBe(true);
  });

  test('finds the old numbered citations, wrapped or not', () => {
    const text = [
      'a (DESIGN fact 4).',
      'b (DESIGN facts 3-4)',
      'c (DESIGN',
      ' * fact 13), d',
      'e (DESIGN "The flow")',
      'f (fact 1).',
      'g (encryption context; fact 6)',
      'h: the design notes, docs/design.md',
    ].join('\n');
    expect(legacyCitationsIn(text)).toEqual([1, 1, 2, 2, 3, 4, 5, 6, 7]);
  });

  test('makes the anchors GitHub makes', () => {
    expect(anchorOf("The password policy in force, or IAM's default")).toBe(
      'the-password-policy-in-force-or-iams-default',
    );
    expect(anchorOf('A forced password reset needs iam:ChangePassword')).toBe(
      'a-forced-password-reset-needs-iamchangepassword',
    );
    expect(anchorOf('The function runs on nodejs22.x with its own AWS SDK')).toBe(
      'the-function-runs-on-nodejs22x-with-its-own-aws-sdk',
    );
  });
});

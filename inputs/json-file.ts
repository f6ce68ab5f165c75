/**
 * Reads a JSON file people edit, keeping positions so that every problem can
 * point at a line and column. jsonc-parser (the parser behind VS Code's JSON
 * support) gives offsets for syntax errors and for any JSON path, which
 * JSON.parse does not; it runs in strict mode here: no comments, no trailing
 * commas, because the files are plain JSON.
 */
import { readFileSync } from 'node:fs';
import {
  findNodeAtLocation,
  getNodePath,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { describeProblem, InputFileError, jsonPath, quote, type Problem } from './errors';

export interface JsonDocument {
  /** The path the file was read from, as given (for messages). */
  readonly file: string;
  /** What the file is, for annotations: "Roster problem", "Settings problem". */
  readonly title: string;
  readonly value: unknown;
  /** 1-based line and column of the value at a JSON path, or of its nearest parent. */
  position(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function toLineColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing brace } was expected',
  CloseBracketExpected: 'a closing bracket ] was expected',
  EndOfFileExpected: 'nothing more was expected after the top-level value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'the string is not closed',
  UnexpectedEndOfNumber: 'the number is not finished',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

/** Every key that repeats an earlier key of the same object, with the earlier one's offset. */
function duplicateKeys(root: Node): { node: Node; first: number }[] {
  const out: { node: Node; first: number }[] = [];
  const visit = (node: Node) => {
    if (node.type === 'object') {
      const seen = new Map<string, number>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (!key) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (first !== undefined) out.push({ node: key, first });
        else seen.set(name, key.offset);
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return out.sort((a, b) => a.node.offset - b.node.offset);
}

/**
 * The text a syntax error points at, as a value for the message: a string
 * token as its content (`"email"`), anything else as written, or a note that
 * the file ended.
 */
function offendingText(text: string, e: ParseError): string {
  if (e.offset >= text.length) return 'the end of the file';
  const token = text.slice(e.offset, e.offset + Math.max(e.length, 1));
  try {
    const parsed = JSON.parse(token) as unknown;
    if (typeof parsed === 'string') return quote(parsed);
  } catch {
    // not a complete token: shown as written
  }
  return quote(token);
}

/**
 * Whether valid JSON text has an object with a key given twice: one pass
 * over the characters, far cheaper on a cold start than building the tree
 * (the tree is built only when this finds one, to say where).
 */
function hasDuplicateKey(text: string): boolean {
  // One entry per open object or array: the object's keys so far, or null.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) {
          escaped = true;
          i++;
        }
      }
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = escaped
          ? (JSON.parse(text.slice(start, i + 1)) as string)
          : text.slice(start + 1, i);
        if (keys.has(key)) return true;
        keys.add(key);
        expectKey = false;
      }
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== null;
    }
  }
  return false;
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/**
 * Deepest nesting of `[` and `{` a file people edit may have. The roster
 * needs four levels and the settings about as many; far deeper is a pasted
 * or generated structure, and it would overflow the stack of every
 * recursive step after parsing (jsonc-parser's tree, JSON.stringify).
 */
export const MAX_JSON_NESTING = 32;

/**
 * The offset of the first `[` or `{` nested deeper than `limit`, or -1: one
 * pass over the characters that skips strings and tolerates broken JSON
 * (an unclosed string ends the scan), so it runs before either parser.
 */
export function tooDeepAt(text: string, limit = MAX_JSON_NESTING): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** The offset of the comma before `offset` when only white space lies between, else -1. */
function commaBefore(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === ',' ? i : -1;
}

/**
 * The first syntax error as a person would put it: a comma before a closing
 * bracket is a trailing comma, reported at the comma; a single quote gets
 * the double-quoted form.
 */
function describeSyntaxError(
  text: string,
  e: ParseError,
  lineColumn: (offset: number) => { line: number; column: number },
): Problem {
  const code = printParseErrorCode(e.error);
  const closing = text[e.offset] === ']' || text[e.offset] === '}';
  const comma = closing ? commaBefore(text, e.offset) : -1;
  if ((code === 'ValueExpected' || code === 'PropertyNameExpected') && comma >= 0) {
    return {
      path: '$',
      message: `JSON syntax error: trailing comma; JSON allows no comma after the last item of a list or object: remove this one (before ${quote(text[e.offset])})`,
      ...lineColumn(comma),
    };
  }
  if (text[e.offset] === "'") {
    const single = /^'([^'"\\\n]*)'/.exec(text.slice(e.offset, e.offset + 300));
    return {
      path: '$',
      message:
        'JSON syntax error: single quotes; JSON strings and field names need double quotes' +
        (single ? `: write "${single[1]}" instead of '${single[1]}'` : ' ("like this")'),
      ...lineColumn(e.offset),
    };
  }
  // The offending token is already rendered (quoted, or "the end of the file").
  return describeProblem({
    path: '$',
    message: `JSON syntax error: ${SYNTAX_MESSAGES[code] ?? code}; found ${offendingText(text, e)}`,
    ...lineColumn(e.offset),
  });
}

/**
 * Parses JSON text; syntax errors become an InputFileError with line and
 * column. A valid file is parsed by JSON.parse; jsonc-parser's tree, which
 * costs more than the rest of a check on a cold start, is built only to
 * report a problem's position.
 */
export function parseJsonDocument(
  file: string,
  text: string,
  title = 'Input file problem',
): JsonDocument {
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  let starts: number[] | undefined;
  const lineColumn = (offset: number) => toLineColumn((starts ??= lineStarts(text)), offset);
  // Before either parser: past this depth only a clear problem is safe to produce.
  const deep = tooDeepAt(body);
  if (deep >= 0) {
    throw new InputFileError(
      file,
      [
        {
          path: '$',
          message: `nested too deeply: more than ${MAX_JSON_NESTING} levels of lists and objects start here; this file needs no more than a few (was a generated structure pasted in?)`,
          ...lineColumn(deep),
        },
      ],
      title,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const errors: ParseError[] = [];
    parseTree(body, errors, STRICT);
    const problems: Problem[] = errors.map((e) => describeSyntaxError(body, e, lineColumn));
    // Both parsers follow the JSON grammar; should they ever disagree, JSON.parse's word stands.
    if (problems.length === 0) {
      problems.push({ path: '$', message: `JSON syntax error: ${(err as Error).message}` });
    }
    // The first error is the real one; later ones are mostly the parser recovering.
    throw new InputFileError(file, problems.slice(0, 1), title);
  }
  let tree: Node | undefined;
  const treeOf = () => (tree ??= parseTree(body, [], STRICT)!);
  // JSON.parse keeps the last of two equal keys without a word; in a file
  // people edit that is a silent typo (two "email"s, one of them stale).
  if (hasDuplicateKey(body)) {
    const duplicates = duplicateKeys(treeOf()).map(({ node, first }) =>
      describeProblem({
        path: jsonPath(getNodePath(node)),
        message: `the key ${quote(String(node.value))} appears twice in this object (first at line ${lineColumn(first).line}); JSON keeps only the last`,
        value: String(node.value),
        ...lineColumn(node.offset),
      }),
    );
    throw new InputFileError(file, duplicates, title);
  }
  return {
    file,
    title,
    value,
    position(path) {
      for (let n = path.length; n >= 0; n--) {
        const node: Node | undefined = findNodeAtLocation(
          treeOf(),
          path.slice(0, n).map((s) => (typeof s === 'number' ? s : String(s))),
        );
        if (node) {
          // For a property, point at its key rather than its value.
          const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
          return lineColumn(at);
        }
      }
      return undefined;
    },
  };
}

/** Reads and parses a JSON file; a missing or unreadable file is an InputFileError too. */
export function readJsonDocument(file: string, title = 'Input file problem'): JsonDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err);
    throw new InputFileError(
      file,
      [{ path: '$', message: `cannot read the file: ${reason}` }],
      title,
    );
  }
  return parseJsonDocument(file, text, title);
}

/**
 * Looking for a secret in text the way a leak would carry it: verbatim, in
 * any common encoding (base64, base64url, hex, URL-encoding, JSON-escaped,
 * reversed), or in part (any piece of 6 or more characters: a password
 * logged without its last character is still leaked). The handler tests run
 * every log line and notice through `leaksOf`; a test that compared only the
 * verbatim password would pass a base64-logging function.
 */

/** Pieces this long or longer count as a leak: long enough not to occur by chance in a log. */
export const MIN_LEAKED_PIECE = 6;

export interface Leak {
  /** How the secret appears: `raw`, `base64`, …, or `piece "abcdef"`. */
  readonly form: string;
  readonly line: string;
}

/** The secret as each common encoding writes it. */
export function encodingsOf(secret: string): Record<string, string> {
  const bytes = Buffer.from(secret, 'utf8');
  return {
    raw: secret,
    base64: bytes.toString('base64'),
    // Unpadded: also what base64 padding-stripping loggers write.
    'base64 unpadded': bytes.toString('base64').replace(/=+$/, ''),
    base64url: bytes.toString('base64url'),
    hex: bytes.toString('hex'),
    'hex upper-case': bytes.toString('hex').toUpperCase(),
    'URL-encoding': encodeURIComponent(secret),
    'URL-encoding of every byte': [...bytes]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    'JSON-escaped twice': JSON.stringify(JSON.stringify(secret)).slice(1, -1),
    reversed: [...secret].reverse().join(''),
  };
}

export interface LeakOptions {
  /**
   * Public text a piece may also be part of (e.g. a user name inside a fake's
   * fixed password `Pw-alice-Secret-1!`): such a piece is no evidence.
   */
  readonly publicText?: readonly string[];
}

/** Every line that carries `secret` in any form, and how. */
export function leaksOf(
  secret: string,
  lines: readonly string[],
  options: LeakOptions = {},
): Leak[] {
  if (secret.length < MIN_LEAKED_PIECE) {
    throw new Error(`a secret of ${secret.length} characters cannot be told apart from noise`);
  }
  const forms = Object.entries(encodingsOf(secret));
  // Every piece of MIN_LEAKED_PIECE or more contains one of exactly that length.
  const pieces = new Set<string>();
  for (let i = 0; i + MIN_LEAKED_PIECE <= secret.length; i++) {
    const piece = secret.slice(i, i + MIN_LEAKED_PIECE);
    if (!(options.publicText ?? []).some((p) => p.includes(piece))) pieces.add(piece);
  }
  const out: Leak[] = [];
  for (const line of lines) {
    const piece = [...pieces].find((p) => line.includes(p));
    const form =
      forms.find(([, encoded]) => line.includes(encoded))?.[0] ??
      (piece === undefined ? undefined : `piece ${JSON.stringify(piece)}`);
    if (form !== undefined) out.push({ form, line });
  }
  return out;
}

/** Every leak of every secret: `[]` when none. */
export function leaksOfAll(
  secrets: Iterable<string>,
  lines: readonly string[],
  options: LeakOptions = {},
): (Leak & { readonly secret: string })[] {
  return [...new Set(secrets)].flatMap((secret) =>
    leaksOf(secret, lines, options).map((l) => ({ secret, ...l })),
  );
}

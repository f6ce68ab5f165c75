/** The report's callouts: what a reviewer must not miss, most serious first. */

export interface Finding {
  readonly level: 'caution' | 'warning';
  readonly text: string;
}

/** GitHub alert blocks, one per level; a finding raised twice is shown once. */
export function renderFindings(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const level of ['caution', 'warning'] as const) {
    const items = [...new Set(findings.filter((f) => f.level === level).map((f) => f.text))];
    if (items.length === 0) continue;
    out.push(`> [!${level.toUpperCase()}]`, ...items.map((t) => `> - ${t}`), '');
  }
  return out;
}

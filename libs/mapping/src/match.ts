/**
 * Match expressions for one rule field (transaction type, amount type, amount description, marketplace).
 *
 * Amazon's vocabulary is open and its spelling drifts ("SAFE-T Reimbursement" / "SAFE-T reimbursement"), so
 * exact and glob matching ignore case and surrounding blanks. The kinds, from most to least specific:
 *   exact     "Principal"                      — equal after trim, case-insensitive; "=" prefix forces exact
 *                                                ("=" alone matches the empty string, "=a*b" the literal "a*b")
 *   pattern   "*Reimbursement*", "FBA?ee"      — glob: "*" any run of characters, "?" one character
 *             "/^SAFE-?T/i"                    — regex written /…/flags (matched as written, flags as given)
 *   wildcard  "*" (or absent, for marketplace) — anything, including a missing value
 *
 * It also decides whether two expressions can be proven disjoint, which rule-set validation uses to reject
 * ties between equally specific rules (see rules.ts).
 */

export type MatchKind = 'exact' | 'pattern' | 'wildcard';

export interface Matcher {
  /** The expression as written. */
  source: string;
  kind: MatchKind;
  /** Specificity level of this field: exact 2, pattern 1, wildcard 0. */
  level: 0 | 1 | 2;
  test(value: string | null): boolean;
  /** For exact: the folded value; for globs: the folded glob; for regex: undefined. */
  folded?: string;
  glob?: boolean;
  regex?: RegExp;
}

export class MatchExpressionError extends Error {
  override name = 'MatchExpressionError';
}

export function fold(value: string): string {
  return value.trim().toLowerCase();
}

/** Compiles an expression; throws MatchExpressionError for an empty expression or a bad regex. */
export function compileMatcher(expression: string): Matcher {
  const source = expression;
  const text = expression.trim();
  if (text === '')
    throw new MatchExpressionError('empty match expression (write "*" for any, "=" for empty)');
  if (text === '*') return { source, kind: 'wildcard', level: 0, test: () => true };
  if (text.startsWith('=')) return exactMatcher(source, text.slice(1));
  const regexMatch = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  if (regexMatch && text.length >= 2) {
    let regex: RegExp;
    try {
      regex = new RegExp(regexMatch[1] ?? '', (regexMatch[2] ?? '').replace(/[gy]/g, ''));
    } catch (error) {
      throw new MatchExpressionError(`bad regex ${text}: ${(error as Error).message}`);
    }
    return {
      source,
      kind: 'pattern',
      level: 1,
      regex,
      test: (value) => value !== null && regex.test(value.trim()),
    };
  }
  if (/[*?]/.test(text)) {
    const folded = fold(text);
    const regex = globToRegExp(folded);
    return {
      source,
      kind: 'pattern',
      level: 1,
      glob: true,
      folded,
      regex,
      test: (value) => value !== null && regex.test(fold(value)),
    };
  }
  return exactMatcher(source, text);
}

function exactMatcher(source: string, literal: string): Matcher {
  const folded = fold(literal);
  return {
    source,
    kind: 'exact',
    level: 2,
    folded,
    test: (value) => value !== null && fold(value) === folded,
  };
}

function globToRegExp(glob: string): RegExp {
  let body = '';
  for (const ch of glob) {
    if (ch === '*') body += '[\\s\\S]*';
    else if (ch === '?') body += '[\\s\\S]';
    else body += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}

/**
 * True only when no value can match both expressions. Sound but not complete: exact/exact, exact/anything
 * and glob/glob are decided exactly (glob intersection by a product-automaton search); a regex against a
 * pattern is assumed to overlap.
 */
export function provablyDisjoint(a: Matcher, b: Matcher): boolean {
  if (a.kind === 'wildcard' || b.kind === 'wildcard') return false;
  if (a.kind === 'exact' && b.kind === 'exact') return a.folded !== b.folded;
  if (a.kind === 'exact') return !b.test(a.folded ?? '');
  if (b.kind === 'exact') return !a.test(b.folded ?? '');
  if (a.glob && b.glob) return !globsIntersect(a.folded ?? '', b.folded ?? '');
  return false;
}

/** Whether some string matches both globs ("*" and "?" only; inputs already case-folded). */
export function globsIntersect(a: string, b: string): boolean {
  const A = [...a];
  const B = [...b];
  const seen = new Set<string>();
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === A.length && j === B.length) return true;
    const ta = A[i];
    const tb = B[j];
    // "*" may match nothing.
    if (ta === '*') stack.push([i + 1, j]);
    if (tb === '*') stack.push([i, j + 1]);
    if (ta === undefined || tb === undefined) continue;
    // Both consume one character: possible unless two different literals.
    const literalA = ta !== '*' && ta !== '?';
    const literalB = tb !== '*' && tb !== '?';
    if (literalA && literalB && ta !== tb) continue;
    stack.push([ta === '*' ? i : i + 1, tb === '*' ? j : j + 1]);
  }
  return false;
}

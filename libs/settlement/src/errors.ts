/**
 * The one error type the settlement parser throws for bad input. It always names the file, the 1-based line
 * and the field (a column name, or a pseudo-field such as "header" or "gzip" for problems that are not one
 * cell's), so an operator can open the file and find the problem without reading code.
 */

export class SettlementParseError extends Error {
  override name = 'SettlementParseError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}: line ${line}, field "${field}": ${detail}`);
  }
}

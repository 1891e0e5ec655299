/**
 * The matching rules, as pure functions: which JDE item a seller SKU is, given what F4101 and
 * F4104 hold for it. A SKU is matched only when exactly one item answers; every other case is
 * reported with its reason and never guessed (reference items-and-stock §6.1):
 *
 * - too_long: the SKU is longer than the JDE column it would be looked up in (25), so no JDE row
 *   can hold it; nothing is looked up.
 * - ambiguous: the rule's column gives more than one item (F4101.AITM is not unique; F4104 may
 *   hold the same CITM for several items; blank-padded cells may trim to the same text).
 * - conflict: rule `xref:<type>` — the F4104 cross reference and F4101.LITM both name an item, but
 *   not the same one.
 * - unmatched: nothing found.
 *
 * JDE cells are trimmed before they are compared (readItemMasterRow / readCrossReferenceRow); the
 * SKU itself is taken exactly as Amazon sends it.
 */
import { type CrossReferenceRow, ITEM_NUMBER_LENGTH, type ItemMasterRow } from '@mlc/ais';
import type { ItemMatchRule, ItemMatchStatus } from '@mlc/store';

export type MatchDecision =
  | {
      status: 'matched';
      itemNumber: string;
      secondItemNumber?: string;
      via: 'litm' | 'aitm' | 'xref';
      reason: string;
    }
  | { status: Exclude<ItemMatchStatus, 'matched'>; reason: string; candidates?: string[] };

/** The F4101 column a rule looks the SKU up in (xref rules fall back to LITM). */
export function numberColumnOf(rule: ItemMatchRule): 'LITM' | 'AITM' {
  return rule === 'aitm' ? 'AITM' : 'LITM';
}

/** The F4104 type of an xref rule, else undefined. */
export function skuCrossReferenceType(rule: ItemMatchRule): string | undefined {
  return rule.startsWith('xref:') ? rule.slice('xref:'.length) : undefined;
}

/** Why the SKU cannot be matched by its length, or undefined when it fits. */
export function tooLongReason(sku: string, rule: ItemMatchRule): string | undefined {
  if (sku.length <= ITEM_NUMBER_LENGTH) return undefined;
  const column = skuCrossReferenceType(rule) ? 'F4104.CITM' : `F4101.${numberColumnOf(rule)}`;
  return `SKU is ${sku.length} characters; ${column} holds ${ITEM_NUMBER_LENGTH}, so no JDE item can carry it`;
}

export interface MatchInput {
  sku: string;
  rule: ItemMatchRule;
  /** AN8 the cross reference is looked up under (xref rules). */
  addressNumber: string;
  /** F4101 rows returned for the SKU by the rule's column (LITM, or AITM). */
  items: ItemMasterRow[];
  /** F4104 rows returned for the SKU as CITM (xref rules). */
  crossReferences: CrossReferenceRow[];
}

const distinct = (values: string[]) => [...new Set(values)].sort((a, b) => Number(a) - Number(b));

export function decideMatch(input: MatchInput): MatchDecision {
  const { sku, rule } = input;
  const tooLong = tooLongReason(sku, rule);
  if (tooLong) return { status: 'too_long', reason: tooLong };
  const blanks =
    sku !== sku.trim() ? ' (the SKU has leading or trailing blanks, which JDE does not keep)' : '';

  const column = numberColumnOf(rule);
  const byNumber = input.items.filter((row) =>
    column === 'LITM' ? row.secondItemNumber === sku : row.thirdItemNumber === sku,
  );
  const numberItems = distinct(byNumber.map((row) => row.itemNumber));
  const secondOf = (itemNumber: string) =>
    byNumber.find((row) => row.itemNumber === itemNumber)?.secondItemNumber;

  const type = skuCrossReferenceType(rule);
  if (type === undefined) {
    if (numberItems.length === 1) {
      const itemNumber = numberItems[0] as string;
      const matched: MatchDecision = {
        status: 'matched',
        itemNumber,
        via: rule === 'aitm' ? 'aitm' : 'litm',
        reason: `F4101.${column} = "${sku}"`,
      };
      const second = secondOf(itemNumber);
      if (second) matched.secondItemNumber = second;
      return matched;
    }
    if (numberItems.length > 1) {
      return {
        status: 'ambiguous',
        reason: `${numberItems.length} items have F4101.${column} "${sku}": ${numberItems.join(', ')}`,
        candidates: numberItems,
      };
    }
    return { status: 'unmatched', reason: `no F4101 item has ${column} "${sku}"${blanks}` };
  }

  const xrefItems = distinct(
    input.crossReferences
      .filter(
        (row) =>
          row.type === type &&
          row.crossReferenceItemNumber === sku &&
          row.addressNumber === String(Number(input.addressNumber)),
      )
      .map((row) => row.itemNumber),
  );
  const where = `F4104 XRT ${type} AN8 ${input.addressNumber} CITM "${sku}"`;
  if (xrefItems.length > 1) {
    return {
      status: 'ambiguous',
      reason: `${where} names ${xrefItems.length} items: ${xrefItems.join(', ')}`,
      candidates: xrefItems,
    };
  }
  if (xrefItems.length === 1) {
    const itemNumber = xrefItems[0] as string;
    const others = numberItems.filter((n) => n !== itemNumber);
    if (others.length > 0) {
      return {
        status: 'conflict',
        reason: `${where} names item ${itemNumber}, but F4101.LITM "${sku}" is item ${others.join(', ')}`,
        candidates: distinct([itemNumber, ...others]),
      };
    }
    const matched: MatchDecision = { status: 'matched', itemNumber, via: 'xref', reason: where };
    const second = secondOf(itemNumber);
    if (second) matched.secondItemNumber = second;
    return matched;
  }
  // No cross reference: the 2nd item number is the fallback (reference §6.1 lookup order).
  if (numberItems.length === 1) {
    const itemNumber = numberItems[0] as string;
    const matched: MatchDecision = {
      status: 'matched',
      itemNumber,
      via: 'litm',
      reason: `no ${where}; F4101.LITM = "${sku}"`,
    };
    const second = secondOf(itemNumber);
    if (second) matched.secondItemNumber = second;
    return matched;
  }
  if (numberItems.length > 1) {
    return {
      status: 'ambiguous',
      reason: `no ${where}; ${numberItems.length} items have F4101.LITM "${sku}": ${numberItems.join(', ')}`,
      candidates: numberItems,
    };
  }
  return { status: 'unmatched', reason: `no ${where} and no F4101 item has LITM "${sku}"${blanks}` };
}

export type CrossReferenceCheck =
  | { state: 'present' }
  | { state: 'missing' }
  | { state: 'conflict'; otherItems: string[] };

/**
 * Whether F4104 already holds an identifier (ASIN / FNSKU) for the matched item: present for this
 * item, held by other items (a conflict, never overwritten), or missing.
 */
export function checkCrossReference(
  rows: CrossReferenceRow[],
  want: { itemNumber: string; type: string; addressNumber: string; value: string },
): CrossReferenceCheck {
  const same = rows.filter(
    (row) =>
      row.type === want.type &&
      row.addressNumber === String(Number(want.addressNumber)) &&
      row.crossReferenceItemNumber === want.value,
  );
  if (same.some((row) => row.itemNumber === want.itemNumber)) return { state: 'present' };
  const others = distinct(same.map((row) => row.itemNumber));
  if (others.length > 0) return { state: 'conflict', otherItems: others };
  return { state: 'missing' };
}

/** The deterministic job id of one cross reference: the same reference is never written twice. */
export function crossReferenceJobId(
  connectionId: string,
  xref: { itemNumber: string; type: string; addressNumber: string; value: string },
): string {
  return `xref:${connectionId}:${xref.itemNumber}:${xref.type}:${xref.addressNumber}:${xref.value}`;
}

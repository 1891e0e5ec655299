/**
 * JDE items through AIS: the F4101 item master browsed by 2nd (LITM) or 3rd (AITM) item number,
 * the F4104 item cross reference browsed by cross-reference number (CITM, with XRT and AN8: the
 * table's index 4) or by item, and the customer-built orchestration that adds one F4104 row.
 *
 * Data-service control ids are `TABLE.ALIAS` and row keys `TABLE_ALIAS` (reference items-and-stock
 * §5.6). LIST conditions are split into chunks so a request stays small; every chunk is read to its
 * end through the next-page links. JDE string cells may come back blank-padded (UNCONFIRMED for
 * LITM/CITM), so every cell is trimmed before it is compared.
 */

import type { BrowseRequest, Condition } from './data-service.js';
import { AisError } from './errors.js';

/** F4101.LITM / AITM and F4104.CITM: 25 characters (reference §5.1, §5.4 — CITM's length UNCONFIRMED). */
export const ITEM_NUMBER_LENGTH = 25;
/** F4104.XRT: UDC 41/DT, 2 characters. */
export const CROSS_REFERENCE_TYPE_LENGTH = 2;

export const F4101_COLUMNS = ['ITM', 'LITM', 'AITM', 'DSC1', 'STKT'] as const;
export const F4104_COLUMNS = ['ITM', 'XRT', 'AN8', 'CITM', 'EXDJ'] as const;

export interface ItemMasterRow {
  /** Short item number (ITM) as text, without leading zeros or blanks. */
  itemNumber: string;
  secondItemNumber: string;
  thirdItemNumber: string;
  description: string;
  stockingType: string;
}

export interface CrossReferenceRow {
  itemNumber: string;
  type: string;
  addressNumber: string;
  crossReferenceItemNumber: string;
  /** Expiry date as AIS sent it ("yyyyMMdd" or ""). */
  expires: string;
}

/** A trimmed text cell; numbers (ITM, AN8 come back as JSON numbers) as their decimal text. */
function cell(row: Record<string, unknown>, key: string): string {
  const value = row[key];
  if (value === undefined || value === null) return '';
  return String(value).trim();
}

function numberCell(row: Record<string, unknown>, key: string): string {
  const text = cell(row, key);
  if (text === '') return '';
  if (!/^\d+$/.test(text))
    throw new AisError('protocol', `${key.replace('_', '.')} "${text}" is not a number`);
  return String(Number(text));
}

export function readItemMasterRow(row: Record<string, unknown>): ItemMasterRow {
  return {
    itemNumber: numberCell(row, 'F4101_ITM'),
    secondItemNumber: cell(row, 'F4101_LITM'),
    thirdItemNumber: cell(row, 'F4101_AITM'),
    description: cell(row, 'F4101_DSC1'),
    stockingType: cell(row, 'F4101_STKT'),
  };
}

export function readCrossReferenceRow(row: Record<string, unknown>): CrossReferenceRow {
  return {
    itemNumber: numberCell(row, 'F4104_ITM'),
    type: cell(row, 'F4104_XRT'),
    addressNumber: numberCell(row, 'F4104_AN8'),
    crossReferenceItemNumber: cell(row, 'F4104_CITM'),
    expires: cell(row, 'F4104_EXDJ'),
  };
}

/** What the item helpers need of an AIS client (AisClient satisfies it). */
export interface ItemSource {
  browseAll(request: BrowseRequest): Promise<Record<string, unknown>[]>;
}

export interface ItemQueryOptions {
  /** Values per LIST condition (default 100). */
  chunkSize?: number;
  /** Rows per page (default 500). */
  maxPageSize?: number;
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * F4101 rows whose 2nd (`LITM`) or 3rd (`AITM`) item number is one of `values`. Values longer
 * than the column are never sent (they cannot exist); blank values are dropped.
 */
export async function findItemsByNumber(
  source: ItemSource,
  column: 'LITM' | 'AITM',
  values: string[],
  options: ItemQueryOptions = {},
): Promise<ItemMasterRow[]> {
  const wanted = distinct(values.filter((v) => v.trim() !== '' && v.length <= ITEM_NUMBER_LENGTH));
  const rows: ItemMasterRow[] = [];
  for (const chunk of chunks(wanted, options.chunkSize ?? 100)) {
    const found = await source.browseAll({
      table: 'F4101',
      columns: [...F4101_COLUMNS],
      conditions: [{ column, operator: 'LIST', values: chunk }],
      orderBy: [{ column: 'ITM' }],
      maxPageSize: options.maxPageSize ?? 500,
    });
    rows.push(...found.map(readItemMasterRow));
  }
  return rows;
}

/**
 * F4104 rows whose cross-reference number is one of `values`, narrowed to the given types and
 * address numbers (F4104 index 4: CITM, XRT, AN8).
 */
export async function findCrossReferencesByValue(
  source: ItemSource,
  query: { values: string[]; types: string[]; addressNumbers: string[] },
  options: ItemQueryOptions = {},
): Promise<CrossReferenceRow[]> {
  const wanted = distinct(query.values.filter((v) => v.trim() !== '' && v.length <= ITEM_NUMBER_LENGTH));
  const types = distinct(query.types);
  const addressNumbers = distinct(query.addressNumbers);
  if (wanted.length === 0 || types.length === 0 || addressNumbers.length === 0) return [];
  const rows: CrossReferenceRow[] = [];
  for (const chunk of chunks(wanted, options.chunkSize ?? 100)) {
    const conditions: Condition[] = [
      { column: 'CITM', operator: 'LIST', values: chunk },
      { column: 'XRT', operator: 'LIST', values: types },
      { column: 'AN8', operator: 'LIST', values: addressNumbers },
    ];
    const found = await source.browseAll({
      table: 'F4104',
      columns: [...F4104_COLUMNS],
      conditions,
      orderBy: [{ column: 'ITM' }],
      maxPageSize: options.maxPageSize ?? 500,
    });
    rows.push(...found.map(readCrossReferenceRow));
  }
  return rows;
}

export interface CrossReferenceKey {
  /** Short item number (ITM). */
  itemNumber: string;
  type: string;
  addressNumber: string;
  crossReferenceItemNumber: string;
}

/** The F4104 rows with exactly this key (the read-back before and after adding one). */
export async function findCrossReference(
  source: ItemSource,
  key: CrossReferenceKey,
): Promise<CrossReferenceRow[]> {
  const rows = await source.browseAll({
    table: 'F4104',
    columns: [...F4104_COLUMNS],
    conditions: [
      { column: 'ITM', operator: 'EQUAL', values: [key.itemNumber] },
      { column: 'XRT', operator: 'EQUAL', values: [key.type] },
      { column: 'AN8', operator: 'EQUAL', values: [key.addressNumber] },
      { column: 'CITM', operator: 'LIST', values: [key.crossReferenceItemNumber] },
    ],
    maxPageSize: 100,
  });
  // The data service compares CHAR columns blank-padded; compare again on the trimmed values.
  return rows
    .map(readCrossReferenceRow)
    .filter(
      (row) =>
        row.itemNumber === String(Number(key.itemNumber)) &&
        row.type === key.type &&
        row.addressNumber === String(Number(key.addressNumber)) &&
        row.crossReferenceItemNumber === key.crossReferenceItemNumber,
    );
}

export interface CrossReferenceOrchestrationMapping {
  name: string;
  version: 'v1' | 'v2' | 'v3';
  inputFormat: 'JDE Standard' | 'Generic';
  inputs: {
    itemNumber: string;
    crossReferenceType: string;
    addressNumber: string;
    crossReferenceItemNumber: string;
    description: string;
  };
}

export interface NewCrossReference extends CrossReferenceKey {
  /** F4104.DSC1 (30), e.g. "Amazon ASIN". */
  description?: string;
}

function invalid(field: string, message: string): AisError {
  return new AisError('validation', `item cross reference ${field}: ${message}`, { field });
}

/** Checks a new cross reference against the JDE field rules before anything is sent. */
export function validateCrossReference(xref: NewCrossReference): NewCrossReference {
  if (!/^\d{1,8}$/.test(xref.itemNumber))
    throw invalid('itemNumber', `"${xref.itemNumber}" is not a short item number (ITM, 8 digits)`);
  if (!/^[A-Z0-9]{1,2}$/.test(xref.type))
    throw invalid(
      'type',
      `"${xref.type}" is not a UDC 41/DT code (XRT, ${CROSS_REFERENCE_TYPE_LENGTH} characters)`,
    );
  if (!/^\d{1,8}$/.test(xref.addressNumber))
    throw invalid('addressNumber', `"${xref.addressNumber}" is not an address number (AN8)`);
  const value = xref.crossReferenceItemNumber;
  if (value.trim() === '' || value !== value.trim())
    throw invalid(
      'crossReferenceItemNumber',
      `"${value}" is blank or has leading/trailing blanks JDE would lose`,
    );
  if (value.length > ITEM_NUMBER_LENGTH)
    throw invalid(
      'crossReferenceItemNumber',
      `"${value}" is ${value.length} characters; F4104.CITM holds ${ITEM_NUMBER_LENGTH}`,
    );
  if ((xref.description ?? '').length > 30)
    throw invalid('description', 'is longer than the 30 characters of DSC1');
  return xref;
}

/** The orchestration request body in the mapping's input format. */
export function buildCrossReferenceBody(
  xref: NewCrossReference,
  mapping: CrossReferenceOrchestrationMapping,
): Record<string, unknown> {
  const names = mapping.inputs;
  const fields: [string, string][] = [
    [names.itemNumber, xref.itemNumber],
    [names.crossReferenceType, xref.type],
    [names.addressNumber, xref.addressNumber],
    [names.crossReferenceItemNumber, xref.crossReferenceItemNumber],
  ];
  if (xref.description) fields.push([names.description, xref.description]);
  if (mapping.inputFormat === 'Generic') return Object.fromEntries(fields);
  return { inputs: fields.map(([name, value]) => ({ name, value })) };
}

/** What adding a cross reference needs of an AIS client (AisClient satisfies it). */
export interface OrchestrationRunner {
  orchestrate(name: string, body: unknown, version?: 'v1' | 'v2' | 'v3'): Promise<Record<string, unknown>>;
}

/**
 * Adds one F4104 row through the customer's orchestration. Business errors (unknown item, XRT not
 * in 41/DT, duplicate key) throw AisError kind 'business'; an error with outcomeUnknown means the
 * row may exist — read it back with findCrossReference before trying again.
 */
export async function addCrossReference(
  runner: OrchestrationRunner,
  mapping: CrossReferenceOrchestrationMapping,
  xref: NewCrossReference,
): Promise<Record<string, unknown>> {
  return runner.orchestrate(
    mapping.name,
    buildCrossReferenceBody(validateCrossReference(xref), mapping),
    mapping.version,
  );
}

/**
 * JDE item data in the simulator: the F4101 item master and the F4104 item cross reference, both
 * browsable through the data service (data-service.ts registers ITEM_TABLES), and the customer's
 * cross-reference orchestration (default ORCH_MLC_AddItemCrossReference) that adds one F4104 row
 * the way P4104 would: the item must exist in F4101, XRT must be a UDC 41/DT value, CITM holds 25
 * characters, AN8 is numeric, and a row with the same key (ITM, XRT, AN8, CITM) is refused.
 *
 * Oracle delivers no orchestration for this (reference items-and-stock §5.5), so its name, inputs
 * and error CODEs are ours: CODEs "S1xx" are simulator inventions, like the journal's "S0xx".
 */
import { formatUserDate, isoToJulian, stampOf } from './dates.js';
import { aisTimestamp, type FormError, formError, SimError, serviceError } from './errors.js';
import type { Session, SimState } from './state.js';

/** One F4101 row. ITM is the short item number. */
export interface ItemRow {
  ITM: number;
  LITM: string;
  AITM: string;
  DSC1: string;
  STKT: string;
  UOM1: string;
}

/** One F4104 row. EFTJ/EXDJ are Julian CYYDDD. */
export interface CrossReferenceRow {
  ITM: number;
  XRT: string;
  AN8: number;
  CITM: string;
  DSC1: string;
  EFTJ: number;
  EXDJ: number;
  USER: string;
  UPMJ: number;
}

/** How an item is seeded: short number, 2nd and 3rd item numbers, description. */
export interface SeedItem {
  itm: number;
  litm: string;
  aitm?: string;
  description?: string;
  stockingType?: string;
}

export interface SeedCrossReference {
  itm: number;
  xrt: string;
  an8: number;
  citm: string;
  description?: string;
}

/** UDC 41/DT as shipped (third-party list, reference §5.4) plus the codes a customer adds for Amazon. */
export const DEFAULT_CROSS_REFERENCE_TYPES: readonly string[] = Object.freeze([
  'A',
  'B',
  'C',
  'M',
  'MR',
  'P',
  'PP',
  'R',
  'S',
  'SP',
  'SS',
  'UP',
  'VN',
  // The customer's own codes for Amazon (placeholders named in the reference §6.1).
  'AZ',
  'AS',
  'FN',
]);

export interface ItemXrefOrchestrationConfig {
  name: string;
  /** The input format the orchestration is built with; "any" accepts both shapes. */
  inputFormat: 'JDE Standard' | 'Generic' | 'any';
  inputs: {
    itemNumber: string;
    crossReferenceType: string;
    addressNumber: string;
    crossReferenceItemNumber: string;
    description: string;
  };
}

export const DEFAULT_ITEM_XREF_ORCHESTRATION: ItemXrefOrchestrationConfig = Object.freeze({
  name: 'ORCH_MLC_AddItemCrossReference',
  inputFormat: 'any',
  inputs: Object.freeze({
    itemNumber: 'ItemNumber',
    crossReferenceType: 'CrossReferenceType',
    addressNumber: 'AddressNumber',
    crossReferenceItemNumber: 'CrossReferenceItemNumber',
    description: 'Description',
  }),
}) as ItemXrefOrchestrationConfig;

/** The item tables of one simulator. */
export class ItemStore {
  readonly items = new Map<number, ItemRow>();
  readonly crossReferences: CrossReferenceRow[] = [];
  readonly crossReferenceTypes = new Set<string>(DEFAULT_CROSS_REFERENCE_TYPES);
  orchestration: ItemXrefOrchestrationConfig = {
    ...DEFAULT_ITEM_XREF_ORCHESTRATION,
    inputs: { ...DEFAULT_ITEM_XREF_ORCHESTRATION.inputs },
  };
  /** Successful runs of the orchestration (a test's "written exactly once" counts these). */
  orchestrationWrites = 0;

  findXref(itm: number, xrt: string, an8: number, citm: string): CrossReferenceRow | undefined {
    return this.crossReferences.find(
      (row) => row.ITM === itm && row.XRT === xrt && row.AN8 === an8 && row.CITM === citm,
    );
  }
}

const stores = new WeakMap<SimState, ItemStore>();

/** The item tables belonging to a simulator's state (created empty on first use). */
export function itemsOf(state: SimState): ItemStore {
  let store = stores.get(state);
  if (!store) {
    store = new ItemStore();
    stores.set(state, store);
  }
  return store;
}

const FAR_FUTURE = isoToJulian('2099-12-31');

/** Adds or replaces F4101 rows and adds F4104 rows (an exact duplicate key replaces the row). */
export function seedItems(
  state: SimState,
  seed: { items?: SeedItem[]; crossReferences?: SeedCrossReference[] },
  now = new Date(),
): { items: number; crossReferences: number } {
  const store = itemsOf(state);
  for (const item of seed.items ?? []) {
    if (!Number.isInteger(item.itm) || item.itm <= 0 || item.itm > 99_999_999)
      throw new SimError(400, { message: `item ${item.litm}: itm ${item.itm} is not a short item number` });
    store.items.set(item.itm, {
      ITM: item.itm,
      LITM: item.litm,
      AITM: item.aitm ?? '',
      DSC1: item.description ?? '',
      STKT: item.stockingType ?? 'S',
      UOM1: 'EA',
    });
  }
  const { upmj } = stampOf(now);
  for (const xref of seed.crossReferences ?? []) {
    const existing = store.findXref(xref.itm, xref.xrt, xref.an8, xref.citm);
    if (existing) store.crossReferences.splice(store.crossReferences.indexOf(existing), 1);
    store.crossReferences.push({
      ITM: xref.itm,
      XRT: xref.xrt,
      AN8: xref.an8,
      CITM: xref.citm,
      DSC1: xref.description ?? '',
      EFTJ: upmj,
      EXDJ: FAR_FUTURE,
      USER: 'SEED',
      UPMJ: upmj,
    });
  }
  return { items: store.items.size, crossReferences: store.crossReferences.length };
}

type ColumnKind = 'string' | 'number' | 'date';

/** F4101 and F4104 in the data service's table shape (see data-service.ts TableDef). */
export const ITEM_TABLES = {
  F4101: {
    title: 'Data Browser - F4101 [Item Master]',
    columns: {
      ITM: { kind: 'number' as ColumnKind, title: 'Item Number' },
      LITM: { kind: 'string' as ColumnKind, title: '2nd Item Number' },
      AITM: { kind: 'string' as ColumnKind, title: '3rd Item Number' },
      DSC1: { kind: 'string' as ColumnKind, title: 'Description' },
      STKT: { kind: 'string' as ColumnKind, title: 'Stocking Type' },
      UOM1: { kind: 'string' as ColumnKind, title: 'Primary UoM' },
    },
    rows: (state: SimState) => [...itemsOf(state).items.values()].map((row) => ({ ...row })),
    defaultOrder: ['ITM'],
  },
  F4104: {
    title: 'Data Browser - F4104 [Item Cross Reference File]',
    columns: {
      ITM: { kind: 'number' as ColumnKind, title: 'Item Number' },
      XRT: { kind: 'string' as ColumnKind, title: 'Cross Reference Type' },
      AN8: { kind: 'number' as ColumnKind, title: 'Address Number' },
      CITM: { kind: 'string' as ColumnKind, title: 'Customer/Supplier Item Number' },
      DSC1: { kind: 'string' as ColumnKind, title: 'Description' },
      EFTJ: { kind: 'date' as ColumnKind, title: 'Effective Date' },
      EXDJ: { kind: 'date' as ColumnKind, title: 'Expired Date' },
      USER: { kind: 'string' as ColumnKind, title: 'User ID' },
      UPMJ: { kind: 'date' as ColumnKind, title: 'Date Updated' },
    },
    rows: (state: SimState) => itemsOf(state).crossReferences.map((row) => ({ ...row })),
    defaultOrder: ['ITM', 'XRT', 'AN8', 'CITM'],
  },
};

type Fields = Record<string, string>;

function readFields(body: unknown, config: ItemXrefOrchestrationConfig, now: Date): Fields {
  const record = (body ?? {}) as Record<string, unknown>;
  const shape = Array.isArray(record.inputs) ? 'JDE Standard' : 'Generic';
  if (config.inputFormat !== 'any' && config.inputFormat !== shape) {
    throw new SimError(
      500,
      serviceError(
        `Orchestration ${config.name} uses the ${config.inputFormat} input format; required inputs are missing`,
        now,
      ),
    );
  }
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  if (shape === 'JDE Standard') {
    return Object.fromEntries(
      (record.inputs as { name?: unknown; value?: unknown }[]).map((p) => [text(p.name), text(p.value)]),
    );
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, text(v)]));
}

export interface ItemXrefContext {
  state: SimState;
  session: Session;
  now: Date;
  userDatePattern: string;
  typedOutputs: boolean;
}

/** Runs the cross-reference orchestration: the HTTP status and body AIS would answer with. */
export function addItemCrossReference(
  body: unknown,
  ctx: ItemXrefContext,
): { status: number; body: Record<string, unknown> } {
  const store = itemsOf(ctx.state);
  const config = store.orchestration;
  const names = config.inputs;
  const fields = readFields(body, config, ctx.now);
  const errors: FormError[] = [];
  const err = (code: string, title: string, control: string, desc: string) =>
    errors.push(formError(code, title, control, desc));

  const itemText = (fields[names.itemNumber] ?? '').trim();
  const xrt = (fields[names.crossReferenceType] ?? '').trim();
  const an8Text = (fields[names.addressNumber] ?? '').trim();
  const citm = fields[names.crossReferenceItemNumber] ?? '';
  const description = fields[names.description] ?? '';

  // P4104 takes the item in short, 2nd or 3rd number format; the short number is tried first.
  let item: ItemRow | undefined;
  if (/^\d{1,8}$/.test(itemText)) item = store.items.get(Number(itemText));
  item ??= [...store.items.values()].find((row) => row.LITM.trim() === itemText && itemText !== '');
  if (!item)
    err(
      'S101',
      'Item Number Invalid',
      '1[ITM]',
      `Item "${itemText}" does not exist in the Item Master (F4101).`,
    );
  if (!store.crossReferenceTypes.has(xrt))
    err('S102', 'Cross Reference Type Invalid', '1[XRT]', `"${xrt}" is not a value of UDC 41/DT.`);
  if (!/^\d{1,8}$/.test(an8Text))
    err('S103', 'Address Number Invalid', '1[AN8]', `Address number "${an8Text}" is not numeric.`);
  if (citm.trim() === '')
    err(
      'S104',
      'Cross Reference Item Number Required',
      '1[CITM]',
      'The cross-reference item number is blank.',
    );
  if (citm.length > 25)
    err(
      'S105',
      'Field Too Long',
      '1[CITM]',
      `Cross-reference item number "${citm}" is longer than 25 characters.`,
    );
  if (description.length > 30)
    err('S105', 'Field Too Long', '1[DSC1]', `Description "${description}" is longer than 30 characters.`);
  if (errors.length === 0 && item && store.findXref(item.ITM, xrt, Number(an8Text), citm)) {
    err(
      'S106',
      'Record Already Exists',
      '1[CITM]',
      `Item ${item.ITM} already has cross reference ${xrt} "${citm}" for address ${an8Text}.`,
    );
  }

  const timing = {
    jde__startTimestamp: aisTimestamp(ctx.now),
    jde__endTimestamp: aisTimestamp(ctx.now),
    jde__serverExecutionSeconds: 0.01,
  };
  if (errors.length > 0 || !item) {
    const simpleMessage = errors.map((e) => `${e.CODE} ${e.TITLE} (${e.ERRORCONTROL}): ${e.DESC}`).join('\n');
    return {
      status: 500,
      body: {
        ...serviceError(
          {
            'Errors/Warnings': [
              {
                'Application ID': 'P4104_W4104A',
                Title: 'Item Cross Reference',
                Errors: errors,
                Warnings: [],
              },
            ],
          },
          ctx.now,
          { exception: 'com.oracle.e1.common.OrchestrationException', type: 'OrchestrationException' },
        ),
        jde__status: 'ERROR',
        jde__simpleMessage: simpleMessage,
        ...timing,
      },
    };
  }
  const { upmj } = stampOf(ctx.now);
  store.crossReferences.push({
    ITM: item.ITM,
    XRT: xrt,
    AN8: Number(an8Text),
    CITM: citm,
    DSC1: description,
    EFTJ: upmj,
    EXDJ: FAR_FUTURE,
    USER: ctx.session.username,
    UPMJ: upmj,
  });
  store.orchestrationWrites++;
  return {
    status: 200,
    body: {
      ItemNumber: ctx.typedOutputs ? item.ITM : String(item.ITM),
      SecondItemNumber: item.LITM,
      CrossReferenceType: xrt,
      EffectiveDate: formatUserDate(ctx.now.toISOString().slice(0, 10), ctx.userDatePattern),
      jde__status: 'SUCCESS',
      jde__simpleMessage: '',
      ...timing,
    },
  };
}

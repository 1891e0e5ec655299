/**
 * The example chart of accounts and the default rule set for the common Amazon settlement vocabulary.
 *
 * Balance-sheet accounts sit on company business unit "1"; profit-and-loss accounts on the Amazon
 * marketplace cost center "M30". The AIS simulator seed and the docs use DEFAULT_CHART so the default rules
 * post to accounts that exist.
 *
 * The rules cover both shapes Amazon data arrives in: Flat File V2 (transaction-type "other-transaction",
 * the real description in amount-description) and the legacy flat file normalized by @mlc/settlement (the
 * description in transaction-type, e.g. "Storage Fee"). Most rules therefore key on the amount description
 * with the amount type left as "*", and non-order items get a twin rule keyed on the transaction type.
 */

import type { JdeAccount } from './account.js';
import { parseAccount } from './account.js';
import type { MappingRule, RuleSet } from './rules.js';

export type AccountKind = 'asset' | 'liability' | 'revenue' | 'expense';

export interface ChartAccount {
  account: string;
  description: string;
  kind: AccountKind;
}

export const DEFAULT_CHART: readonly ChartAccount[] = Object.freeze([
  { account: '1.1100', description: 'Bank - operating account', kind: 'asset' },
  { account: '1.1200', description: 'Amazon clearing (settlement deposits)', kind: 'asset' },
  { account: '1.1210', description: 'Amazon reserved balances', kind: 'asset' },
  { account: '1.1230', description: 'Amazon card charges clearing', kind: 'asset' },
  { account: '1.1290', description: 'Amazon settlement carried forward', kind: 'asset' },
  { account: '1.1410', description: 'Input tax recoverable (tax on fees)', kind: 'asset' },
  { account: '1.2310', description: 'Sales tax payable / facilitator tax', kind: 'liability' },
  { account: '1.9999', description: 'Amazon suspense (unmapped rows)', kind: 'liability' },
  { account: 'M30.4000', description: 'Amazon sales - principal', kind: 'revenue' },
  { account: 'M30.4010', description: 'Amazon shipping income', kind: 'revenue' },
  { account: 'M30.4020', description: 'Amazon gift wrap income', kind: 'revenue' },
  { account: 'M30.4050', description: 'Amazon promotions', kind: 'revenue' },
  { account: 'M30.4060', description: 'Amazon refunds', kind: 'revenue' },
  { account: 'M30.4070', description: 'Amazon chargebacks and A-to-z claims', kind: 'revenue' },
  { account: 'M30.4800', description: 'Amazon reimbursements (SAFE-T, FBA inventory)', kind: 'revenue' },
  { account: 'M30.6100', description: 'Amazon referral fees', kind: 'expense' },
  { account: 'M30.6110', description: 'Amazon FBA fulfilment fees', kind: 'expense' },
  { account: 'M30.6115', description: 'Amazon shipping chargebacks', kind: 'expense' },
  { account: 'M30.6120', description: 'Amazon FBA storage fees', kind: 'expense' },
  { account: 'M30.6125', description: 'Amazon FBA removal and disposal fees', kind: 'expense' },
  { account: 'M30.6126', description: 'Amazon FBA inbound and transport fees', kind: 'expense' },
  { account: 'M30.6130', description: 'Amazon digital services fees', kind: 'expense' },
  { account: 'M30.6140', description: 'Amazon subscription fees', kind: 'expense' },
  { account: 'M30.6150', description: 'Amazon advertising', kind: 'expense' },
  { account: 'M30.6190', description: 'Amazon other fees', kind: 'expense' },
]);

type Target = { account: string; explanation: string };

const T = {
  bank: { account: '1.1100', explanation: 'Amazon micro deposit' },
  clearing: { account: '1.1200', explanation: 'Payable to Amazon' },
  reserve: { account: '1.1210', explanation: 'Amazon reserve' },
  cardCharge: { account: '1.1230', explanation: 'Amazon card charge' },
  inputTax: { account: '1.1410', explanation: 'Tax on Amazon fees' },
  tax: { account: '1.2310', explanation: 'Sales/facilitator tax' },
  facilitatorTax: { account: '1.2310', explanation: 'Sales/facilitator tax' },
  principal: { account: 'M30.4000', explanation: 'Amazon sales' },
  shipping: { account: 'M30.4010', explanation: 'Amazon shipping income' },
  giftWrap: { account: 'M30.4020', explanation: 'Amazon gift wrap income' },
  promotion: { account: 'M30.4050', explanation: 'Amazon promotions' },
  refund: { account: 'M30.4060', explanation: 'Amazon refunds' },
  chargeback: { account: 'M30.4070', explanation: 'Amazon chargebacks/claims' },
  reimbursement: { account: 'M30.4800', explanation: 'Amazon reimbursements' },
  referral: { account: 'M30.6100', explanation: 'Amazon referral fees' },
  fba: { account: 'M30.6110', explanation: 'Amazon FBA fulfilment fees' },
  shippingChargeback: { account: 'M30.6115', explanation: 'Amazon shipping chargebacks' },
  storage: { account: 'M30.6120', explanation: 'Amazon FBA storage fees' },
  removal: { account: 'M30.6125', explanation: 'Amazon FBA removal fees' },
  inbound: { account: 'M30.6126', explanation: 'Amazon FBA inbound fees' },
  digital: { account: 'M30.6130', explanation: 'Amazon digital services fee' },
  subscription: { account: 'M30.6140', explanation: 'Amazon subscription fee' },
  advertising: { account: 'M30.6150', explanation: 'Amazon advertising' },
  otherFee: { account: 'M30.6190', explanation: 'Amazon other fees' },
} satisfies Record<string, Target>;

/** [id, transactionType, amountType, amountDescription, target] */
type Row = [string, string, string, string, Target];

/** Order-level amounts, keyed on the amount description (amount type "*"): V2 and legacy alike. */
const BY_DESCRIPTION: Row[] = [
  ['principal', '*', '*', 'Principal', T.principal],
  ['shipping', '*', '*', 'Shipping', T.shipping],
  ['gift-wrap', '*', '*', 'GiftWrap', T.giftWrap],
  ['tax', '*', '*', 'Tax', T.tax],
  ['shipping-tax', '*', '*', 'ShippingTax', T.tax],
  ['gift-wrap-tax', '*', '*', 'GiftWrapTax', T.tax],
  ['mf-tax-principal', '*', '*', 'MarketplaceFacilitatorTax-Principal', T.facilitatorTax],
  ['mf-tax-shipping', '*', '*', 'MarketplaceFacilitatorTax-Shipping', T.facilitatorTax],
  ['mf-tax-giftwrap', '*', '*', 'MarketplaceFacilitatorTax-Giftwrap', T.facilitatorTax],
  ['mf-tax-other', '*', '*', 'MarketplaceFacilitatorTax-Other', T.facilitatorTax],
  ['mf-vat-principal', '*', '*', 'MarketplaceFacilitatorVAT-Principal', T.facilitatorTax],
  ['mf-vat-shipping', '*', '*', 'MarketplaceFacilitatorVAT-Shipping', T.facilitatorTax],
  ['commission', '*', '*', 'Commission', T.referral],
  ['refund-commission', '*', '*', 'RefundCommission', T.referral],
  ['variable-closing-fee', '*', '*', 'VariableClosingFee', T.referral],
  ['fixed-closing-fee', '*', '*', 'FixedClosingFee', T.referral],
  ['fba-per-unit', '*', '*', 'FBAPerUnitFulfillmentFee', T.fba],
  ['fba-per-order', '*', '*', 'FBAPerOrderFulfillmentFee', T.fba],
  ['fba-weight-based', '*', '*', 'FBAWeightBasedFee', T.fba],
  ['shipping-chargeback', '*', '*', 'ShippingChargeback', T.shippingChargeback],
  ['giftwrap-chargeback', '*', '*', 'GiftwrapChargeback', T.shippingChargeback],
  ['shipping-hb', '*', '*', 'ShippingHB', T.shippingChargeback],
  ['digital-services-fee', '*', '*', 'DigitalServicesFee', T.digital],
  ['digital-services-fee-fba', '*', '*', 'DigitalServicesFeeFBA', T.digital],
  ['sales-tax-collection-fee', '*', '*', 'SalesTaxCollectionFee', T.otherFee],
  ['restocking-fee', '*', '*', 'RestockingFee', T.refund],
  ['goodwill', '*', '*', 'Goodwill', T.refund],
  ['advertising', '*', '*', 'Cost of Advertising', T.advertising],
  ['fba-transport-fee', '*', '*', 'FBA transportation fee', T.inbound],
  ['fba-inbound-transport-fee', '*', '*', 'FBAInboundTransportationFee', T.inbound],
  ['inbound-defect-fee', '*', '*', 'Inbound Defect Fee', T.inbound],
  ['removal-complete', '*', '*', 'RemovalComplete', T.removal],
  ['disposal-complete', '*', '*', 'DisposalComplete', T.removal],
  ['fba-removal-fee', '*', '*', 'FBA Removal Fee', T.removal],
  ['fba-disposal-fee', '*', '*', 'FBA Disposal Fee', T.removal],
  ['reimbursement-any', '*', '*', '*Reimbursement*', T.reimbursement],
];

/** Amount types that decide on their own (V2 "Promotion", "ItemWithheldTax", "Cost of Advertising"). */
const BY_AMOUNT_TYPE: Row[] = [
  // "promotion*" also catches a legacy normalization that keeps the column name ("promotion-type").
  ['promotion', '*', 'promotion*', '*', T.promotion],
  ['withheld-tax', '*', 'ItemWithheldTax', '*', T.facilitatorTax],
  ['advertising-amount-type', '*', 'Cost of Advertising', '*', T.advertising],
];

/**
 * Non-order items. In V2 they arrive as transaction-type "other-transaction" with the item in the
 * amount description; the legacy flat file puts the item in transaction-type. Each gets both rules.
 */
const OTHER_ITEMS: Array<[string, string, Target]> = [
  ['storage-fee', 'Storage Fee', T.storage],
  ['storage-renewal', 'StorageRenewalBilling', T.storage],
  ['long-term-storage', 'FBA Long-Term Storage Fee', T.storage],
  ['subscription-fee', 'Subscription Fee', T.subscription],
  ['inbound-transport', 'Inbound Transportation Fee', T.inbound],
  ['previous-reserve', 'Previous Reserve Amount Balance', T.reserve],
  ['current-reserve', 'Current Reserve Amount', T.reserve],
  ['payable-to-amazon', 'Payable to Amazon', T.clearing],
  ['successful-charge', 'Successful charge', T.cardCharge],
  ['micro-deposit', 'Micro Deposit', T.bank],
  ['reversal-reimbursement', 'REVERSAL_REIMBURSEMENT', T.reimbursement],
  ['warehouse-damage', 'WAREHOUSE_DAMAGE', T.reimbursement],
  ['warehouse-damage-exception', 'WAREHOUSE_DAMAGE_EXCEPTION', T.reimbursement],
  ['warehouse-lost', 'WAREHOUSE_LOST', T.reimbursement],
  ['warehouse-lost-manual', 'WAREHOUSE_LOST_MANUAL', T.reimbursement],
  ['missing-from-inbound', 'MISSING_FROM_INBOUND', T.reimbursement],
  ['inbound-carrier-damage', 'INBOUND_CARRIER_DAMAGE', T.reimbursement],
  ['customer-return', 'CUSTOMER_RETURN', T.reimbursement],
  ['compensated-clawback', 'COMPENSATED_CLAWBACK', T.reimbursement],
  ['free-replacement-refund-items', 'FREE_REPLACEMENT_REFUND_ITEMS', T.reimbursement],
];

/** Transaction types that decide for the whole row, or refine the description rules above. */
const BY_TRANSACTION: Row[] = [
  ['refund-principal', 'Refund', '*', 'Principal', T.refund],
  ['refund-shipping', 'Refund', '*', 'Shipping', T.refund],
  ['refund-gift-wrap', 'Refund', '*', 'GiftWrap', T.refund],
  ['refund-promotion', 'Refund', 'promotion*', '*', T.promotion],
  ['chargeback-refund', 'Chargeback Refund', '*', '*', T.chargeback],
  ['a-to-z-refund', 'A-to-z Guarantee Refund', '*', '*', T.chargeback],
  ['fba-inventory-reimbursement', 'FBA Inventory Reimbursement', '*', '*', T.reimbursement],
  ['safe-t-reimbursement', '*Reimbursement*', '*', '*', T.reimbursement],
  ['order-retrocharge', 'Order_Retrocharge', '*', '*', T.tax],
  ['service-fee-tax', 'ServiceFee', '*', 'TaxAmount', T.inputTax],
  ['fba-fees-inbound', 'FBAFees', '*', '*', T.inbound],
];

function rule([id, transactionType, amountType, amountDescription, target]: Row): MappingRule {
  return {
    id,
    transactionType,
    amountType,
    amountDescription,
    account: parseAccount(target.account),
    explanation: target.explanation,
  };
}

/** The default rules (a fresh copy each call). */
export function defaultRules(): MappingRule[] {
  const rows: Row[] = [...BY_DESCRIPTION, ...BY_AMOUNT_TYPE, ...BY_TRANSACTION];
  for (const [id, item, target] of OTHER_ITEMS) {
    rows.push([`${id}`, '*', '*', item, target]);
    rows.push([`${id}-tt`, item, '*', '*', target]);
  }
  return rows.map(rule);
}

const ALL_CURRENCIES = ['AED', 'AUD', 'BRL', 'CAD', 'CHF', 'EGP', 'EUR', 'GBP', 'INR', 'JPY'];
const MORE_CURRENCIES = ['MXN', 'PLN', 'SAR', 'SEK', 'SGD', 'TRY', 'USD', 'ZAR'];

function account(text: string): JdeAccount {
  return parseAccount(text);
}

/** The default rule set for a connection: monthly calendar, suspense policy, any Amazon currency. */
export function defaultRuleSet(
  connectionId: string,
  overrides: Partial<Omit<RuleSet, 'connectionId' | 'rules'>> = {},
): RuleSet {
  return {
    id: `${connectionId}-default`,
    connectionId,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    company: '00001',
    clearingAccount: account('1.1200'),
    carriedForwardAccount: account('1.1290'),
    suspenseAccount: account('1.9999'),
    unmappedPolicy: 'suspense',
    fiscalCalendar: { kind: 'monthly' },
    currency: { mode: 'foreign-currency', allowedCurrencies: [...ALL_CURRENCIES, ...MORE_CURRENCIES] },
    ...overrides,
    rules: defaultRules(),
  };
}

/**
 * The default chart of accounts the simulator seeds into F0901: one company, a balance-sheet
 * business unit and a P&L business unit, with the accounts a default Amazon settlement mapping
 * posts to, plus one non-posting title account (PEC "N") to exercise the posting-edit check.
 * Exported so mapping code and tests can name the same accounts.
 */

export interface ChartAccount {
  /** Company (CO, 5). */
  company: string;
  /** Short account ID (AID, 8). */
  aid: string;
  /** Business unit as keyed (trimmed); stored right-justified to 12 characters. */
  businessUnit: string;
  /** Object account (OBJ, 6). */
  object: string;
  /** Subsidiary (SUB, 8); "" when none. */
  subsidiary: string;
  /** Description (DL01, 30). */
  description: string;
  /** Posting edit code (PEC): "" = postable; "N" = non-posting title account. */
  postingEditCode: string;
  /** Level of detail (LDA, 1–9). */
  levelOfDetail: number;
}

export const DEFAULT_COMPANY = '00001';
export const BALANCE_SHEET_BU = '1';
export const PROFIT_AND_LOSS_BU = '100';

/** Roles a settlement mapping needs, each with its account in BU.OBJ.SUB form. */
export const DEFAULT_SETTLEMENT_ACCOUNTS = Object.freeze({
  productSales: '100.5010',
  shippingIncome: '100.5020',
  promotions: '100.5050',
  refunds: '100.5060',
  reimbursements: '100.5070',
  referralFees: '100.6110',
  fbaFees: '100.6120',
  storageFees: '100.6130',
  subscription: '100.6140',
  advertising: '100.6150',
  chargebacks: '100.6160',
  bank: '1.1100',
  amazonClearing: '1.1110.AMZN',
  reserve: '1.1115.AMZN',
  carriedForward: '1.1120.AMZN',
  salesTaxPayable: '1.2310',
  marketplaceFacilitatorTax: '1.2315',
  suspense: '1.1990',
} as const);

/** A title account: exists in F0901 but cannot take postings. */
export const NON_POSTING_ACCOUNT = '1.1000';

function account(
  aid: string,
  businessUnit: string,
  object: string,
  subsidiary: string,
  description: string,
  postingEditCode = '',
  levelOfDetail = 7,
): ChartAccount {
  return {
    company: DEFAULT_COMPANY,
    aid,
    businessUnit,
    object,
    subsidiary,
    description,
    postingEditCode,
    levelOfDetail,
  };
}

export const DEFAULT_CHART_OF_ACCOUNTS: readonly ChartAccount[] = Object.freeze([
  account('00001000', BALANCE_SHEET_BU, '1000', '', 'Cash and Cash Equivalents', 'N', 4),
  account('00001100', BALANCE_SHEET_BU, '1100', '', 'Bank - Amazon Payouts'),
  account('00001110', BALANCE_SHEET_BU, '1110', 'AMZN', 'Amazon Clearing'),
  account('00001115', BALANCE_SHEET_BU, '1115', 'AMZN', 'Amazon Reserve Held'),
  account('00001120', BALANCE_SHEET_BU, '1120', 'AMZN', 'Amazon Balance Carried Forward'),
  account('00001990', BALANCE_SHEET_BU, '1990', '', 'Suspense'),
  account('00002310', BALANCE_SHEET_BU, '2310', '', 'Sales Tax Payable'),
  account('00002315', BALANCE_SHEET_BU, '2315', '', 'Marketplace Facilitator Tax'),
  account('00105010', PROFIT_AND_LOSS_BU, '5010', '', 'Product Sales - Amazon'),
  account('00105020', PROFIT_AND_LOSS_BU, '5020', '', 'Shipping Income - Amazon'),
  account('00105050', PROFIT_AND_LOSS_BU, '5050', '', 'Promotions - Amazon'),
  account('00105060', PROFIT_AND_LOSS_BU, '5060', '', 'Refunds - Amazon'),
  account('00105070', PROFIT_AND_LOSS_BU, '5070', '', 'Reimbursements - Amazon'),
  account('00106110', PROFIT_AND_LOSS_BU, '6110', '', 'Referral Fees - Amazon'),
  account('00106120', PROFIT_AND_LOSS_BU, '6120', '', 'FBA Fulfillment Fees'),
  account('00106130', PROFIT_AND_LOSS_BU, '6130', '', 'FBA Storage Fees'),
  account('00106140', PROFIT_AND_LOSS_BU, '6140', '', 'Seller Subscription Fee'),
  account('00106150', PROFIT_AND_LOSS_BU, '6150', '', 'Advertising - Amazon'),
  account('00106160', PROFIT_AND_LOSS_BU, '6160', '', 'Chargebacks - Amazon'),
]);

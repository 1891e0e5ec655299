/**
 * Our hand-written types (src/types.ts) against Amazon's official models (../shared/amazon/models):
 * every property we declare exists in the model's schema with the same JSON type, literal unions are
 * subsets of the model's enums, and what we mark required the model guarantees. Skipped when ../shared
 * is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const models = path.resolve(repoRoot, '..', 'shared', 'amazon', 'models');
const skip = existsSync(models)
  ? false
  : `../shared/amazon/models not found at ${models}; type conformance not checked`;

type Schema = {
  $ref?: string;
  type?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
};
type Definitions = Record<string, Schema>;

/** Our interface → [model file, definition]. */
const MAPPING: Record<string, [string, string]> = {
  ErrorDetail: ['reports_2021-06-30.json', 'Error'],
  ErrorList: ['reports_2021-06-30.json', 'ErrorList'],
  Report: ['reports_2021-06-30.json', 'Report'],
  GetReportsResponse: ['reports_2021-06-30.json', 'GetReportsResponse'],
  ReportDocument: ['reports_2021-06-30.json', 'ReportDocument'],
  CreateReportSpecification: ['reports_2021-06-30.json', 'CreateReportSpecification'],
  CreateReportResponse: ['reports_2021-06-30.json', 'CreateReportResponse'],
  Currency: ['financesV0.json', 'Currency'],
  FinancialEventGroup: ['financesV0.json', 'FinancialEventGroup'],
  ListFinancialEventGroupsResponse: ['financesV0.json', 'ListFinancialEventGroupsResponse'],
  ChargeComponent: ['financesV0.json', 'ChargeComponent'],
  FeeComponent: ['financesV0.json', 'FeeComponent'],
  Promotion: ['financesV0.json', 'Promotion'],
  TaxWithheldComponent: ['financesV0.json', 'TaxWithheldComponent'],
  ShipmentItem: ['financesV0.json', 'ShipmentItem'],
  ShipmentEvent: ['financesV0.json', 'ShipmentEvent'],
  AdjustmentItem: ['financesV0.json', 'AdjustmentItem'],
  AdjustmentEvent: ['financesV0.json', 'AdjustmentEvent'],
  ServiceFeeEvent: ['financesV0.json', 'ServiceFeeEvent'],
  SAFETReimbursementEvent: ['financesV0.json', 'SAFETReimbursementEvent'],
  FinancialEvents: ['financesV0.json', 'FinancialEvents'],
  ListFinancialEventsResponse: ['financesV0.json', 'ListFinancialEventsResponse'],
  TransactionCurrency: ['finances_2024-06-19.json', 'Currency'],
  RelatedIdentifier: ['finances_2024-06-19.json', 'RelatedIdentifier'],
  Breakdown: ['finances_2024-06-19.json', 'Breakdown'],
  Transaction: ['finances_2024-06-19.json', 'Transaction'],
  ListTransactionsResponse: ['finances_2024-06-19.json', 'ListTransactionsResponse'],
  OrderMoney: ['ordersV0.json', 'Money'],
  OrderV0: ['ordersV0.json', 'Order'],
  GetOrdersResponse: ['ordersV0.json', 'GetOrdersResponse'],
  Money: ['orders_2026-01-01.json', 'Money'],
  OrderItem: ['orders_2026-01-01.json', 'OrderItem'],
  Order: ['orders_2026-01-01.json', 'Order'],
  SearchOrdersResponse: ['orders_2026-01-01.json', 'SearchOrdersResponse'],
  ListingsItemSummary: ['listingsItems_2021-08-01.json', 'ItemSummaryByMarketplace'],
  ListingsIssue: ['listingsItems_2021-08-01.json', 'Issue'],
  FulfillmentAvailability: ['listingsItems_2021-08-01.json', 'FulfillmentAvailability'],
  ListingsItem: ['listingsItems_2021-08-01.json', 'Item'],
  ListingsPagination: ['listingsItems_2021-08-01.json', 'Pagination'],
  ItemSearchResults: ['listingsItems_2021-08-01.json', 'ItemSearchResults'],
  InventoryError: ['fbaInventory.json', 'Error'],
  InventoryGranularity: ['fbaInventory.json', 'Granularity'],
  ReservedQuantity: ['fbaInventory.json', 'ReservedQuantity'],
  ResearchingQuantityEntry: ['fbaInventory.json', 'ResearchingQuantityEntry'],
  ResearchingQuantity: ['fbaInventory.json', 'ResearchingQuantity'],
  UnfulfillableQuantity: ['fbaInventory.json', 'UnfulfillableQuantity'],
  InventoryDetails: ['fbaInventory.json', 'InventoryDetails'],
  InventorySummary: ['fbaInventory.json', 'InventorySummary'],
  GetInventorySummariesResponse: ['fbaInventory.json', 'GetInventorySummariesResponse'],
};

const source = ts.createSourceFile(
  'types.ts',
  readFileSync(path.join(here, '../src/types.ts'), 'utf8'),
  ts.ScriptTarget.ES2022,
  true,
);
const interfaces = new Map<string, ts.InterfaceDeclaration>();
const aliases = new Map<string, ts.TypeNode>();
for (const statement of source.statements) {
  if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
  if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
}

function resolveSchema(definitions: Definitions, schema: Schema): Schema {
  let current = schema;
  while (current.$ref) current = definitions[current.$ref.replace('#/definitions/', '')]!;
  return current;
}

function modelType(schema: Schema): string | undefined {
  return schema.type ?? (schema.properties ? 'object' : undefined);
}

/** The JSON type a TS type node stands for, and its literal values when it is a literal union. */
function ourType(node: ts.TypeNode): {
  type: string;
  literals?: string[];
  element?: ts.TypeNode;
  members?: ts.NodeArray<ts.TypeElement>;
} {
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(source);
    const alias = aliases.get(name);
    if (alias) return ourType(alias);
    return { type: 'object' };
  }
  if (ts.isArrayTypeNode(node)) return { type: 'array', element: node.elementType };
  if (ts.isTypeLiteralNode(node)) return { type: 'object', members: node.members };
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal))
    return { type: 'string', literals: [node.literal.text] };
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.map(ourType);
    assert.ok(
      parts.every((p) => p.type === parts[0]!.type),
      `mixed union ${node.getText(source)}`,
    );
    return { type: parts[0]!.type, literals: parts.flatMap((p) => p.literals ?? []) };
  }
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: 'number' };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
  throw new Error(`unsupported type ${node.getText(source)}`);
}

function compatible(ours: string, theirs: string | undefined): boolean {
  return ours === theirs || (ours === 'number' && theirs === 'integer');
}

function checkMembers(
  members: ts.NodeArray<ts.TypeElement>,
  schemaIn: Schema,
  definitions: Definitions,
  where: string,
  problems: string[],
): void {
  const schema = resolveSchema(definitions, schemaIn);
  for (const member of members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = member.name.getText(source);
    const property = schema.properties?.[name];
    if (!property) {
      problems.push(`${where}.${name}: not in the model`);
      continue;
    }
    if (!member.questionToken && !schema.required?.includes(name)) {
      problems.push(`${where}.${name}: we require it, the model does not`);
    }
    checkType(member.type, property, definitions, `${where}.${name}`, problems);
  }
}

function checkType(
  node: ts.TypeNode,
  schemaIn: Schema,
  definitions: Definitions,
  where: string,
  problems: string[],
): void {
  const schema = resolveSchema(definitions, schemaIn);
  const ours = ourType(node);
  if (!compatible(ours.type, modelType(schema))) {
    problems.push(`${where}: ours is ${ours.type}, the model's ${modelType(schema)}`);
    return;
  }
  for (const literal of ours.literals ?? []) {
    if (schema.enum && !schema.enum.includes(literal))
      problems.push(`${where}: "${literal}" is not in the model's enum`);
  }
  if (ours.members) checkMembers(ours.members, schema, definitions, where, problems);
  if (ours.element && schema.items)
    checkType(ours.element, schema.items, definitions, `${where}[]`, problems);
}

describe('hand-written SP-API types against the official models', { skip }, () => {
  const loaded = new Map<string, Definitions>();
  const definitionsOf = (file: string) => {
    if (!loaded.has(file))
      loaded.set(file, JSON.parse(readFileSync(path.join(models, file), 'utf8')).definitions);
    return loaded.get(file)!;
  };

  it('maps every exported interface to a model definition', () => {
    assert.deepEqual(
      [...interfaces.keys()].filter((name) => !MAPPING[name]),
      [],
    );
  });

  for (const [name, [file, definition]] of Object.entries(MAPPING)) {
    it(`${name} matches ${file} ${definition}`, () => {
      const declaration = interfaces.get(name);
      assert.ok(declaration, `${name} is not declared in src/types.ts`);
      const definitions = definitionsOf(file);
      assert.ok(definitions[definition], `${definition} is not in ${file}`);
      const problems: string[] = [];
      checkMembers(declaration.members, definitions[definition]!, definitions, name, problems);
      assert.deepEqual(problems, []);
    });
  }
});

/**
 * Mapping rule sets, versioned per connection. A new version is a new document; nothing is edited
 * in place, so any journal can be traced to the exact rules that produced it. The definition is
 * kept as JSON text (FerretDB v1 refuses nested arrays and dotted keys, which rule patterns and
 * period tables may contain).
 */
import { type Connection, type Model, Schema } from 'mongoose';

export interface StoredRuleSet {
  connectionId: string;
  version: number;
  /** The rule set as JSON (parse it with @mlc/mapping's parseRuleSet). */
  definition: string;
  createdAt: Date;
  createdBy: string;
}

const ruleSetSchema = new Schema<StoredRuleSet>(
  {
    connectionId: { type: String, required: true },
    version: { type: Number, required: true },
    definition: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'mapping_rule_sets', versionKey: false },
);
ruleSetSchema.index({ connectionId: 1, version: 1 }, { unique: true });

export function ruleSetModel(connection: Connection): Model<StoredRuleSet> {
  return (connection.models.RuleSet as Model<StoredRuleSet>) ?? connection.model('RuleSet', ruleSetSchema);
}

/** The newest version for the connection, or null when it has none (the default rules apply). */
export async function latestRuleSet(
  connection: Connection,
  connectionId: string,
): Promise<StoredRuleSet | null> {
  const found = await ruleSetModel(connection)
    .find({ connectionId })
    .sort({ version: -1 })
    .limit(1)
    .lean()
    .exec();
  return (found[0] as StoredRuleSet | undefined) ?? null;
}

/**
 * Saves a definition as the next version; fails (duplicate key) if someone saved that version
 * concurrently, so two imports never both become "version N".
 */
export async function saveRuleSet(
  connection: Connection,
  input: { connectionId: string; definition: string; createdBy: string },
): Promise<StoredRuleSet> {
  const latest = await latestRuleSet(connection, input.connectionId);
  const stored: StoredRuleSet = { ...input, version: (latest?.version ?? 0) + 1, createdAt: new Date() };
  await ruleSetModel(connection).create(stored);
  return stored;
}

/**
 * A settlement's journals rebuilt from what is stored: its raw document, read through the parser,
 * and a named rule set version ("<id>@<version>"). What a repost compares against and what
 * `mlc settlement show --lineage` lists rows from; the rows can be watched on the way (`onRow`).
 *
 * Something no longer there is an answer, not an error: `{ missing }` says what (the rule set
 * version, the raw document or one of its chunks, or a report that no longer parses).
 */
import { type BuildResult, buildJournals, resolveRuleSetRef } from '@mlc/mapping';
import { SettlementParseError, SettlementReader, type SettlementRow } from '@mlc/settlement';
import type { Connection } from 'mongoose';
import { readRawDocument } from './raw-documents.js';
import { ruleSetModel } from './rule-sets.js';

export type RebuiltSettlement = { result: BuildResult } | { missing: string };

export async function rebuildSettlement(
  db: Connection,
  connectionId: string,
  source: { rawDocumentId: string; ruleSet: string },
  /** 1: the first posting's job ids; n > 1: the `:r<n>` ids of repost generation n. */
  generation: number,
  onRow?: (row: SettlementRow) => void,
): Promise<RebuiltSettlement> {
  const resolved = await resolveRuleSetRef(connectionId, source.ruleSet, async (version) => {
    const stored = await ruleSetModel(db).findOne({ connectionId, version }).lean().exec();
    return stored?.definition ?? null;
  });
  if ('missing' in resolved) return resolved;
  const reader = new SettlementReader(readRawDocument(db, source.rawDocumentId), {
    fileName: `raw document ${source.rawDocumentId}`,
  });
  async function* watched(): AsyncGenerator<SettlementRow> {
    for await (const row of reader) {
      onRow?.(row);
      yield row;
    }
  }
  try {
    const summary = await reader.summary();
    const revision = generation > 1 ? generation : 0;
    const rows = onRow ? watched() : reader;
    return { result: await buildJournals(summary, rows, resolved.ruleSet, { revision }) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (error instanceof SettlementParseError)
      return { missing: `the stored report ${source.rawDocumentId} no longer parses: ${text}` };
    if (/raw document .* is (not stored|missing chunk)/.test(text))
      return { missing: `${text} (the stored report is gone)` };
    throw error;
  }
}

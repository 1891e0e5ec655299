/**
 * The item matching rules: too long (> 25) never looked up, ambiguous when several items answer,
 * conflict when the F4104 cross reference and F4101.LITM name different items, trimming of
 * blank-padded JDE cells, the LITM fallback of xref rules, and the identifier (ASIN / FNSKU)
 * check against F4104.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCrossReferenceRow, readItemMasterRow } from '@mlc/ais';
import { parseItemSettings } from '@mlc/store';
import { checkCrossReference, crossReferenceJobId, decideMatch, tooLongReason } from '../src/items/match.js';

const item = (itm: number, litm: string, aitm = '') =>
  readItemMasterRow({ F4101_ITM: itm, F4101_LITM: litm, F4101_AITM: aitm });
const xref = (itm: number, xrt: string, an8: number, citm: string) =>
  readCrossReferenceRow({ F4104_ITM: itm, F4104_XRT: xrt, F4104_AN8: an8, F4104_CITM: citm });

describe('item matching rules', () => {
  it('a SKU of 25 characters is looked up; 26 is too long for LITM, AITM and CITM', () => {
    const sku25 = 'A'.repeat(25);
    const sku26 = 'A'.repeat(26);
    assert.equal(tooLongReason(sku25, 'litm'), undefined);
    assert.match(tooLongReason(sku26, 'litm') ?? '', /26 characters; F4101\.LITM holds 25/);
    assert.match(tooLongReason(sku26, 'aitm') ?? '', /F4101\.AITM holds 25/);
    assert.match(tooLongReason(sku26, 'xref:AZ') ?? '', /F4104\.CITM holds 25/);
    // Even when a (truncated) row would match, a too-long SKU is never matched.
    const decision = decideMatch({
      sku: sku26,
      rule: 'litm',
      addressNumber: '0',
      items: [item(1, sku25)],
      crossReferences: [],
    });
    assert.equal(decision.status, 'too_long');
  });

  it('matches by LITM after trimming blank-padded cells', () => {
    const padded = item(42, 'SKU-1                    ');
    assert.equal(padded.secondItemNumber, 'SKU-1');
    assert.equal(readItemMasterRow({ F4101_ITM: '   00000042', F4101_LITM: 'X' }).itemNumber, '42');
    const decision = decideMatch({
      sku: 'SKU-1',
      rule: 'litm',
      addressNumber: '0',
      items: [padded],
      crossReferences: [],
    });
    assert.deepEqual(decision, {
      status: 'matched',
      itemNumber: '42',
      via: 'litm',
      reason: 'F4101.LITM = "SKU-1"',
      secondItemNumber: 'SKU-1',
    });
  });

  it('a SKU with blanks around it is unmatched with that said (JDE keeps no trailing blanks)', () => {
    const decision = decideMatch({
      sku: 'SKU-1 ',
      rule: 'litm',
      addressNumber: '0',
      items: [item(42, 'SKU-1')],
      crossReferences: [],
    });
    assert.equal(decision.status, 'unmatched');
    assert.match(decision.reason, /leading or trailing blanks/);
  });

  it('is ambiguous when several items carry the SKU (AITM is not unique; padding trims to the same)', () => {
    const aitm = decideMatch({
      sku: 'S1',
      rule: 'aitm',
      addressNumber: '0',
      items: [item(7, 'A', 'S1'), item(3, 'B', 'S1  ')],
      crossReferences: [],
    });
    assert.equal(aitm.status, 'ambiguous');
    assert.deepEqual(aitm.status === 'ambiguous' && aitm.candidates, ['3', '7']);
    assert.match(aitm.reason, /2 items have F4101\.AITM "S1": 3, 7/);
    const xrefs = decideMatch({
      sku: 'S1',
      rule: 'xref:AZ',
      addressNumber: '4242',
      items: [],
      crossReferences: [xref(5, 'AZ', 4242, 'S1'), xref(6, 'AZ', 4242, 'S1 ')],
    });
    assert.equal(xrefs.status, 'ambiguous');
    assert.match(xrefs.reason, /names 2 items: 5, 6/);
  });

  it('is a conflict when the cross reference and LITM name different items, a match when the same', () => {
    const conflict = decideMatch({
      sku: 'S1',
      rule: 'xref:AZ',
      addressNumber: '4242',
      items: [item(9, 'S1')],
      crossReferences: [xref(5, 'AZ', 4242, 'S1')],
    });
    assert.equal(conflict.status, 'conflict');
    assert.match(conflict.reason, /names item 5, but F4101\.LITM "S1" is item 9/);
    assert.deepEqual(conflict.status === 'conflict' && conflict.candidates, ['5', '9']);
    const same = decideMatch({
      sku: 'S1',
      rule: 'xref:AZ',
      addressNumber: '4242',
      items: [item(5, 'S1')],
      crossReferences: [xref(5, 'AZ', 4242, 'S1')],
    });
    assert.equal(same.status, 'matched');
    assert.equal(same.status === 'matched' && same.via, 'xref');
  });

  it('an xref rule ignores other types and address numbers, then falls back to LITM', () => {
    const decision = decideMatch({
      sku: 'S1',
      rule: 'xref:AZ',
      addressNumber: '4242',
      items: [item(9, 'S1')],
      crossReferences: [xref(5, 'C', 4242, 'S1'), xref(6, 'AZ', 1, 'S1')],
    });
    assert.equal(decision.status, 'matched');
    assert.equal(decision.status === 'matched' && decision.itemNumber, '9');
    assert.match(decision.reason, /^no F4104 XRT AZ AN8 4242 CITM "S1"; F4101\.LITM = "S1"$/);
    const none = decideMatch({
      sku: 'S1',
      rule: 'xref:AZ',
      addressNumber: '4242',
      items: [],
      crossReferences: [],
    });
    assert.equal(none.status, 'unmatched');
  });

  it('an identifier is present, missing, or held by another item (a conflict never overwritten)', () => {
    const want = { itemNumber: '5', type: 'AS', addressNumber: '4242', value: 'B0001' };
    assert.deepEqual(checkCrossReference([xref(5, 'AS', 4242, 'B0001 ')], want), { state: 'present' });
    assert.deepEqual(checkCrossReference([xref(5, 'FN', 4242, 'B0001')], want), { state: 'missing' });
    assert.deepEqual(checkCrossReference([xref(8, 'AS', 4242, 'B0001')], want), {
      state: 'conflict',
      otherItems: ['8'],
    });
    assert.equal(crossReferenceJobId('c1', want), 'xref:c1:5:AS:4242:B0001');
  });
});

describe('item settings', () => {
  it('fills defaults and names the field of every error', () => {
    const settings = parseItemSettings({ match: 'xref:AZ', crossReferenceTypes: { asin: 'AS' } });
    assert.equal(settings.addressNumber, '0');
    assert.equal(settings.createCrossReferences, false);
    assert.equal(settings.orchestration.name, 'ORCH_MLC_AddItemCrossReference');
    assert.throws(
      () => parseItemSettings({ match: 'sku' }),
      /match: "sku" is not "litm", "aitm" or "xref:<type>"/,
    );
    assert.throws(() => parseItemSettings({ match: 'xref:ABC' }), /match: cross-reference type "ABC"/);
    assert.throws(
      () => parseItemSettings({ addressNumber: 'x' }),
      /addressNumber: "x" is not an address number/,
    );
    assert.throws(
      () => parseItemSettings({ createMissingItems: true }),
      /createMissingItems: creating JDE items is not supported/,
    );
    assert.throws(
      () => parseItemSettings({ createCrossReferences: true }),
      /createCrossReferences: is on but/,
    );
    assert.throws(
      () => parseItemSettings({ match: 'xref:AS', crossReferenceTypes: { asin: 'AS' } }),
      /crossReferenceTypes\.asin: "AS" is already the SKU's type/,
    );
    assert.throws(
      () => parseItemSettings({ orchestration: { inputs: { nope: 'x' } } }),
      /orchestration\.inputs\.nope/,
    );
    assert.throws(() => parseItemSettings('{'), /not JSON/);
  });
});

/**
 * The item helpers against the AIS simulator: F4101 by LITM / AITM LIST across pages and chunks,
 * F4104 by CITM / XRT / AN8, the exact-key read-back, and the cross-reference orchestration —
 * validated before sending, and refused by "JDE" for an unknown item, a type not in UDC 41/DT, a
 * CITM over 25 characters and a duplicate key. Both input shapes are written as JDE would read them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { itemsOf, seedItems } from '@mlc/sim-jde-ais';
import {
  AisError,
  addCrossReference,
  buildCrossReferenceBody,
  type CrossReferenceOrchestrationMapping,
  findCrossReference,
  findCrossReferencesByValue,
  findItemsByNumber,
} from '../src/index.js';
import { clientFor, type RunningSim, SIM_USERS, startSim } from './helpers.js';

const mapping: CrossReferenceOrchestrationMapping = {
  name: 'ORCH_MLC_AddItemCrossReference',
  version: 'v3',
  inputFormat: 'JDE Standard',
  inputs: {
    itemNumber: 'ItemNumber',
    crossReferenceType: 'CrossReferenceType',
    addressNumber: 'AddressNumber',
    crossReferenceItemNumber: 'CrossReferenceItemNumber',
    description: 'Description',
  },
};

describe('AIS item helpers', () => {
  let sim: RunningSim;
  let client: ReturnType<typeof clientFor>['client'];

  before(async () => {
    sim = await startSim({ users: SIM_USERS, defaultPageSize: 7 });
    client = clientFor(sim.baseUrl).client;
    seedItems(sim.state, {
      items: Array.from({ length: 40 }, (_, i) => ({
        itm: 100 + i,
        litm: `SKU-${i}`,
        aitm: i < 2 ? 'SHARED' : `A-${i}`,
      })),
      crossReferences: [
        { itm: 100, xrt: 'AZ', an8: 4242, citm: 'AMZ-0' },
        { itm: 101, xrt: 'AZ', an8: 1, citm: 'AMZ-0' },
        { itm: 102, xrt: 'C', an8: 4242, citm: 'AMZ-0' },
      ],
    });
  });
  after(() => sim.close());

  it('reads F4101 by LITM LIST in chunks and through next pages', async () => {
    const wanted = Array.from({ length: 30 }, (_, i) => `SKU-${i}`);
    const rows = await findItemsByNumber(client, 'LITM', [...wanted, 'NOPE', 'X'.repeat(26)], {
      chunkSize: 12,
      maxPageSize: 5,
    });
    assert.equal(rows.length, 30);
    assert.deepEqual(rows.map((r) => r.secondItemNumber).sort(), [...wanted].sort());
    assert.equal(rows.find((r) => r.secondItemNumber === 'SKU-3')?.itemNumber, '103');
    const shared = await findItemsByNumber(client, 'AITM', ['SHARED']);
    assert.deepEqual(
      shared.map((r) => r.itemNumber),
      ['100', '101'],
    );
  });

  it('reads F4104 by CITM, XRT and AN8 (index 4) and by exact key', async () => {
    const rows = await findCrossReferencesByValue(client, {
      values: ['AMZ-0'],
      types: ['AZ'],
      addressNumbers: ['4242'],
    });
    assert.deepEqual(
      rows.map((r) => [r.itemNumber, r.type, r.addressNumber, r.crossReferenceItemNumber]),
      [['100', 'AZ', '4242', 'AMZ-0']],
    );
    const key = { itemNumber: '101', type: 'AZ', addressNumber: '1', crossReferenceItemNumber: 'AMZ-0' };
    assert.equal((await findCrossReference(client, key)).length, 1);
    assert.equal((await findCrossReference(client, { ...key, addressNumber: '4242' })).length, 0);
  });

  it('adds a cross reference once; JDE refuses the same key again', async () => {
    const xref = {
      itemNumber: '105',
      type: 'AS',
      addressNumber: '4242',
      crossReferenceItemNumber: 'B000000105',
    };
    const answer = await addCrossReference(client, mapping, { ...xref, description: 'Amazon ASIN' });
    assert.equal(answer.ItemNumber, 105);
    const rows = await findCrossReference(client, xref);
    assert.equal(rows.length, 1);
    assert.equal(
      itemsOf(sim.state).crossReferences.find((r) => r.CITM === 'B000000105')?.DSC1,
      'Amazon ASIN',
    );
    await assert.rejects(addCrossReference(client, mapping, xref), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'business');
      assert.match(error.message, /Record Already Exists/);
      return true;
    });
  });

  it('JDE refuses an unknown item and a type that is not in UDC 41/DT', async () => {
    await assert.rejects(
      addCrossReference(client, mapping, {
        itemNumber: '99999',
        type: 'AS',
        addressNumber: '4242',
        crossReferenceItemNumber: 'B1',
      }),
      (error: unknown) =>
        error instanceof AisError && error.kind === 'business' && /Item Number Invalid/.test(error.message),
    );
    await assert.rejects(
      addCrossReference(client, mapping, {
        itemNumber: '105',
        type: 'QQ',
        addressNumber: '4242',
        crossReferenceItemNumber: 'B1',
      }),
      (error: unknown) =>
        error instanceof AisError &&
        /Cross Reference Type Invalid/.test(error.message) &&
        /41\/DT/.test(error.message),
    );
  });

  it('a CITM over 25 characters is refused before sending, and by JDE when sent anyway', async () => {
    const long = 'X'.repeat(26);
    await assert.rejects(
      addCrossReference(client, mapping, {
        itemNumber: '105',
        type: 'AS',
        addressNumber: '4242',
        crossReferenceItemNumber: long,
      }),
      (error: unknown) =>
        error instanceof AisError && error.kind === 'validation' && /holds 25/.test(error.message),
    );
    const body = buildCrossReferenceBody(
      { itemNumber: '105', type: 'AS', addressNumber: '4242', crossReferenceItemNumber: long },
      { ...mapping, inputFormat: 'Generic' },
    );
    assert.deepEqual(body, {
      ItemNumber: '105',
      CrossReferenceType: 'AS',
      AddressNumber: '4242',
      CrossReferenceItemNumber: long,
    });
    await assert.rejects(
      client.orchestrate(mapping.name, body),
      (error: unknown) => error instanceof AisError && /longer than 25 characters/.test(error.message),
    );
    assert.equal(itemsOf(sim.state).crossReferences.filter((r) => r.CITM === long).length, 0);
  });
});

/**
 * The F0901 cache against the AIS simulator in-process: accounts exist or not, non-posting ones
 * are not postable, and an account added in JDE is seen once the cache is older than asked for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisClient, InProcessSessionProvider } from '@mlc/ais';
import { buildSimulatorApp } from '@mlc/sim-jde-ais';
import { AccountMaster } from '../src/account-master.js';

describe('AccountMaster', () => {
  const sim = buildSimulatorApp();
  let client: AisClient;
  let clock = 0;

  before(async () => {
    const baseUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    const connection = {
      id: 'c1',
      baseUrl,
      allowInsecureHttp: true,
      username: 'JDE',
      password: 'JDE',
      deviceName: 'test',
      environment: 'JDV920',
      role: '*ALL',
    };
    client = new AisClient({ connection, sessions: new InProcessSessionProvider([connection]) });
  });
  after(() => sim.app.close());

  const account = (text: string) => {
    const [businessUnit = '', object = '', subsidiary = ''] = text.split('.');
    return { businessUnit, object, subsidiary };
  };

  it('answers exists and postable from F0901', async () => {
    const master = new AccountMaster(
      async () => client,
      60_000,
      () => clock,
    );
    const lookup = await master.lookupFor('c1');
    const accounts = (await sim.app.inject('/_sim/accounts')).json() as Array<{
      MCU: string;
      OBJ: string;
      SUB: string;
      PEC: string;
    }>;
    const postable = accounts.find((a) => a.PEC.trim() === '');
    assert.ok(postable, 'the simulator has a postable account');
    assert.deepEqual(
      await lookup(account(`${postable.MCU.trim()}.${postable.OBJ.trim()}.${postable.SUB.trim()}`)),
      {
        exists: true,
        postable: true,
        postingEditCode: '',
      },
    );
    assert.deepEqual(await lookup(account('1.1000')), {
      exists: true,
      postable: false,
      postingEditCode: 'N',
    });
    assert.deepEqual(await lookup(account('99.9999')), { exists: false, postable: false });
  });

  it('sees an account added in JDE once the cache is older than asked for', async () => {
    const master = new AccountMaster(
      async () => client,
      60_000,
      () => clock,
    );
    assert.equal((await (await master.lookupFor('c1'))(account('7.7777'))).exists, false);
    await sim.app.inject({
      method: 'POST',
      url: '/_sim/accounts',
      payload: [
        {
          company: '00001',
          aid: '00077777',
          businessUnit: '7',
          object: '7777',
          subsidiary: '',
          description: 'New',
          postingEditCode: '',
          levelOfDetail: 7,
        },
      ],
    });
    clock += 1_000;
    assert.equal(
      (await (await master.lookupFor('c1'))(account('7.7777'))).exists,
      false,
      'cached for a minute',
    );
    assert.equal(
      (await (await master.lookupFor('c1', 0))(account('7.7777'))).exists,
      true,
      'a fresh read sees it',
    );
  });
});

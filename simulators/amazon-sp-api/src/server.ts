/**
 * Process entry of the SP-API simulator. Environment:
 *   SIM_SPAPI_PORT        listen port (default 8091), SIM_SPAPI_HOST (default 127.0.0.1)
 *   SIM_SPAPI_TIME_SCALE  virtual seconds per wall second (default 1)
 *   SIM_SPAPI_SEED_DIR    a folder of settlement flat files (*.txt, *.tsv) seeded at start-up
 *   SIM_SPAPI_CONNECTION  the connection those files belong to (default "default")
 *   SIM_SPAPI_CLIENT_ID / SIM_SPAPI_CLIENT_SECRET  the LWA credentials accepted
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSimulatorApp } from './app.js';

const env = process.env;
const { app, state } = buildSimulatorApp({
  logger: true,
  timeScale: env.SIM_SPAPI_TIME_SCALE ? Number(env.SIM_SPAPI_TIME_SCALE) : 1,
  clientId: env.SIM_SPAPI_CLIENT_ID,
  clientSecret: env.SIM_SPAPI_CLIENT_SECRET,
});

const seedDir = env.SIM_SPAPI_SEED_DIR;
if (seedDir) {
  const files = (await readdir(seedDir)).filter((name) => /\.(txt|tsv)$/.test(name)).sort();
  for (const name of files) {
    const settlement = state.seedSettlement({
      content: await readFile(path.join(seedDir, name), 'utf8'),
      connectionId: env.SIM_SPAPI_CONNECTION,
    });
    app.log.info({ file: name, settlementId: settlement.settlementId }, 'seeded settlement');
  }
}

await app.listen({ port: Number(env.SIM_SPAPI_PORT ?? 8091), host: env.SIM_SPAPI_HOST ?? '127.0.0.1' });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}

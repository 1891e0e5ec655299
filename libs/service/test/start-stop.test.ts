/**
 * A stop request while a service is still starting (a restarted consumer can wait half a minute for its
 * group) releases what start-up acquired so far — including what it acquires after the request — and
 * ends start-up as "stopped", not as a failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commonServiceConfig, z } from '@mlc/config';
import { type ServiceDefinition, StoppedDuringStartUp, startService } from '../src/index.js';

const env = {
  MLC_KAFKA_BROKERS: '127.0.0.1:1',
  MLC_MONGO_URL: 'mongodb://127.0.0.1:1/none',
  MLC_LOG_LEVEL: 'silent',
  MLC_ADMIN_HOST: '127.0.0.1',
};

/** A service whose start acquires one resource, then waits (like a consumer joining its group) until released. */
function slowStarter(events: string[]): ServiceDefinition<z.ZodObject<typeof commonServiceConfig>> {
  return {
    name: 'slow-starter',
    configSchema: z.object(commonServiceConfig),
    adminPort: () => 0,
    async start({ lifecycle }) {
      events.push('acquired consumer');
      let leaveJoin: (error: Error) => void = () => {};
      const joining = new Promise<void>((_resolve, reject) => {
        leaveJoin = reject;
      });
      lifecycle.onShutdown('consumer', () => {
        events.push('released consumer');
        leaveJoin(new Error('consumer disconnected while joining'));
      });
      try {
        await joining;
      } finally {
        // Acquired after the stop request has released everything: released at once, not leaked.
        await new Promise((resolve) => setTimeout(resolve, 20));
        lifecycle.onShutdown('late timer', () => {
          events.push('released late timer');
        });
      }
    },
  };
}

describe('startService stopped during start-up', () => {
  it('releases what was acquired, also late, and rejects with StoppedDuringStartUp', async () => {
    const events: string[] = [];
    const stop = new AbortController();
    const starting = startService(slowStarter(events), env, () => {}, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(events, ['acquired consumer']);
    stop.abort();
    await assert.rejects(starting, StoppedDuringStartUp);
    assert.deepEqual(events, ['acquired consumer', 'released consumer', 'released late timer']);
  });

  it('without a stop request, a start-up error is a failure (not "stopped")', async () => {
    const failing: ServiceDefinition<z.ZodObject<typeof commonServiceConfig>> = {
      ...slowStarter([]),
      async start() {
        throw new Error('mongo unreachable');
      },
    };
    await assert.rejects(
      startService(failing, env, () => {}, new AbortController().signal),
      /mongo unreachable/,
    );
  });
});

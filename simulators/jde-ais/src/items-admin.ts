/**
 * /_sim routes for the item tables: seed F4101 / F4104, read them back (a test's "created exactly
 * once" looks here), and change the cross-reference orchestration's name, input format and the
 * UDC 41/DT values it accepts.
 */
import type { FastifyInstance } from 'fastify';
import { SimError } from './errors.js';
import {
  type ItemXrefOrchestrationConfig,
  itemsOf,
  type SeedCrossReference,
  type SeedItem,
  seedItems,
} from './items.js';
import type { SimState } from './state.js';

export function registerItemAdminRoutes(app: FastifyInstance, state: SimState): void {
  app.post<{ Body: { items?: SeedItem[]; crossReferences?: SeedCrossReference[] } }>(
    '/_sim/items',
    async (request) => seedItems(state, request.body ?? {}),
  );
  app.get('/_sim/f4101', async () => [...itemsOf(state).items.values()]);
  app.get('/_sim/f4104', async () => itemsOf(state).crossReferences);
  app.post<{
    Body: { crossReferenceTypes?: string[] } & Partial<
      Pick<ItemXrefOrchestrationConfig, 'name' | 'inputFormat'>
    >;
  }>('/_sim/items/config', async (request) => {
    const store = itemsOf(state);
    const { crossReferenceTypes, name, inputFormat } = request.body ?? {};
    if (crossReferenceTypes !== undefined) {
      if (!Array.isArray(crossReferenceTypes) || crossReferenceTypes.some((t) => typeof t !== 'string'))
        throw new SimError(400, { message: 'crossReferenceTypes must be an array of UDC 41/DT codes' });
      store.crossReferenceTypes.clear();
      for (const type of crossReferenceTypes) store.crossReferenceTypes.add(type);
    }
    if (name) store.orchestration.name = name;
    if (inputFormat) store.orchestration.inputFormat = inputFormat;
    return { orchestration: store.orchestration, crossReferenceTypes: [...store.crossReferenceTypes] };
  });
}

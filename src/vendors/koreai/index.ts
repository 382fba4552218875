import { defineVendor } from '../module';
import { createKoreAiConnector } from './client';
import { koreAiConfigSchema } from './config';
import { startKoreAiSimulator } from './simulator';

/** Kore.ai: billing sessions (seeds 000 and 004). */
export const koreAi = defineVendor({
  vendor: 'KORE_AI',
  key: 'koreai',
  configSchema: koreAiConfigSchema,
  createConnector: createKoreAiConnector,
  startSimulator: startKoreAiSimulator,
  demo: { connection: 'kore-demo', rate: { unit: 'SESSIONS', price: 0.05, currency: 'USD' } },
  fixtures: 'tests/fixtures/vendors/koreai',
});

import { defineVendor } from '../module';
import { createEvovoiceConnector } from './client';
import { evovoiceConfigSchema } from './config';
import { startEvovoiceSimulator } from './simulator';

/** Evovoice: AI minutes per account and customer (seed 002). */
export const evovoice = defineVendor({
  vendor: 'EVOVOICE',
  key: 'evovoice',
  configSchema: evovoiceConfigSchema,
  createConnector: createEvovoiceConnector,
  startSimulator: startEvovoiceSimulator,
  demo: { connection: 'evo-demo', rate: { unit: 'MINUTES', price: 0.02, currency: 'USD' } },
  fixtures: 'tests/fixtures/vendors/evovoice',
});

import { defineVendor } from '../module';
import { createCognigyConnector } from './client';
import { cognigyConfigSchema } from './config';
import { startCognigySimulator } from './simulator';

/** Cognigy.AI: billing per organisation (seed 001). No demo rate: its amounts stay null. */
export const cognigy = defineVendor({
  vendor: 'COGNIGY',
  key: 'cognigy',
  configSchema: cognigyConfigSchema,
  createConnector: createCognigyConnector,
  startSimulator: startCognigySimulator,
  demo: { connection: 'cognigy-demo' },
  fixtures: 'tests/fixtures/vendors/cognigy',
});

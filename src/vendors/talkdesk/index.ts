import { defineVendor } from '../module';
import { createTalkdeskConnector } from './client';
import { talkdeskConfigSchema } from './config';
import { startTalkdeskSimulator } from './simulator';

/** Talkdesk: monthly usage with the vendor's own money (seed 003). */
export const talkdesk = defineVendor({
  vendor: 'TALKDESK',
  key: 'talkdesk',
  configSchema: talkdeskConfigSchema,
  createConnector: createTalkdeskConnector,
  startSimulator: startTalkdeskSimulator,
  demo: { connection: 'talkdesk-demo' },
  fixtures: 'tests/fixtures/vendors/talkdesk',
});

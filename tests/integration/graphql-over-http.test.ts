import { serverAudits } from 'graphql-http';
import { startTestApp, type TestApp } from '../helpers/app';
import { withClients } from '../helpers/security';

/**
 * graphql-http's audit suite (the GraphQL over HTTP specification) against the
 * live server, as a client holding an API key: no MUST audit may fail.
 */
const KEY = 'audit-client-key-0123456789ab';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ configure: (config) => withClients(config, [{ name: 'auditor', apiKey: KEY }]) });
});
afterAll(async () => {
  await app?.close();
});

const withKey = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('x-api-key', KEY);
  return fetch(input, { ...init, headers });
};

describe('GraphQL over HTTP audits', () => {
  for (const audit of serverAudits({ url: () => `${app.url}/graphql`, fetchFn: withKey })) {
    const must = audit.name.startsWith('MUST');
    it(audit.name, async () => {
      const result = await audit.fn();
      if (must) expect({ name: audit.name, status: result.status, reason: 'reason' in result ? result.reason : '' }).toEqual({ name: audit.name, status: 'ok', reason: '' });
      // SHOULD and MAY audits are reported, not required.
      else if (result.status !== 'ok') console.info(`${audit.name}: ${result.status} (${'reason' in result ? result.reason : ''})`);
    });
  }
});

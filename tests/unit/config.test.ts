import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';

const fixtures = join(__dirname, '..', 'fixtures', 'config');
const fixture = (name: string) => join(fixtures, name);
const sharedExample = join(__dirname, '..', '..', '..', 'shared', 'contract', 'config.example.yaml');

/** The variables config.example.yaml names, with values that look like the secrets they stand for. */
const exampleEnv = {
  KORE_CLIENT_SECRET: 'kore-secret-4d1f9a',
  COGNIGY_PASSWORD: 'cognigy-password-77c2',
  EVO_PASSWORD: 'evo-password-0b9e',
  TALKDESK_CLIENT_ID: 'talkdesk-client-3a51',
  TALKDESK_CLIENT_SECRET: 'talkdesk-secret-e6f0',
  ANALYST_API_KEY: 'analyst-key-5c0d2b9e81f4',
};

/** The message of the ConfigError `fn` throws; fails the test if it throws anything else or nothing. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

/** A minimal valid file (one Cognigy connection) with `extra` YAML appended at the top level. */
const cognigy = (extra = '') => `connections:
  - name: cognigy-eu
    vendor: COGNIGY
    baseUrl: https://api-trial.cognigy.ai
    username: finance@example.com
    password: plain-password
${extra}`;

describe('the example configuration of the contract', () => {
  it('is the same file as the shared contract where that is checked out beside the repo', () => {
    // The fixture lets a clone without ../shared run the suite; this keeps the copy honest where both exist.
    if (!existsSync(sharedExample)) return;
    expect(readFileSync(fixture('example.yaml'), 'utf8')).toEqual(readFileSync(sharedExample, 'utf8'));
  });

  it('parses into the typed configuration, with every variable substituted and every default filled in', () => {
    const config = loadConfigFile(fixture('example.yaml'), exampleEnv);

    expect(config).toEqual({
      server: {
        port: 4000,
        host: '127.0.0.1',
        graphiql: true,
        introspection: true,
        federation: true,
        metrics: true,
        metricsPublic: false,
        limits: {
          maxDepth: 12, maxAliases: 30, maxTokens: 5000, maxCost: 20000,
          maxVendorCallsPerOperation: 200, operationTimeoutMs: 15000, maxSpanDays: 366, maxIdsPerList: 500, maxResponseBytes: 10485760,
        },
        http: { headersTimeoutMs: 10000, requestTimeoutMs: 30000, keepAliveTimeoutMs: 5000, maxConnections: 1024, maxBodyBytes: 1048576 },
        shutdownGraceMs: 10000,
      },
      cache: {
        url: 'memory://',
        namespace: 'usagegraph',
        enabled: true,
        maxEntries: 10000,
        maxBytes: 268435456,
        staleMaxAgeSeconds: 604800,
        callTimeoutMs: 250,
        connectTimeoutMs: 2000,
        settleDays: 3,
        settledTtlSeconds: 86400,
        openTtlSeconds: 300,
        listingTtlSeconds: 900,
      },
      upstream: {
        batching: true, concurrency: 4, timeoutMs: 10000, retries: 2,
        queueLimit: 500, breakerFailures: 5, breakerCooldownMs: 30000, sourceDeadlineMs: 8000, maxResponseBytes: 52428800,
      },
      connections: [
        {
          name: 'kore-prod',
          vendor: 'KORE_AI',
          baseUrl: 'https://platform.kore.ai',
          clientId: 'cs-00000000-0000-0000-0000-000000000000',
          clientSecret: 'kore-secret-4d1f9a',
          scope: 'admin',
          bots: [],
          maxRangeDays: 90,
          billingPath: '/api/public/bots/getBillingSessionsDetails',
        },
        { name: 'cognigy-eu', vendor: 'COGNIGY', baseUrl: 'https://api-trial.cognigy.ai', username: 'finance@example.com', password: 'cognigy-password-77c2' },
        { name: 'evo', vendor: 'EVOVOICE', baseUrl: 'https://evovoice.io', username: 'admin@example.com', password: 'evo-password-0b9e' },
        {
          name: 'talkdesk',
          vendor: 'TALKDESK',
          baseUrl: 'https://api.talkdeskapp.com',
          tokenUrl: 'https://acme.talkdeskid.com/oauth/token',
          clientId: 'talkdesk-client-3a51',
          clientSecret: 'talkdesk-secret-e6f0',
          scopes: ['express-accounts-usage:read'],
        },
      ],
      rates: [
        { vendor: 'KORE_AI', unit: 'SESSIONS', price: '0.05', currency: 'USD' },
        { vendor: 'EVOVOICE', unit: 'MINUTES', price: '0.02', currency: 'USD' },
      ],
      clients: [
        { name: 'analysts', apiKey: 'analyst-key-5c0d2b9e81f4', connections: '*', persistedOnly: false },
        {
          name: 'partner-acme',
          apiKeySha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
          connections: ['talkdesk'],
          persistedOnly: true,
          rateLimit: { requests: 600, perSeconds: 60 },
        },
      ],
      persistedQueries: { apq: true, manifest: './persisted-documents.json' },
    });
  });

  it('fills in the defaults of the Kore.ai keys marked optional when they are left out', () => {
    const text = readFileSync(fixture('example.yaml'), 'utf8')
      .replace(/^ {4}scope: admin.*\n/m, '')
      .replace(/^ {4}bots: \[\].*\n/m, '')
      .replace(/^ {4}maxRangeDays: 90.*\n/m, '');
    expect(text).not.toMatch(/scope:|maxRangeDays:/);

    const kore = parseConfig(text, 'example.yaml', exampleEnv).connections[0];

    expect(kore).toMatchObject({ scope: 'admin', bots: [], maxRangeDays: 90 });
  });

  it('takes the port from PORT over the file', () => {
    expect(loadConfigFile(fixture('example.yaml'), { ...exampleEnv, PORT: '8123' }).server.port).toBe(8123);
    expect(loadConfigFile(fixture('example.yaml'), { ...exampleEnv, PORT: '0' }).server.port).toBe(0);
  });

  it('ignores an empty PORT', () => {
    expect(loadConfigFile(fixture('example.yaml'), { ...exampleEnv, PORT: '' }).server.port).toBe(4000);
  });
});

describe('JSON configuration files', () => {
  it('are read like YAML, with variables substituted and defaults filled in', () => {
    const config = loadConfigFile(fixture('example.json'), { TALKDESK_CLIENT_SECRET: 'td-secret-91' });

    expect(config.server).toEqual({
      port: 8080,
      host: '127.0.0.1',
      graphiql: false,
      introspection: true,
      federation: true,
      metrics: true,
      metricsPublic: false,
      limits: {
          maxDepth: 12, maxAliases: 30, maxTokens: 5000, maxCost: 20000,
          maxVendorCallsPerOperation: 200, operationTimeoutMs: 15000, maxSpanDays: 366, maxIdsPerList: 500, maxResponseBytes: 10485760,
        },
        http: { headersTimeoutMs: 10000, requestTimeoutMs: 30000, keepAliveTimeoutMs: 5000, maxConnections: 1024, maxBodyBytes: 1048576 },
        shutdownGraceMs: 10000,
    });
    expect(config.connections).toEqual([
      {
        name: 'talkdesk',
        vendor: 'TALKDESK',
        baseUrl: 'https://api.talkdeskapp.com',
        tokenUrl: 'https://acme.talkdeskid.com/oauth/token',
        clientId: 'td-client',
        clientSecret: 'td-secret-91',
        scopes: ['express-accounts-usage:read'],
      },
    ]);
    expect(config.rates).toEqual([{ vendor: 'TALKDESK', unit: 'MINUTES', price: '0.013', currency: 'EUR' }]);
    expect(config.clients).toBeUndefined();
  });
});

describe('${VAR} substitution', () => {
  it.each([
    ['a whole value', 'password: ${PW}', { PW: 'pa55' }, 'pa55'],
    ['the middle of a value', 'password: pre-${PW}-post', { PW: 'pa55' }, 'pre-pa55-post'],
    ['several variables in one value', 'password: ${A}:${B}', { A: 'left', B: 'right' }, 'left:right'],
    ['a value that is an empty variable', 'password: "x${EMPTY}"', { EMPTY: '' }, 'x'],
    ['a quoted JSON-style value', 'password: "${PW}"', { PW: 'pa55 word' }, 'pa55 word'],
  ])('replaces %s', (_what, line, env, expected) => {
    const text = cognigy().replace('password: plain-password', () => line);
    expect(parseConfig(text, 'c.yaml', env).connections[0]).toMatchObject({ password: expected });
  });

  it('substitutes inside any string, including URLs, names and list items', () => {
    const text = `connections:
  - name: \${CONN}
    vendor: KORE_AI
    baseUrl: http://\${HOST}:8080/base
    clientId: id
    clientSecret: secret
    scope: bot
    bots: ["\${BOT}", fixed] # in a flow list the braces must be quoted
`;
    const config = parseConfig(text, 'k.yaml', { CONN: 'kore-x', HOST: 'kore.internal', BOT: 'st-123' });
    expect(config.connections[0]).toMatchObject({ name: 'kore-x', baseUrl: 'http://kore.internal:8080/base', bots: ['st-123', 'fixed'] });
  });

  it('leaves text that only looks like a variable alone', () => {
    const text = cognigy().replace('password: plain-password', () => 'password: "$PW and {PW} and $${"');
    expect(parseConfig(text, 'c.yaml', { PW: 'x' }).connections[0]).toMatchObject({ password: '$PW and {PW} and $${' });
  });
});

describe('configuration errors name the place to look', () => {
  it('names a file that does not exist', () => {
    const path = fixture('no-such-file.yaml');
    const message = configError(() => loadConfigFile(path, {}));
    expect(message).toContain(path);
    expect(message).toContain('no such file');
  });

  it('names the line of a YAML syntax error', () => {
    const message = configError(() => loadConfigFile(fixture('bad-yaml.yaml'), {}));
    expect(message).toContain('bad-yaml.yaml');
    expect(message).toContain('line 3');
  });

  it('names the line of a JSON syntax error', () => {
    const message = configError(() => parseConfig('{\n  "connections": [\n    { "name": "x" \n  ]\n}\n', 'c.json', {}));
    expect(message).toMatch(/c\.json is not valid YAML or JSON \(line \d+\)/);
  });

  it('names the line of a key given twice', () => {
    const message = configError(() => parseConfig(cognigy('server:\n  port: 1\n  port: 2\n'), 'c.yaml', {}));
    expect(message).toContain('line 9');
  });

  it.each([
    ['an unknown connection key', cognigy().replace('password: plain-password', 'password: x\n    colour: blue'), 'connections[0].colour: unknown key'],
    ['an unknown top-level key', cognigy('colour: blue\n'), 'colour: unknown key'],
    ['an unknown server key', cognigy('server:\n  prot: 4000\n'), 'server.prot: unknown key'],
    ['a port given as a string', cognigy('server:\n  port: "4000"\n'), 'server.port: expected number, received string'],
    ['a boolean given as a string', cognigy('server:\n  graphiql: "yes"\n'), 'server.graphiql: expected boolean, received string'],
    ['a port out of range', cognigy('server:\n  port: 70000\n'), 'server.port: expected'],
    ['a missing required key', cognigy().replace('    username: finance@example.com\n', ''), 'connections[0].username: required string is missing'],
    ['no connections at all', 'connections: []\n', 'connections: expected at least one connection'],
    ['an unknown vendor', cognigy().replace('vendor: COGNIGY', 'vendor: COGNIGYY'), 'connections[0].vendor: expected one of KORE_AI, COGNIGY, EVOVOICE, TALKDESK'],
    ['a Kore.ai scope that does not exist', cognigy().replace('vendor: COGNIGY', 'vendor: KORE_AI').replace(/username: .*\n {4}password: .*/, 'clientId: a\n    clientSecret: b\n    scope: everything'), 'connections[0].scope: expected one of admin, bot, received "everything"'],
    ['a base URL that is not a URL', cognigy().replace('https://api-trial.cognigy.ai', 'api-trial.cognigy.ai'), 'connections[0].baseUrl: expected'],
    ['a base URL that is not http(s)', cognigy().replace('https://api-trial.cognigy.ai', 'ftp://api-trial.cognigy.ai'), 'connections[0].baseUrl: expected an http:// or https:// URL'],
    ['a cache URL of an unknown kind', cognigy('cache:\n  url: memcached://x\n'), 'cache.url: expected memory:// or a redis:// URL'],
    ['two connections with one name', cognigy() + cognigy().replace('connections:\n', ''), 'connections[1].name'],
    ['two clients with one name', cognigy('clients:\n  - { name: a, apiKey: "0123456789abcdef" }\n  - { name: a, apiKey: "fedcba9876543210" }\n'), 'clients[1].name'],
    ['a client naming an unknown connection', cognigy('clients:\n  - { name: a, apiKey: "0123456789abcdef", connections: [cognigy-eu, talkdesk] }\n'), 'clients[0].connections[1]'],
    ['a client with both apiKey and apiKeySha256', cognigy(`clients:\n  - { name: a, apiKey: "0123456789abcdef", apiKeySha256: ${'a'.repeat(64)} }\n`), 'clients[0]: expected exactly one of apiKey or apiKeySha256'],
    ['a client with neither apiKey nor apiKeySha256', cognigy('clients:\n  - { name: a, connections: "*" }\n'), 'clients[0]: expected exactly one of apiKey or apiKeySha256'],
    ['an API key that is too short', cognigy('clients:\n  - { name: a, apiKey: short }\n'), 'clients[0].apiKey: expected at least 16 characters'],
    ['two rates for one vendor and unit', cognigy('rates:\n  - { vendor: EVOVOICE, unit: MINUTES, price: 1, currency: USD }\n  - { vendor: EVOVOICE, unit: MINUTES, price: 2, currency: USD }\n'), 'rates[1]'],
  ])('names the path of %s', (_what, text, expected) => {
    expect(configError(() => parseConfig(text, 'c.yaml', {}))).toContain(expected);
  });

  it('says what the duplicate name is', () => {
    const message = configError(() => parseConfig(cognigy() + cognigy().replace('connections:\n', ''), 'c.yaml', {}));
    expect(message).toContain('"cognigy-eu"');
  });

  it('says which connection a client names that does not exist', () => {
    const message = configError(() => parseConfig(cognigy('clients:\n  - { name: a, apiKey: "0123456789abcdef", connections: [talkdesk] }\n'), 'c.yaml', {}));
    expect(message).toContain('"talkdesk"');
  });

  it('names a missing environment variable and where it is used', () => {
    const message = configError(() => loadConfigFile(fixture('missing-env.yaml'), {}));
    expect(message).toContain('USAGEGRAPH_TEST_UNSET_PASSWORD');
    expect(message).toContain('connections[0].password');
  });

  it.each([
    ['a missing variable', 'password: ${SECRET}-${MISSING}'],
    ['an unknown key beside it', 'password: ${SECRET}\n    colour: blue'],
    ['a base URL made from it', 'password: p\n  - { name: k, vendor: KORE_AI, baseUrl: "${SECRET}", clientId: a, clientSecret: b }\n#'],
    ['a cache URL made from it', 'password: p\ncache:\n  url: "${SECRET}"\n#'],
    ['a too-short API key made from it', 'password: p\nclients:\n  - { name: a, apiKey: "${SECRET}" }\n#'],
    ['a Kore.ai scope made from it', 'password: p\n  - { name: k, vendor: KORE_AI, baseUrl: "http://k", clientId: a, clientSecret: b, scope: "${SECRET}" }\n#'],
  ])('never shows the value of a variable in the message about %s', (_what, line) => {
    const secret = 'hunter2-s3cr3t';
    const text = cognigy().replace('password: plain-password', () => line);
    const message = configError(() => parseConfig(text, 'c.yaml', { SECRET: secret }));
    expect(message).not.toContain(secret);
  });

  it('rejects a PORT that is not a port number, naming it', () => {
    expect(configError(() => parseConfig(cognigy(), 'c.yaml', { PORT: 'eighty' }))).toContain('PORT');
    expect(configError(() => parseConfig(cognigy(), 'c.yaml', { PORT: '65536' }))).toContain('PORT');
  });
});

describe('a configuration with several mistakes', () => {
  it('lists every problem at once, unset variables included, each by its path', () => {
    const text = [
      'server:',
      '  port: "eighty"',
      'connections:',
      '  - name: cognigy-eu',
      '    vendor: COGNIGY',
      '    baseUrl: https://api-trial.cognigy.ai',
      '    username: ${COG_USER}',
      '    password: ${COG_PASSWORD}',
      '    colour: blue',
    ].join('\n');
    const message = configError(() => parseConfig(text, 'two.yaml', { COG_USER: 'finance' }));
    expect(message.split('\n')[0]).toBe('config file two.yaml has 3 problems:');
    expect(message).toContain('environment variable COG_PASSWORD is not set (used at connections[0].password)');
    expect(message).toContain('connections[0].colour: unknown key');
    expect(message).toContain('server.port: expected number, received string');
    expect(message).not.toContain('connections[0].password: expected');
  });
});

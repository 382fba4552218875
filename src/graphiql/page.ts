import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * GraphiQL served by the project itself, offline: React, ReactDOM and GraphiQL
 * come from the installed packages' browser builds, never from a CDN.
 */
// The browser builds are not in the packages' "exports", so they are found from each package's folder.
const inPackage = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);

export const GRAPHIQL_ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: inPackage('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: inPackage('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: inPackage('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: inPackage('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

const assetCache = new Map<string, Buffer>();

/** The bytes of one asset, read once. */
export function graphiqlAsset(name: string): { body: Buffer; type: string } | null {
  const asset = GRAPHIQL_ASSETS[name];
  if (!asset) return null;
  let body = assetCache.get(name);
  if (!body) {
    body = readFileSync(asset.file);
    assetCache.set(name, body);
  }
  return { body, type: asset.type };
}

/** `apiKeyHeader`: the header editor starts with an `x-api-key` to fill in (when the server asks for keys). */
export function graphiqlPage(endpoint: string, defaultQuery: string, options: { apiKeyHeader?: boolean } = {}): string {
  const headers = options.apiKeyHeader ? JSON.stringify({ 'x-api-key': '' }, null, 2) : undefined;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>usagegraph · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(defaultQuery)}${headers ? `, defaultHeaders: ${JSON.stringify(headers)}, defaultEditorToolsVisibility: 'headers', isHeadersEditorEnabled: true` : ''} }));
  </script>
</body>
</html>`;
}

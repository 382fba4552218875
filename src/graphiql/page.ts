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

/**
 * The page: a thin bar with a link to the CSV export of the report in the editor
 * (when its filter is written as literals, the simple case) above GraphiQL.
 * `apiKeyHeader`: the header editor starts with an `x-api-key` to fill in (when the server asks for keys).
 */
export function graphiqlPage(endpoint: string, defaultQuery: string, options: { apiKeyHeader?: boolean } = {}): string {
  const headers = options.apiKeyHeader ? JSON.stringify({ 'x-api-key': '' }, null, 2) : undefined;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>usagegraph · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
  <style>
    body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
    #bar { flex: none; padding: 4px 12px; font-size: 13px; background: #f4f6f8; border-bottom: 1px solid #dde1e5; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <div id="bar">usagegraph · <a id="csv" hidden download>Download this report as CSV</a><span id="nocsv">CSV export: write the usage filter as literals (from, to, groupBy) to get a download link</span></div>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script>
    ${CSV_LINK_SCRIPT}
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(defaultQuery)}, onEditQuery: showCsvLink${headers ? `, defaultHeaders: ${JSON.stringify(headers)}, defaultEditorToolsVisibility: 'headers', isHeadersEditorEnabled: true` : ''} }));
    showCsvLink(${JSON.stringify(defaultQuery)});
  </script>
</body>
</html>`;
}

/**
 * In the browser: the /export/usage.csv link for the first \`usage(...)\` of the query,
 * when from and to are string literals (variables are not followed: that is not simple).
 */
const CSV_LINK_SCRIPT = `
    function csvLinkFor(query) {
      const call = /usage\\s*\\(([\\s\\S]*?)\\)\\s*\\{/.exec(query);
      if (!call) return null;
      const args = call[1];
      const text = (name) => (new RegExp(name + '\\\\s*:\\\\s*"([^"]*)"').exec(args) || [])[1];
      const list = (name) => ((new RegExp(name + '\\\\s*:\\\\s*\\\\[([^\\\\]]*)\\\\]').exec(args) || [])[1] || '').split(/[\\s,]+/).filter(Boolean).map((v) => v.replace(/"/g, ''));
      const from = text('from');
      const to = text('to');
      if (!from || !to) return null;
      const params = new URLSearchParams({ from, to });
      for (const name of ['groupBy', 'vendors', 'connectionIds', 'types', 'units', 'channels']) if (list(name).length) params.set(name, list(name).join(','));
      if (text('timeZone')) params.set('timeZone', text('timeZone'));
      return '/export/usage.csv?' + params.toString();
    }
    function showCsvLink(query) {
      const href = csvLinkFor(query || '');
      const link = document.getElementById('csv');
      link.hidden = !href;
      document.getElementById('nocsv').hidden = !!href;
      if (href) link.href = href;
    }`;

// A plain start page until the web application arrives: the organisation, its sites and device
// counts, every user-supplied string escaped.
import type { Organisation } from '../core/model.js';
import type { SiteView } from '../store/sites.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function startPage(org: Organisation, sites: readonly SiteView[]): string {
  const devices = sites.reduce((n, s) => n + s.devices, 0);
  const rows = sites
    .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.category)}</td><td>${s.devices}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>camaudit – ${escapeHtml(org.name)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #ccc;text-align:left}</style>
</head>
<body>
<main>
<h1>camaudit – ${escapeHtml(org.name)}</h1>
<p>${devices} devices at ${sites.length} sites. API: <a href="/api/v1/devices">/api/v1/devices</a>, <a href="/api/v1/sites">/api/v1/sites</a>, <a href="/api/v1/health">/api/v1/health</a>.</p>
<table><caption>Sites</caption><thead><tr><th scope="col">Site</th><th scope="col">Category</th><th scope="col">Devices</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</main>
</body>
</html>
`;
}

// The page at / until the web application is built into the server: what this is and where the
// API is. It shows no register data, because it is served to callers who have not signed in.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function startPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>camaudit</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}</style>
</head>
<body>
<main>
<h1>camaudit ${escapeHtml(version)}</h1>
<p>Register, identification, risk assessment and phase-out plan of network cameras and recorders.</p>
<p>API description: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Sign in with <code>POST /api/v1/auth/login</code> or use an API token (<code>camaudit tokens create</code>).</p>
</main>
</body>
</html>
`;
}

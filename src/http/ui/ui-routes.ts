import { type AppRoute, isStartRoute } from '../app-routes.js';
import { empty } from '../respond.js';
import { UI_ASSETS } from './assets.generated.js';
import type { UiAsset } from './ui-asset.js';

/** `ui` option of createLongrun: the dashboard and the widget under `R/ui/`. */
export type UiOption = boolean;

/** No inline script or style, nothing from another origin. */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const byName = new Map<string, { asset: UiAsset; immutable: boolean }>();
for (const asset of UI_ASSETS) {
  byName.set(asset.name, { asset, immutable: false });
  byName.set(asset.hashedName, { asset, immutable: true });
}

function asset(name: string): UiAsset {
  const found = byName.get(name)?.asset;
  if (!found) throw new Error(`UI asset ${name} is missing: run scripts/build-ui.mjs.`);
  return found;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Serves `R/ui/...`: hashed assets (immutable), the widget at a stable URL, and the dashboard page. */
export function createUiRoutes(
  basePath: string,
  appRoutes: readonly AppRoute[],
  auth: boolean,
): (request: Request, path: string) => Response | undefined {
  const starts = appRoutes
    .filter(isStartRoute)
    .filter((route) => !route.path.includes(':'))
    .map((route) => ({ method: route.method, path: route.path, kind: route.operation.kind }));
  const ui = `${basePath}/ui`;
  const script = `${ui}/${asset('dashboard.js').hashedName}`;
  const style = `${ui}/${asset('dashboard.css').hashedName}`;
  const widget = `${ui}/${asset('longrun-progress.js').hashedName}`;
  // `<` escaped so no string in it can close the data block.
  const config = JSON.stringify({ root: basePath, auth, starts, widget }).replace(/</g, '\\u003c');
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>longrun dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(style)}">
<script type="application/json" id="longrun-config">${config}</script>
<script type="module" src="${escapeHtml(script)}"></script>
</head>
<body>
<main id="main"></main>
</body>
</html>
`;
  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-security-policy': UI_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };

  return (request, path) => {
    if (path !== '/ui' && !path.startsWith('/ui/')) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    if (path === '/ui') return empty(308, { location: `${ui}/` });
    const name = path.slice('/ui/'.length);
    const found = byName.get(name);
    if (found) {
      const etag = `"${found.asset.hash}"`;
      const headers: Record<string, string> = {
        'content-type': found.asset.type,
        'cache-control': found.immutable
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=0, must-revalidate',
        etag,
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'cross-origin',
      };
      if (request.headers.get('if-none-match') === etag) return empty(304, headers);
      return new Response(found.asset.body, { status: 200, headers });
    }
    if (name === '' || name === 'stats' || /^operations\/[^/]+\/?$/.test(name)) {
      return new Response(page, { status: 200, headers: pageHeaders });
    }
    return undefined;
  };
}

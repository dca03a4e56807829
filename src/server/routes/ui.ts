// What the web application needs before anyone signs in: the version, whether single sign-on is
// offered, and the map's background tiles. Nothing here is about an organisation.
import { z } from 'zod';
import { API_VERSION } from '../api-version.js';
import { route, type RouteSpec } from '../route.js';

export function uiRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/ui', summary: 'Settings of the web application: version, single sign-on, map tiles', tags: ['server'], auth: 'public',
      response: z.object({
        version: z.string(),
        oidc: z.boolean(),
        map: z.object({ tileUrl: z.string().nullable(), attribution: z.string() }),
      }),
      handler: async ({ ctx }) => ({
        version: API_VERSION,
        oidc: ctx.config.oidc !== undefined,
        map: { tileUrl: ctx.config.web.tileUrl, attribution: ctx.config.web.tileAttribution },
      }),
    }),
  ];
}

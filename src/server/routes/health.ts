import { z } from 'zod';
import { API_VERSION } from '../api-version.js';
import { route, type RouteSpec } from '../route.js';

export function healthRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/health', summary: 'Whether the server and its database answer', tags: ['server'], auth: 'public',
      response: z.object({ status: z.literal('ok'), version: z.string(), engine: z.enum(['sqlite', 'postgres']) }),
      handler: async ({ ctx }) => {
        await ctx.store.db.selectFrom('organisations').select('id').limit(1).execute();
        return { status: 'ok', version: API_VERSION, engine: ctx.store.engine.name };
      },
    }),
  ];
}

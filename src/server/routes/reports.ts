// The council report of the organisation in the path, answered as the file itself: the same
// report `camaudit report council` writes, from the register and the latest assessment.
import { z } from 'zod';
import { COUNCIL_FORMATS, councilReport, renderCouncil } from '../../report/council-file.js';
import { route, type RouteSpec } from '../route.js';

const CouncilQuery = z.strictObject({
  lang: z.enum(['nl', 'en']).default('nl'),
  format: z.enum(['md', 'html', 'docx', 'pdf']).default('html'),
  public: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export function reportRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/organisations/:org/reports/council', tags: ['reports'], auth: { org: 'read' }, query: CouncilQuery, raw: true,
      summary: 'The council report (inventory, exposure, risk and options, procurement measures, device appendix) as Markdown, HTML, DOCX or PDF; public=true for the public edition',
      handler: async ({ ctx, scope, org, query: q, reply }) => {
        const report = await councilReport(ctx.store, scope, org, await ctx.knowledge(), { lang: q.lang, publicEdition: q.public, now: ctx.now() });
        const bytes = await renderCouncil(report, q.format);
        const { type, extension } = COUNCIL_FORMATS[q.format];
        reply.header('content-disposition', `attachment; filename="council-report-${org.slug}-${q.lang}${q.public ? '-public' : ''}.${extension}"`);
        return reply.type(type).send(bytes);
      },
    }),
  ];
}

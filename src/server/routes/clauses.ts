// The clause library for anyone signed in (it holds no organisation's data): tender clauses with
// their legal basis, as JSON for the UI, Markdown or a Word document for the organisation's lawyers.
import { z } from 'zod';
import { CLAUSE_LANGS } from '../../core/clauses/schema.js';
import { CLAUSE_FORMATS, loadClauseLibrary, renderClauses } from '../../report/clauses-file.js';
import { route, type RouteSpec } from '../route.js';

const ClausesQuery = z.strictObject({
  lang: z.enum(CLAUSE_LANGS).default('en'),
  format: z.enum(['json', 'md', 'docx']).default('json'),
});

export function clauseRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/clauses', summary: 'Tender clauses with their legal basis, sources and caveats (JSON, Markdown or DOCX)', tags: ['knowledge base'],
      auth: 'signed-in', query: ClausesQuery, raw: true,
      handler: async ({ ctx, query: q, reply }) => {
        const bytes = await renderClauses(await loadClauseLibrary(), await ctx.knowledge(), q.lang, q.format);
        const { type, extension } = CLAUSE_FORMATS[q.format];
        if (q.format !== 'json') reply.header('content-disposition', `attachment; filename="camaudit-clauses-${q.lang}.${extension}"`);
        return reply.type(type).send(bytes);
      },
    }),
  ];
}

// The audit trail over the API, for auditors and administrators: the entries newest first, the
// verdict on the chain, and the whole chain as CSV or JSON for safekeeping elsewhere.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { listAudit, verifyAudit } from '../../store/audit.js';
import { writeAuditExport } from '../../report/audit-export.js';
import { route, type RouteSpec } from '../route.js';
import { ORG } from './register-query.js';

const BASE = `${ORG}/audit`;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export function auditRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${BASE}/entries`, summary: 'Audit entries of the organisation, newest first; optionally about one entity', tags: ['audit'],
      auth: { org: 'audit' },
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().regex(/^\d{1,15}$/).optional(),
        entity: z.string().min(1).max(64).optional(),
      }),
      handler: async ({ ctx, scope, query: q }) =>
        listAudit(ctx.store, { orgId: scope.orgId }, { limit: q.limit, cursor: q.cursor ?? null, ...(q.entity ? { entityId: q.entity } : {}) }),
    }),
    route({
      method: 'GET', url: `${BASE}/verification`, summary: 'Verify the organisation\'s hash chain: every edited, missing or moved entry', tags: ['audit'],
      auth: { org: 'audit' },
      handler: async ({ ctx, scope }) => {
        const report = await verifyAudit(ctx.store, scope.orgId);
        return { intact: report.problems.length === 0, entries: report.entries, head: report.head, problems: report.problems };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/export`, summary: 'The whole chain (or a date range) as CSV or JSON, with the head for verification elsewhere', tags: ['audit'],
      auth: { org: 'audit' }, raw: true,
      query: z.strictObject({ format: z.enum(['csv', 'json']), from: Day.optional(), to: Day.optional() }),
      handler: async ({ ctx, org, scope, query: q, reply }) => {
        const body = new PassThrough();
        const name = `audit-${org.slug}-${ctx.now().slice(0, 10)}.${q.format}`;
        void reply.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`).send(body);
        const eol = q.format === 'csv' ? '\r\n' : '\n';
        try {
          await writeAuditExport(ctx.store, org, scope.orgId, { format: q.format, from: q.from, to: q.to, now: ctx.now(), bom: q.format === 'csv' },
            async (text) => {
              // A client that went away ends the export instead of leaving it waiting to write.
              if (body.destroyed) throw new Error('the client closed the connection');
              if (!body.write(text + eol)) await new Promise((r) => { body.once('drain', r); body.once('close', r); });
            });
          body.end();
        } catch (err) {
          body.destroy(err as Error);
        }
      },
    }),
  ];
}

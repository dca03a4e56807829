// Tender screening of a supplier's equipment list: the file is the request body (CSV or XLSX, no
// multipart), the answer is the screening at once — a bid list is short, so no job is needed.
// `format=docx` answers the Word report instead of JSON. Screening reads the organisation's
// policy and the KB and writes nothing, so reading rights suffice.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { compactScreening } from '../../core/screen/json.js';
import { screenBid } from '../../core/screen/screen.js';
import { readBidList } from '../../ingest/bid-list.js';
import { loadPolicy } from '../../ingest/policy.js';
import { identifyKnowledge } from '../../kb/knowledge.js';
import { screeningDocx } from '../../report/screening-docx.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import { withTempDir } from '../jobs/handlers/temp-dir.js';
import { UPLOAD_LIMIT } from '../limits.js';
import { route, type RouteSpec } from '../route.js';
import { FileName } from './imports.js';
import { ORG } from './register-query.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const ScreeningQuery = z.strictObject({
  // Becomes a file name on disk and in the report.
  fileName: FileName,
  format: z.enum(['json', 'docx']).default('json'),
  lang: z.enum(['nl', 'en']).default('nl'),
  sheet: z.string().max(200).optional(),
});

export function screeningRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: `${ORG}/screenings`, tags: ['procurement'],
      summary: 'Screen a supplier\'s equipment list (the request body, CSV or XLSX) for restricted makers, known exploited vulnerabilities and missing information; format=docx answers the Word report',
      auth: { org: 'read' }, query: ScreeningQuery, bodyLimit: UPLOAD_LIMIT,
      handler: async ({ ctx, scope, query: q, raw, reply }) => {
        const body = raw.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new CamauditError('invalid_input', 'send the equipment list (CSV or XLSX) as the request body, with Content-Type text/csv, application/octet-stream or the XLSX media type');
        }
        const [kb, policy] = await Promise.all([ctx.knowledge(), getOrganisationPolicy(ctx.store, scope).then((stored) => loadPolicy(undefined, stored))]);
        const bid = await withTempDir(async (dir) => {
          const file = join(dir, q.fileName);
          await writeFile(file, body);
          return readBidList(file, { maxBytes: UPLOAD_LIMIT, ...(q.sheet !== undefined ? { sheet: q.sheet } : {}) });
        });
        const screening = screenBid(bid.lines, { kb, knowledge: identifyKnowledge(kb), policy, now: ctx.now() });
        if (q.format === 'json') return { fileName: q.fileName, notes: bid.notes, ...compactScreening(screening) };
        const docx = await screeningDocx(screening, q.fileName, q.lang);
        // The file name passed the pattern above: safe in the header as it is.
        return reply.type(DOCX_TYPE).header('content-disposition', `attachment; filename="screening-${q.fileName}.docx"`).send(docx);
      },
    }),
  ];
}

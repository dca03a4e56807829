// The audit trail as CSV (for a spreadsheet; formula-neutralised) or JSON (with the chain's head,
// so the file can be verified without the database). Written line by line to any sink: a file,
// standard output, or an HTTP answer.
import { csvCell } from './device-export.js';
import type { Organisation } from '../core/model.js';
import { chainOf, exportAudit, readHead, type AuditRecord } from '../store/audit.js';
import type { Store } from '../store/database.js';

const CSV_HEADERS = ['chain', 'seq', 'at', 'actor', 'source', 'action', 'entity_type', 'entity_id', 'before', 'after', 'prev_hash', 'hash'];

function csvLine(e: AuditRecord): string {
  return [e.chain, e.seq, e.at, e.actor, e.source, e.action, e.entityType, e.entityId,
    e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after), e.prevHash, e.hash].map(csvCell).join(',');
}

function jsonEntry(e: AuditRecord): string {
  const { chain: _c, ...rest } = e;
  return JSON.stringify(rest);
}

/** The day after, as YYYY-MM-DD: `to` includes its whole day (UTC). */
function nextDay(value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface AuditExportOptions {
  format: 'csv' | 'json';
  /** Days YYYY-MM-DD, both included. */
  from?: string | undefined;
  to?: string | undefined;
  now: string;
  /** Start a CSV with a byte-order mark, so spreadsheet programs read it as UTF-8. */
  bom: boolean;
}

/** Writes the chain of `orgId` (null: the server's); returns the number of entries written. */
export async function writeAuditExport(
  store: Store, org: Organisation, orgId: string | null, o: AuditExportOptions, line: (text: string) => Promise<void>,
): Promise<number> {
  // The head first, and no entry past it: entries appended meanwhile do not make the export
  // look tampered with. Without a head (deleted), everything there is.
  const head = await readHead(store.db, orgId);
  const last = head?.entries ?? Number.POSITIVE_INFINITY;
  let n = 0;
  if (o.format === 'csv') await line((o.bom ? '\uFEFF' : '') + CSV_HEADERS.join(','));
  else {
    await line(`{"format":"camaudit-audit/1","chain":${JSON.stringify(chainOf(orgId))},"organisation":${JSON.stringify(orgId === null ? null : org.slug)},`
      + `"exportedAt":${JSON.stringify(o.now)},"from":${JSON.stringify(o.from ?? null)},"to":${JSON.stringify(o.to ?? null)},"head":${JSON.stringify(head)},"entries":[`);
  }
  let pending: string | null = null;
  const range = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { until: nextDay(o.to) } : {}) };
  for await (const e of exportAudit(store, { orgId }, range)) {
    if (e.seq > last) break;
    n++;
    if (o.format === 'csv') await line(csvLine(e));
    else {
      if (pending !== null) await line(`${pending},`);
      pending = jsonEntry(e);
    }
  }
  if (o.format === 'json') {
    if (pending !== null) await line(pending);
    await line(']}');
  }
  return n;
}

// The discovery pages' reading of what people type and what the server reports, kept apart from
// React so it can be tested on its own. No imports: pure functions only.

/** Targets, exclusions and scopes as people type them: one per line, or separated by commas or spaces. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((part) => part.trim()).filter((part) => part !== '');
}

/** Ports typed as a list; the first thing that is not a port number is reported, not dropped. */
export function parsePorts(text: string): { ports: number[] } | { invalid: string } {
  const ports: number[] = [];
  for (const part of splitList(text)) {
    const port = /^\d{1,5}$/.test(part) ? Number(part) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { invalid: part };
    if (!ports.includes(port)) ports.push(port);
  }
  return { ports };
}

/** A whole number field left empty means "the server's default"; anything else must be a whole number in range. */
export function parseWhole(text: string, min: number, max: number): { value: number | undefined } | { invalid: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  if (!/^\d+$/.test(trimmed)) return { invalid: trimmed };
  const value = Number(trimmed);
  return value < min || value > max ? { invalid: trimmed } : { value };
}

/** What a scan job reports while it runs (see the scan job handler). */
export interface ScanProgress {
  runId: string | null;
  done: number;
  total: number;
  found: number;
  rate: number;
  etaSeconds: number | null;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The scan figures in a job's progress or result; null before the scan reported anything. */
export function scanProgressOf(value: unknown): ScanProgress | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const done = num(v.done);
  const total = num(v.total);
  if (done === null || total === null) return null;
  return {
    runId: typeof v.runId === 'string' ? v.runId : null,
    done, total, found: num(v.found) ?? 0, rate: num(v.rate) ?? 0, etaSeconds: num(v.etaSeconds),
  };
}

/** Whole percent done, 0 when nothing is known yet, never above 100. */
export function percentDone(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

/** Seconds as m:ss or h:mm:ss, the way a countdown is read in both languages. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export const FINAL_JOB_STATUSES: readonly string[] = ['succeeded', 'failed', 'cancelled'];

export function isFinalStatus(status: string): boolean {
  return FINAL_JOB_STATUSES.includes(status);
}

/** A value a diff reports before or after: lists joined, nothing as a dash. */
export function diffValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Hosts a run found: live runs count `found`, imported runs `hosts`. */
export function hostsOf(stats: Record<string, unknown>): number | null {
  return num(stats.found) ?? num(stats.hosts);
}

/** Addresses a run looked at, when it says. */
export function addressesOf(stats: Record<string, unknown>): number | null {
  return num(stats.total);
}

/** The strings of a run parameter that holds a list (targets, exclusions, ports). */
export function listParam(params: Record<string, unknown>, key: string): string[] {
  const value = params[key];
  return Array.isArray(value) ? value.map(String) : [];
}

/** A file's name as the bundle upload accepts it (letters, digits, spaces, dots, dashes, underscores). */
export function bundleFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w. -]/g, '_').slice(0, 200);
  return clean.trim() === '' ? 'upload.bundle' : clean;
}

/** A maker's name from the knowledge base's list, its id when the list does not have it. */
export function makerName(names: ReadonlyMap<string, string>, id: string | null): string {
  if (id === null || id === '') return '—';
  return names.get(id) ?? id;
}

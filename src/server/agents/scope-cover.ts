// Whether a job stays inside what an agent may scan. Asked twice with the same function: by the
// server against the scopes an administrator assigned to the agent, and by the agent against its
// own local scope file, so that a compromised server still cannot point an agent elsewhere.
import { parseRange, type Range } from '../../discover/scope.js';

/** Ranges merged where they overlap or touch, so a target spanning two adjacent scopes is inside. */
function union(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of [...ranges].sort((a, b) => a.first - b.first)) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) out[out.length - 1] = { ...last, last: Math.max(last.last, r.last) };
    else out.push(r);
  }
  return out;
}

/**
 * The first target (as written) that is not wholly inside the allowed ranges, or null when all
 * are. Targets and allowed entries are CIDRs, addresses or ranges; a malformed one throws `usage`.
 */
export function firstOutside(targets: readonly string[], allowed: readonly string[]): string | null {
  const inside = union(allowed.map(parseRange));
  for (const text of targets) {
    const t = parseRange(text);
    if (!inside.some((r) => r.first <= t.first && t.last <= r.last)) return text;
  }
  return null;
}

// The screening as JSON: every KB source once per screening, referenced by id from the lines.
// A long list cites the same few records on every line; repeating them made the answer grow
// with lines × sources instead of lines.
import type { SourceRef } from '../assess/types.js';
import type { Screening } from './types.js';

export interface CompactScreening extends Omit<Screening, 'lines'> {
  sources: Record<string, SourceRef>;
  lines: unknown[];
}

export function compactScreening(screening: Screening): CompactScreening {
  const ids = new Map<string, string>();
  const sources: Record<string, SourceRef> = {};
  const idOf = (s: SourceRef): string => {
    const key = JSON.stringify(s);
    let id = ids.get(key);
    if (id === undefined) {
      id = `s${ids.size + 1}`;
      ids.set(key, id);
      sources[id] = s;
    }
    return id;
  };
  const lines = screening.lines.map((l) => ({
    ...l,
    maker: l.maker === null ? null : { ...l.maker, evidence: l.maker.evidence.map((e) => ({ ...e, sources: e.sources.map(idOf) })) },
    reasons: l.reasons.map((r) => ({ ...r, sources: r.sources.map(idOf) })),
  }));
  return { ...screening, sources, lines };
}

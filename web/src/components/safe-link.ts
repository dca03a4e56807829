// Addresses that come from data (knowledge-base sources, clause libraries, screenings) become links
// only when they are web addresses: a javascript:, data: or file: address in a source would
// otherwise run or open something from a click on what looks like a citation.

/** The address as a link target when it is an absolute http: or https: URL; undefined otherwise (show it as text). */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (!parsed.hostname) return undefined;
  return parsed.href;
}

// What the overview page computes besides drawing: the address of the device list behind a
// figure, and the share a figure is of a whole. No imports: unit-tested on its own.

/** A device-list query as the overview API gives it with each figure. */
export type DeviceQuery = Readonly<Record<string, string>>;

/**
 * The register page listing exactly the devices behind a figure. Keys are sorted so one figure
 * always has one address; values are encoded as a query string encodes them.
 */
export function devicesHref(org: string, filter: DeviceQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(filter).sort()) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const query = params.toString();
  return `/o/${encodeURIComponent(org)}/devices${query ? `?${query}` : ''}`;
}

/** A whole-number percentage of `part` in `whole`; 0 when there is no whole. */
export function percentage(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((part / whole) * 100);
}

export interface SourceLike {
  url: string | null;
  title: string;
  ref?: string | null;
}

/** Sources once each, by where they point, in the order first given. */
export function distinctSources<S extends SourceLike>(sources: readonly S[]): S[] {
  const seen = new Set<string>();
  const out: S[] = [];
  for (const s of sources) {
    const key = s.url ?? s.ref ?? s.title;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

// The only way the web application talks to the server: /api/v1, with the session cookie, the
// CSRF token on every unsafe request, and problem+json answers turned into ApiError.
import { useCallback, useEffect, useState } from 'react';

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string | undefined) {
    super(detail ?? title);
  }
}

let csrfToken: string | null = null;

/** Set from the session; sent as x-csrf-token with every unsafe request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API path of something in an organisation. */
export function orgPath(org: string, rest: string): string {
  return `/api/v1/organisations/${encodeURIComponent(org)}${rest}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  /** JSON unless a Blob/File or string with contentType. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (options.body instanceof Blob || typeof options.body === 'string') {
      body = options.body;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path + queryString(options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  if (!response.ok) {
    let title = response.statusText;
    let detail: string | undefined;
    try {
      const problem = (await response.json()) as { title?: string; detail?: string };
      title = problem.title ?? title;
      detail = problem.detail;
    } catch {
      // not problem+json: the status says enough
    }
    throw new ApiError(response.status, title, detail);
  }
  return response;
}

/** A JSON request; 204 answers give undefined. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A request whose answer is a file (exports, reports): its bytes and the name the server gave. */
export async function apiFile(path: string, options: RequestOptions = {}): Promise<{ blob: Blob; fileName: string | null }> {
  const response = await send(path, options);
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(disposition);
  return { blob: await response.blob(), fileName: match?.[1] ?? null };
}

/** Offers a blob to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A list page as every list route answers it. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GET `path` (null: nothing yet) whenever path or query change; stale answers are dropped, and an
 * answer is only returned for the request it belongs to, so a page never shows the previous
 * address's data (another organisation's, say) while the new one loads.
 */
export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const key = path === null ? null : path + queryString(query);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error; loading: boolean }>({ key: null, loading: key !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    fetchJson<T>(key, controller.signal).then(
      (data) => setState({ key, data, loading: false }),
      (error: Error) => {
        if (!controller.signal.aborted) setState({ key, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: !current || state.loading, reload };
}

function fetchJson<T>(pathWithQuery: string, signal: AbortSignal): Promise<T> {
  return api<T>(pathWithQuery, { signal });
}

// Where an aggregate goes: a coordinating organisation in the same database, another camaudit
// server's API, or a file handed over by other means.
import { CamauditError } from '../core/errors.js';

export type Target =
  | { kind: 'local'; coordinator: string }
  | { kind: 'https'; url: URL }
  | { kind: 'file'; path: string };

const ENDPOINT = /^\/api\/v1\/organisations\/[a-z0-9][a-z0-9-]{0,62}\/federation\/aggregates$/;

/** Plain http is allowed to this machine only, where nothing travels over a network. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function parseTarget(to: string): Target {
  if (to.startsWith('local:')) {
    const coordinator = to.slice('local:'.length);
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(coordinator)) throw new CamauditError('usage', `"${to}": local: takes the coordinating organisation's slug, as in local:landelijk`);
    return { kind: 'local', coordinator };
  }
  if (to.startsWith('file:')) {
    const path = to.slice('file:'.length);
    if (path === '') throw new CamauditError('usage', `"${to}": file: takes a path, as in file:aggregate.json`);
    return { kind: 'file', path };
  }
  if (/^https?:\/\//i.test(to)) {
    let url: URL;
    try {
      url = new URL(to);
    } catch {
      throw new CamauditError('usage', `"${to}" is not a URL`);
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new CamauditError('usage', `"${to}": aggregates travel over https; plain http is allowed only to this machine (localhost, 127.0.0.1), for testing`);
    }
    if (url.username || url.password) throw new CamauditError('usage', `"${url.origin}…": give the token with --token, not in the URL`);
    if (!ENDPOINT.test(url.pathname) || url.search || url.hash) {
      throw new CamauditError('usage', `"${to}": expected the coordinator's endpoint, as in https://coordinator.example.nl/api/v1/organisations/landelijk/federation/aggregates`);
    }
    return { kind: 'https', url };
  }
  throw new CamauditError('usage', `"${to}": publish to local:SLUG (a coordinating organisation in this database), https://… (another camaudit server) or file:PATH`);
}

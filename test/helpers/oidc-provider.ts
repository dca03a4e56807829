// A real OpenID Connect provider (oidc-provider) on 127.0.0.1, shaped like Entra ID where the
// server depends on it: e-mail, name and a `groups` claim in the ID token, a confidential client.
// PKCE is required, so a client that skipped it would fail here. Plus a browser that keeps
// cookies per host and follows redirects by hand, filling in the provider's sign-in and consent
// pages the way a person would.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider, type ProviderContext } from 'oidc-provider';

export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** People at the provider by subject; change their groups between sign-ins. */
  accounts: Map<string, IdpAccount>;
  /** While true, every ID token leaves the token endpoint with a changed claim and its old signature. */
  tamperIdTokens: boolean;
  close(): Promise<void>;
}

const TAMPERED_GROUPS = ['grp-alpha-admins'];

function tamper(idToken: string): string {
  const [header, payload, signature] = idToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.groups = TAMPERED_GROUPS;
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const idp: TestIdp = {
    issuer, clientId: 'camaudit', clientSecret: 'client-secret-of-the-test-provider', accounts: new Map(), tamperIdTokens: false,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: idp.clientId, client_secret: idp.clientSecret, redirect_uris: [redirectUri],
      response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['cookie-key-of-the-test-provider'] },
    // Like Entra ID: the groups come with every ID token, and claims go in the ID token itself.
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = idp.accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
  });
  provider.use(async (ctx: ProviderContext, next) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (idp.tamperIdTokens && ctx.path === '/token' && typeof body?.id_token === 'string') body.id_token = tamper(body.id_token);
  });
  server.on('request', provider.callback());
  return idp;
}

/** Cookies per host (with port), sent back on every request there; redirects are left to the caller. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = this.jar.get(target.host);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.keep(target.host, line);
    return res;
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  private keep(host: string, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expires = attributes.map((a) => a.trim()).find((a) => /^expires=/i.test(a));
    const gone = value === '' || /max-age=0/i.test(line) || (expires !== undefined && Date.parse(expires.slice(8)) < Date.now());
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    if (gone) cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(host, cookies);
  }
}

export interface AuthoriseOptions {
  /** Who signs in at the provider's login page (when the provider asks). */
  account: string;
  /** Cancel at the provider's login page instead of signing in. */
  abort?: boolean;
}

/**
 * Follows the redirects from `start` (the server's login route) through the provider, filling in
 * its login and consent pages, until the provider sends the browser to `callback`; answers that
 * URL without visiting it, so a test decides how the callback is delivered.
 */
export async function authorise(browser: Browser, start: string, callback: string, options: AuthoriseOptions): Promise<URL> {
  let next: { url: URL; init?: RequestInit } = { url: new URL(start) };
  for (let hop = 0; hop < 20; hop++) {
    if (next.url.href.startsWith(callback)) return next.url;
    const res = await browser.fetch(next.url, next.init);
    const location = res.headers.get('location');
    if (location) {
      await res.body?.cancel();
      next = { url: new URL(location, next.url) };
      continue;
    }
    const page = await res.text();
    if (res.status !== 200) throw new Error(`${next.url.href} answered ${res.status}: ${page.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!action || !prompt) throw new Error(`${next.url.href}: no sign-in form on the page`);
    if (options.abort) {
      next = { url: new URL(`${new URL(action, next.url).pathname}/abort`, next.url) };
      continue;
    }
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', options.account);
      form.set('password', 'typed at the provider');
    }
    next = { url: new URL(action, next.url), init: { method: 'POST', body: form } };
  }
  throw new Error(`no callback to ${callback} after 20 redirects`);
}

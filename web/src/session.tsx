// Who is signed in, in which organisations with which role, and the organisation being looked at
// (from the address: /o/:org/...). Permissions mirror the server's roles so the interface only
// offers what the server would allow; the server still decides every request.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, setCsrfToken } from './api';

export type Role = 'admin' | 'editor' | 'viewer' | 'auditor' | 'coordinator' | 'publisher';
export type Permission = 'read' | 'write' | 'admin' | 'audit' | 'coordinate' | 'publish';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'admin', 'audit'],
  editor: ['read', 'write'],
  viewer: ['read'],
  auditor: ['read', 'audit'],
  coordinator: ['coordinate'],
  publisher: ['publish'],
};

export interface Membership {
  slug: string;
  name: string;
  role: Role;
  /** The organisation's interface theme; absent means the default. */
  theme?: string;
}

export interface SessionInfo {
  user: { email: string; displayName: string };
  organisations: Membership[];
  csrfToken: string | null;
}

export interface UiSettings {
  version: string;
  oidc: boolean;
  map: { tileUrl: string | null; attribution: string };
}

interface SessionState {
  /** undefined while loading; null when nobody is signed in. */
  session: SessionInfo | null | undefined;
  ui: UiSettings | undefined;
  /** The server could not say who is signed in (it is down, or answered an error). */
  error: Error | undefined;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState>({ session: undefined, ui: undefined, error: undefined, refresh: async () => undefined, signOut: async () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [ui, setUi] = useState<UiSettings | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const info = await api<SessionInfo>('/api/v1/auth/session');
      setCsrfToken(info.csrfToken);
      setSession(info);
      setError(undefined);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setCsrfToken(null);
        setSession(null);
        setError(undefined);
      } else setError(err instanceof Error ? err : new Error(String(err)));
    }
  }, []);
  const signOut = useCallback(async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    setCsrfToken(null);
    setSession(null);
  }, []);
  useEffect(() => {
    void refresh();
    void api<UiSettings>('/api/v1/ui').then(setUi, () => setUi({ version: '', oidc: false, map: { tileUrl: null, attribution: '' } }));
  }, [refresh]);
  const value = useMemo(() => ({ session, ui, error, refresh, signOut }), [session, ui, error, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

export interface CurrentOrganisation extends Membership {
  can(permission: Permission): boolean;
}

/** The organisation in the address, as the signed-in person holds it; undefined when they do not. */
export function useOrganisation(): CurrentOrganisation | undefined {
  const { org } = useParams();
  const { session } = useSession();
  const membership = session?.organisations.find((o) => o.slug === org);
  return useMemo(() => (membership ? { ...membership, can: (p: Permission) => GRANTS[membership.role].includes(p) } : undefined), [membership]);
}

/** Like useOrganisation, for pages that only render inside an organisation the person holds. */
export function useOrg(): CurrentOrganisation {
  const org = useOrganisation();
  if (!org) throw new Error('useOrg outside an organisation route');
  return org;
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

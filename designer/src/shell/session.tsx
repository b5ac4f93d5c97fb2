import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { api, getToken, onSessionEvent, setToken } from './api';

export interface Permission {
  resource: string;
  actions: string[];
}

/** What GET /api/auth/me answers. */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  orgCode: string | null;
  orgName: string | null;
  countyCode: string | null;
  roles: string[];
  roleNames?: string[];
  permissions: Permission[];
  rowScope: 'all' | 'county' | 'institution';
  clearance: number;
  mustChangePassword: boolean;
}

export type Notice = 'expired' | 'passwordChanged' | 'loggedOut' | null;

interface Session {
  user: CurrentUser | null;
  /** Set while the first /me is in flight. */
  restoring: boolean;
  notice: Notice;
  signedIn(token: string, user: CurrentUser): void;
  signOut(notice?: Notice): Promise<void>;
  /** Whether this user is coming back after their session ended (so they may stay on the page they were on). */
  returning(username: string): boolean;
  can(resource: string, action: string): boolean;
}

const SessionContext = createContext<Session | null>(null);

/** The server's rule: a resource pattern may end in `*`, actions may be `*`. */
export function permits(permissions: Permission[], resource: string, action: string): boolean {
  return permissions.some(p => {
    const match = p.resource === '*' || (p.resource.endsWith('*') ? resource.startsWith(p.resource.slice(0, -1)) : p.resource === resource);
    return match && (p.actions.includes('*') || p.actions.includes(action));
  });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [restoring, setRestoring] = useState(() => getToken() !== null);
  const [notice, setNotice] = useState<Notice>(null);
  const lastUser = useRef<string | null>(null);

  useEffect(() => {
    if (!getToken()) return;
    api
      .get<CurrentUser>('/api/auth/me')
      .then(setUser)
      .catch(() => setToken(null))
      .finally(() => setRestoring(false));
  }, []);

  useEffect(
    () =>
      onSessionEvent(event => {
        if (event === 'expired') {
          setUser(u => {
            lastUser.current = u?.username ?? lastUser.current;
            return null;
          });
          setNotice('expired');
        } else if (event === 'password-change') {
          setUser(u => (u ? { ...u, mustChangePassword: true } : u));
        }
      }),
    [],
  );

  const signedIn = useCallback((token: string, next: CurrentUser) => {
    setToken(token);
    setNotice(null);
    setUser(next);
  }, []);

  const signOut = useCallback(async (next: Notice = 'loggedOut') => {
    if (getToken()) await api.post('/api/auth/logout').catch(() => undefined);
    setToken(null);
    setUser(null);
    lastUser.current = null;
    setNotice(next);
  }, []);

  const returning = useCallback((username: string) => lastUser.current === username, []);

  const value = useMemo<Session>(
    () => ({ user, restoring, notice, signedIn, signOut, returning, can: (r, a) => !!user && permits(user.permissions ?? [], r, a) }),
    [user, restoring, notice, signedIn, signOut, returning],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

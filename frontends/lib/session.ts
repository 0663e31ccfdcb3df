import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from './http-client.js';
import { ApiError } from './problem.js';

export type User = components['schemas']['User'];
export type AuthSession = components['schemas']['AuthSession'];
export type AuthSurface = 'client' | 'admin';

/**
 * The signed-in state of one authenticated surface. Keeps the user and hands the CSRF token from
 * login/me to the HTTP client, so every later unsafe request carries it.
 */
export interface SessionStore {
  readonly user: User | null;
  /** Asks the server who we are (cookie session); null when signed out. */
  restore(): Promise<User | null>;
  login(email: string, password: string): Promise<User>;
  logout(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  subscribe(listener: (user: User | null) => void): () => void;
}

export function createSession(http: HttpClient, surface: AuthSurface): SessionStore {
  let user: User | null = null;
  const listeners = new Set<(user: User | null) => void>();
  const set = (session: AuthSession | null): void => {
    user = session?.user ?? null;
    http.setCsrfToken(session?.csrfToken ?? null);
    for (const ener of listeners) ener(user);
  };
  const { api } = http;
  return {
    get user() {
      return user;
    },
    async restore() {
      try {
        const text =
          surface === 'client'
            ? await call(api.GET('/api/v1/client/auth/me'))
            : await call(api.GET('/api/v1/admin/auth/me'));
        set(text);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) set(null);
        else throw err;
      }
      return user;
    },
    async login(email, password) {
      const body = { email, password };
      const text =
        surface === 'client'
          ? await call(api.POST('/api/v1/client/auth/login', { body }))
          : await call(api.POST('/api/v1/admin/auth/login', { body }));
      set(text);
      return text.user;
    },
    async logout() {
      try {
        if (surface === 'client') await call(api.POST('/api/v1/client/auth/logout'));
        else await call(api.POST('/api/v1/admin/auth/logout'));
      } catch (err) {
        // Already signed out on the server: the local state is what matters now.
        if (!(err instanceof ApiError && err.status === 401)) throw err;
      } finally {
        set(null);
      }
    },
    async changePassword(currentPassword, newPassword) {
      const body = { currentPassword, newPassword };
      if (surface === 'client') await call(api.POST('/api/v1/client/auth/password', { body }));
      else await call(api.POST('/api/v1/admin/auth/password', { body }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import type { AuthProvider } from 'react-admin';
import { ApiError, request, sessionStore, type Session } from './api';

export interface LoginValues { email: string; password: string; recordarme?: boolean }

export const authProvider: AuthProvider = {
  async login({ email, password, recordarme }: LoginValues) {
    const json = await request<{ access_token: string; expires_at: string; user: Session['user'] }>('/api/v1/auth/login', {
      method: 'POST', body: { email: String(email ?? '').trim(), password },
    });
    sessionStore.set({ token: json.access_token, expires_at: json.expires_at, user: json.user }, Boolean(recordarme));
  },
  async logout() {
    if (sessionStore.get()) await request('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    sessionStore.clear();
  },
  async checkAuth() {
    if (!sessionStore.get()) throw new Error('Inicie sesión para continuar');
  },
  async checkError(error: unknown) {
    if (error instanceof ApiError && error.status === 401) {
      sessionStore.clear();
      throw new Error('Su sesión expiró. Inicie sesión de nuevo.');
    }
  },
  async getIdentity() {
    const s = sessionStore.get();
    if (!s) throw new Error('Sin sesión');
    return { id: s.user.id, fullName: s.user.nombre || s.user.email, email: s.user.email, rol: s.user.rol, empresa_id: s.user.empresa_id };
  },
  async getPermissions() {
    return sessionStore.get()?.user.rol ?? null;
  },
};

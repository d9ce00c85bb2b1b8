/**
 * The queues board (/admin/queues) without a second password (issue 23): the
 * panel's session is exchanged once for an HttpOnly, SameSite=Strict cookie
 * scoped to the board (POST /api/v1/auth/sesion-colas), never a token in a URL.
 */
import { request } from '../api';

export const QUEUES_URL = '/admin/queues';

export async function openQueues(event?: { preventDefault(): void }): Promise<void> {
  event?.preventDefault();
  // Opened before the request, so the browser counts it as the click's own window.
  const win = window.open('about:blank', '_blank');
  try {
    await request('/api/v1/auth/sesion-colas', { method: 'POST' });
    if (win) {
      win.opener = null;
      win.location.href = QUEUES_URL;
    } else {
      window.location.href = QUEUES_URL;
    }
  } catch (error) {
    win?.close();
    throw error;
  }
}

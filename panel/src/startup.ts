/**
 * A visit without a session starts on the login page, before react-admin
 * mounts. Left to react-admin (`<Admin requireAuth>`), a cold visit to any
 * other route mounts its catch-all LogoutOnMount, whose logout clears the
 * query cache and navigates to /login in a router transition that the
 * re-rendering cache keeps interrupting: a blank page re-navigating to
 * #/login thousands of times for 12–17 s (react-admin issue #10885). Starting
 * at #/login never mounts that route. Where the visitor was going rides along
 * as `?volver=` and the login page goes there after signing in.
 */

/** The hash route to replace the visit's with, or null to keep it (a session, or already on the login page). */
export function loginFirst(hash: string, hasSession: boolean): string | null {
  if (hasSession) return null;
  const route = hash.replace(/^#/, '') || '/';
  const path = route.split('?')[0]!;
  if (path === '/login') return null;
  return route === '/' ? '#/login' : `#/login?volver=${encodeURIComponent(route)}`;
}

/** Where to go after signing in: the `volver` of a login hash route, when it is a route of this panel. */
export function afterLogin(hash: string): string | undefined {
  const query = hash.split('?')[1];
  if (!query) return undefined;
  const volver = new URLSearchParams(query).get('volver');
  if (!volver || !volver.startsWith('/') || volver.startsWith('//') || volver.startsWith('/login')) return undefined;
  return volver;
}

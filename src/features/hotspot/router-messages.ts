/**
 * What a customer reads when the router refuses a login: always Spanish, always
 * a whole sentence. RouterOS's own (English) text stays in our logs and events.
 */
export function customerRouterMessage(routerMessage: string | null | undefined): string {
  const l = String(routerMessage ?? '').toLowerCase();
  if (l.includes('invalid username or password') || l.includes('invalid password') || l.includes('no such user')) return 'Usuario o contraseña incorrectos.';
  if (l.includes('no more sessions')) return 'Este usuario ya se está usando en otro dispositivo.';
  if (l.includes('already logged')) return 'Este dispositivo ya tiene una sesión activa. Ya puedes navegar.';
  if (l.includes('uptime limit')) return 'Se terminó el tiempo de tu plan. Compra un plan nuevo para seguir navegando.';
  if (l.includes('traffic limit') || l.includes('bytes')) return 'Alcanzaste el límite de datos de tu plan. Compra un plan nuevo.';
  if (l.includes('disabled')) return 'Este usuario está deshabilitado. Si crees que es un error, avisa al encargado.';
  if (l.includes('mac')) return 'Este usuario no puede usarse desde este dispositivo.';
  return 'El punto de acceso no aceptó la conexión. Usa tu usuario y contraseña para conectarte.';
}

/**
 * The router's own trial login, set per router by its company (issue 24):
 * `prueba: {activa, minutos, reinicio_horas, limite_velocidad}`. In API mode it
 * is applied on the device at once (integrations/mikrotik/trial.ts) and saved
 * only when the device took it, together with what was changed there, so
 * turning it off undoes exactly that. RADIUS-mode routers get the same lines in
 * their setup script (`renderTrialRouterOsLines`).
 */
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { checkTrialSettings, type HotspotTrialClient, type TrialRouterState, type TrialSettings } from '../../integrations/mikrotik';
import type { RouterPublic, RoutersStore } from './store';
import type { RouterTargets } from './targets';

export type PruebaInput = Partial<TrialSettings>;

/** The JSON schema of `prueba` in the router updates (partial: omitted fields keep their values). */
export const pruebaSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Prueba gratuita del hotspot (login «trial» del router): minutos por dispositivo, cada cuántas horas se renueva y velocidad. '
    + 'Se aplica en el router al guardar; al desactivarla se quita solo lo que agregamos.',
  properties: {
    activa: { type: 'boolean', example: true },
    minutos: { type: 'integer', minimum: 1, maximum: 1440, example: 10, description: 'Minutos de internet por dispositivo y periodo' },
    reinicio_horas: { type: 'integer', minimum: 1, maximum: 720, example: 24, description: 'Horas hasta que el mismo dispositivo puede volver a probar' },
    limite_velocidad: {
      type: ['string', 'null'], pattern: '^\\d{1,6}[kKMG]?(/\\d{1,6}[kKMG]?)?$', example: '1M/2M',
      description: 'Límite de velocidad de RouterOS (subida/bajada), o null sin límite',
    },
  },
} as const;

/** How `prueba` reads back (always complete). */
export const pruebaReadSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['activa', 'minutos', 'reinicio_horas', 'limite_velocidad'],
  properties: pruebaSchema.properties,
} as const;

export const PRUEBA_EXAMPLE: TrialSettings = { activa: false, minutos: 10, reinicio_horas: 24, limite_velocidad: null };

export function createPruebaService(deps: { store: RoutersStore; trial: HotspotTrialClient; targets: RouterTargets }) {
  return {
    /** Merges, applies on the device, then saves (the device refusing saves nothing of the trial). */
    async apply(routerId: string, current: TrialSettings, input: PruebaInput): Promise<RouterPublic> {
      const settings = checkTrialSettings({ ...PRUEBA_EXAMPLE, ...current, ...input });
      const previous = (await deps.store.pruebaRouter(routerId)) as TrialRouterState | null;
      // Off and never applied: nothing of ours is on the device.
      if (!settings.activa && (!previous || Object.keys(previous.perfiles ?? {}).length === 0) && !previous?.perfil_usuario_creado) {
        return (await deps.store.guardarPrueba(routerId, settings, previous as unknown as Record<string, unknown> | null))!;
      }
      const target = await deps.targets.load(routerId);
      if (!target) throw new NotFoundError('Router no encontrado');
      // Behind NAT nothing dials the router: the setup script carries the trial (paste it again after a change).
      if (target.modo === 'radius') return (await deps.store.guardarPrueba(routerId, settings, previous as unknown as Record<string, unknown> | null))!;
      if (!target.activo) throw new BadRequestError('El router está inactivo: actívalo para aplicar la prueba gratuita.');
      const state = await deps.trial.apply(target, settings, previous);
      return (await deps.store.guardarPrueba(routerId, settings, state as unknown as Record<string, unknown>))!;
    },
  };
}

export type PruebaService = ReturnType<typeof createPruebaService>;

/** Products: a hotspot profile of one of the company's routers, chosen from the router itself, at a price. */
import { useEffect, useState } from 'react';
import { Alert, Box, CircularProgress, useMediaQuery, type Theme } from '@mui/material';
import { useFormContext, useWatch } from 'react-hook-form';
import {
  BooleanField, BooleanInput, Create, Datagrid, DeleteButton, Edit, List, NumberInput, ReferenceField, ReferenceInput, required,
  SelectInput, SimpleForm, SimpleList, TextField, TextInput, useGetOne, useNotify, useRedirect, EditButton, FunctionField,
} from 'react-admin';
import { request } from '../api';
import { formatMinutes, formatMoney, formatRouterDuration } from '../format';
import { errorMessage, MoneyField, useLoadError } from '../common';

interface Perfil { id: string; name: string; session_timeout?: string | null; rate_limit?: string | null; shared_users?: number | null }

const describe = (p: Perfil) => [p.name, p.session_timeout && `sesión ${p.session_timeout}`, p.rate_limit && `velocidad ${p.rate_limit}`,
  p.shared_users && `${p.shared_users} disp.`].filter(Boolean).join(' · ');

/** The profile drop-down: read live from the chosen router; if it does not answer, the name can be typed. */
function PerfilInput() {
  const routerId = useWatch({ name: 'router_id' }) as string | undefined;
  const current = useWatch({ name: 'perfil_mikrotik_nombre' }) as string | undefined;
  const { setValue } = useFormContext();
  const [state, setState] = useState<{ loading: boolean; perfiles?: Perfil[]; error?: string }>({ loading: false });
  // A RADIUS-mode router is never dialled: the profile is an optional name sent as Mikrotik-Group.
  const { data: router } = useGetOne('routers', { id: routerId ?? '' }, { enabled: Boolean(routerId) });
  const radius = (router as { modo?: string } | undefined)?.modo === 'radius';
  useEffect(() => {
    if (!routerId || radius) { setState({ loading: false }); return; }
    let live = true;
    setState({ loading: true });
    request<Perfil[]>(`/api/v1/admin/routers/${encodeURIComponent(routerId)}/mikrotik-profiles`).then(
      (perfiles) => { if (live) setState({ loading: false, perfiles }); },
      (error) => { if (live) setState({ loading: false, error: errorMessage(error) }); },
    );
    return () => { live = false; };
  }, [routerId, radius]);

  if (radius) {
    return (
      <TextInput source="perfil_mikrotik_nombre" label="Perfil MikroTik (opcional)" fullWidth
        helperText="Router en modo RADIUS: no se consulta el router; si lo escribe, se envía como Mikrotik-Group y debe existir en el router" />
    );
  }
  if (!routerId) return <Alert severity="info" sx={{ mb: 2 }}>Elija primero el router para ver sus perfiles.</Alert>;
  if (state.loading) return <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 2 }}><CircularProgress size={18} /> Leyendo los perfiles del router…</Box>;
  if (state.error || !state.perfiles) {
    return (
      <Box sx={{ width: '100%' }}>
        <Alert severity="warning" sx={{ mb: 1 }}>{state.error} Escriba el nombre del perfil; el producto se guardará sin verificar.</Alert>
        <TextInput source="perfil_mikrotik_nombre" label="Perfil MikroTik" validate={required()} fullWidth />
      </Box>
    );
  }
  const perfiles = state.perfiles;
  const choices = perfiles.map((p) => ({ id: p.name, name: describe(p) }));
  if (current && !perfiles.some((p) => p.name === current)) choices.push({ id: current, name: `${current} (no existe en el router)` });
  return (
    <SelectInput source="perfil_mikrotik_nombre" label="Perfil MikroTik" choices={choices} validate={required()} fullWidth
      onChange={(e) => setValue('perfil_mikrotik_id', perfiles.find((p) => p.name === e.target.value)?.id ?? null)}
      helperText="Perfiles hotspot leídos del router ahora mismo" />
  );
}

const precioValido = (v: unknown) => (v === undefined || v === null || v === '' || /^\d+(\.\d{1,2})?$/.test(String(v).trim()) && Number(v) > 0
  ? undefined : 'Mayor que 0, con dos decimales como máximo');
const velocidadValida = (v: unknown) => (!v || /^[1-9]\d{0,9}[kMG]?\/[1-9]\d{0,9}[kMG]?$/.test(String(v).trim())
  ? undefined : 'Subida/bajada como en RouterOS: 2M/10M, 512k/2M');
const uptimeValido = (v: unknown) => (!v || /^(?:\d+[wdhms])+$|^(?:\d+d)?\d{1,2}:\d{2}:\d{2}$/.test(String(v)) ? undefined : 'Intervalo RouterOS: 1h, 1d2h30m, 30m');

function ProductoForm() {
  return (
    <SimpleForm sanitizeEmptyValues>
      <ReferenceInput source="router_id" reference="routers">
        <SelectInput label="Router" optionText="nombre" validate={required()} fullWidth />
      </ReferenceInput>
      <PerfilInput />
      <TextInput source="nombre_venta" label="Nombre de venta" validate={required()} fullWidth helperText="Como lo verá el cliente en el portal" />
      <TextInput source="descripcion" label="Descripción" multiline fullWidth />
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', width: '100%' }}>
        <TextInput source="precio" label="Precio" validate={[required(), precioValido]} />
        <SelectInput source="moneda" label="Moneda" choices={[{ id: 'MXN', name: 'MXN' }, { id: 'USD', name: 'USD' }, { id: 'EUR', name: 'EUR' }]} defaultValue="MXN" />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', width: '100%' }}>
        <TextInput source="limit_uptime" label="Tiempo máximo de conexión" validate={uptimeValido} helperText="Ej. 1h, 1d (opcional)" />
        <NumberInput source="vigencia_minutos" label="Vigencia (minutos)" min={1} helperText="Tiempo de reloj (opcional)" />
        <SelectInput source="vigencia_desde" label="La vigencia cuenta desde" defaultValue="activacion" validate={required()}
          choices={[{ id: 'activacion', name: 'La activación (al pagar)' }, { id: 'primer_uso', name: 'El primer inicio de sesión' }]} />
        <NumberInput source="orden_visual" label="Orden en el portal" />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', width: '100%' }}>
        <TextInput source="limite_velocidad" label="Velocidad (subida/bajada)" validate={velocidadValida}
          helperText="Ej. 2M/10M (opcional). El servicio crea y mantiene su propio perfil en el router" />
        <NumberInput source="dispositivos" label="Dispositivos simultáneos" min={1} max={1000} step={1} defaultValue={1} validate={required()} />
      </Box>
      <BooleanInput source="destacado" label="Destacado" />
      <BooleanInput source="activo" label="Activo (a la venta)" defaultValue />
    </SimpleForm>
  );
}

function useVerificationNotice(saved: string) {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onSuccess: (data: any) => {
      const v = data?.verificacion;
      // "Producto creado" / "Producto actualizado", and what the router said of its profile.
      notify(v?.mensaje ? `${saved}. ${v.mensaje}` : saved, { type: v && !v.perfil_verificado ? 'warning' : 'success' });
      redirect('list', 'productos');
    },
    onError: (error: unknown) => notify(errorMessage(error), { type: 'error' }),
  };
}

export function ProductoCreate() {
  return <Create resource="productos" title="Nuevo producto" mutationOptions={useVerificationNotice('Producto creado')}><ProductoForm /></Create>;
}

export function ProductoEdit() {
  return (
    <Edit resource="productos" queryOptions={useLoadError('productos')} title="Editar producto" mutationMode="pessimistic" mutationOptions={useVerificationNotice('Producto actualizado')}>
      <ProductoForm />
    </Edit>
  );
}

export function ProductosList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List resource="productos" title="Productos" sort={{ field: 'orden_visual', order: 'ASC' }} perPage={50}>
      {isSmall ? (
        <SimpleList primaryText={(r) => r.nombre_venta} secondaryText={(r) => `${formatMoney(r.precio, r.moneda)} · ${r.perfil_mikrotik_nombre}`}
          tertiaryText={(r) => (r.activo ? 'Activo' : 'Inactivo')} linkType="edit" />
      ) : (
        <Datagrid rowClick="edit" bulkActionButtons={false}>
          <TextField source="nombre_venta" label="Nombre" />
          <ReferenceField source="router_id" reference="routers" link={false} label="Router"><TextField source="nombre" /></ReferenceField>
          <TextField source="perfil_mikrotik_nombre" label="Perfil" />
          <MoneyField source="precio" label="Precio" />
          <FunctionField label="Límite" render={(r: any) => [
            r.limit_uptime && `Tiempo: ${formatRouterDuration(r.limit_uptime)}`,
            r.vigencia_minutos && `Vigencia: ${formatMinutes(r.vigencia_minutos)}${r.vigencia_desde === 'primer_uso' ? ' desde el primer uso' : ''}`,
            r.limite_velocidad, r.dispositivos > 1 && `${r.dispositivos} disp.`,
          ].filter(Boolean).join(' · ') || 'Sin límite'} />
          <BooleanField source="perfil_verificado" label="Verificado" />
          <BooleanField source="destacado" label="Destacado" />
          <BooleanField source="activo" label="Activo" />
          <EditButton />
          <DeleteButton mutationMode="pessimistic" successMessage="Producto eliminado: dejó de venderse" confirmTitle="¿Eliminar este producto?" confirmContent="Dejará de venderse; las ventas lo conservan." />
        </Datagrid>
      )}
    </List>
  );
}

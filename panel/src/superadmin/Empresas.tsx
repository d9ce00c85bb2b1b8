/** Super admin: companies (create, edit, activate), their routers with the API key lifecycle, and their admins. */
import { useState, type FormEvent } from 'react';
import {
  Alert, Box, Button as MuiButton, Card, CardContent, CardHeader, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel,
  Grid, LinearProgress, MenuItem, Table, TableBody, TableCell, TableHead, TableRow, TextField as MuiTextField, Typography, useMediaQuery, type Theme,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import KeyIcon from '@mui/icons-material/Key';
import {
  BooleanField, Create, useGetList, Datagrid, Edit, EditButton, email, FunctionField, List, required, SelectInput, Show, SimpleForm, SimpleList,
  TextField, TextInput, useRecordContext, useRefresh, PasswordInput, Link,
} from 'react-admin';
import { ConexionAlert, EditarRouter, type ConexionProbada } from '../cliente/Routers';
import { request } from '../api';
import { ConfirmButton, CopyField, DateTimeText, TzDateField, errorMessage, useApiGet, useLoadError, useSaved } from '../common';
import { formatMoney } from '../format';
import { PruebaEditor } from '../common/Prueba';

/** A router's trial (issue 24), from the company's router list. */
function PruebaRouter({ url, router, onSaved }: { url: string; router: any; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <MuiButton size="small" onClick={() => setOpen(true)}>Prueba gratuita{router.prueba?.activa ? ` (${router.prueba.minutos} min)` : ''}</MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>Prueba gratuita · {router.nombre}</DialogTitle>
        <DialogContent>
          <PruebaEditor value={router.prueba} onSaved={onSaved} save={(prueba) => request(url, { method: 'PUT', body: { prueba } })} />
        </DialogContent>
        <DialogActions><MuiButton onClick={() => setOpen(false)}>Cerrar</MuiButton></DialogActions>
      </Dialog>
    </>
  );
}

const MODES = [{ id: 'test', name: 'Pruebas (test)' }, { id: 'live', name: 'Producción (live)' }];

function ToggleEmpresa() {
  const r = useRecordContext();
  const refresh = useRefresh();
  if (!r) return null;
  return (
    <ConfirmButton label={r.activa ? 'Desactivar' : 'Activar'} color={r.activa ? 'error' : 'success'}
      title={r.activa ? `¿Desactivar ${r.nombre}?` : `¿Activar ${r.nombre}?`}
      content={<Typography>{r.activa ? 'Sus portales dejarán de vender: todas las API Keys de sus routers se rechazan desde la siguiente petición.' : 'Sus routers podrán volver a vender.'}</Typography>}
      onConfirm={() => request(`/admin/empresas/${encodeURIComponent(String(r.id))}/toggle-activo`, { method: 'PUT' })}
      onDone={() => refresh()} />
  );
}

export function EmpresasList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List resource="empresas" title="Empresas" sort={{ field: 'creada_en', order: 'DESC' }}
      filters={[<SelectInput key="activa" source="activa" label="Estado" choices={[{ id: 'true', name: 'Activas' }, { id: 'false', name: 'Inactivas' }]} alwaysOn />]}>
      {isSmall ? (
        <SimpleList primaryText={(r) => r.nombre} secondaryText={(r) => r.contacto_email} tertiaryText={(r) => (r.activa ? 'Activa' : 'Inactiva')} linkType="show" />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TextField source="nombre" label="Nombre" />
          <TextField source="id" label="ID" />
          <TextField source="contacto_email" label="Contacto" />
          <BooleanField source="conekta_configurado" label="Conekta" />
          <BooleanField source="mercado_pago_configurado" label="Mercado Pago" />
          <TzDateField source="creada_en" label="Creada" />
          <BooleanField source="activa" label="Activa" />
          <EditButton />
        </Datagrid>
      )}
    </List>
  );
}

function EmpresaFields({ creating }: { creating?: boolean }) {
  return (
    <>
      <TextInput source="nombre" label="Nombre" validate={required()} fullWidth />
      <TextInput source="contacto_email" label="Correo de contacto" validate={[required(), email('Correo inválido')]} fullWidth />
      <TextInput source="contacto_telefono" label="Teléfono" fullWidth />
      <Typography variant="subtitle2" sx={{ mt: 1 }}>Conekta {creating ? '(puede ser provisional; la empresa la cambia después)' : '(vacío: se conserva)'}</Typography>
      <PasswordInput source="conekta_private_key" label="Llave privada" validate={creating ? required() : undefined} fullWidth autoComplete="off" />
      <TextInput source="conekta_public_key" label="Llave pública" validate={creating ? required() : undefined} fullWidth />
      <SelectInput source="conekta_mode" label="Modo" choices={MODES} defaultValue="test" validate={required()} />
    </>
  );
}

export function EmpresaCreate() {
  return (
    <Create resource="empresas" title="Nueva empresa" mutationOptions={useSaved('empresas', (e) => `Empresa creada: ${e?.nombre ?? ''}`)}>
      <SimpleForm sanitizeEmptyValues><EmpresaFields creating /></SimpleForm>
    </Create>
  );
}

export function EmpresaEdit() {
  return (
    <Edit resource="empresas" queryOptions={useLoadError('empresas')} title="Editar empresa" mutationMode="pessimistic"
      mutationOptions={useSaved('empresas', (e) => `Empresa actualizada: ${e?.nombre ?? ''}`)}
      transform={(data: any) => { const { conekta_private_key, ...rest } = data; return conekta_private_key ? data : rest; }}>
      <SimpleForm sanitizeEmptyValues><EmpresaFields /></SimpleForm>
    </Edit>
  );
}

// ---------------------------------------------------------------------------
// Routers of a company and their API keys
// ---------------------------------------------------------------------------

/** A router API key, shown exactly once: closing the dialog forgets it. */
function KeyOnce({ apiKey, onClose }: { apiKey: string | null; onClose: () => void }) {
  return (
    <Dialog open={Boolean(apiKey)} onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>API Key del router</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>Esta llave se muestra una sola vez. Cópiela ahora y póngala en el <code>config.js</code> del portal del router.</Alert>
        {apiKey && <CopyField label="API Key" value={apiKey} testId="api-key-once" multiline />}
      </DialogContent>
      <DialogActions><MuiButton onClick={onClose} variant="contained">Ya la copié</MuiButton></DialogActions>
    </Dialog>
  );
}

const emptyRouter = { nombre: '', modo: 'api', host: '', puerto: '8728', usuario: '', password: '', ubicacion: '', tls: false };

/** Where a router is: its API address, or in RADIUS mode the address of its last heartbeat. */
function routerDireccion(router: any): string {
  if (router.modo === 'radius') return `RADIUS · ${router.radius_direccion ?? 'sin latido aún'}`;
  return `${router.host}:${router.puerto}${router.tls ? ' (SSL)' : ''}`;
}

function NuevoRouter({ empresaId, onCreated }: { empresaId: string; onCreated: (key: string, probe: ConexionProbada) => void }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState(emptyRouter);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof emptyRouter) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // RADIUS mode: the router is never dialled, so no API address or credentials.
      const body: Record<string, unknown> = v.modo === 'radius'
        ? { empresa_id: empresaId, nombre: v.nombre.trim(), modo: 'radius' }
        : { empresa_id: empresaId, nombre: v.nombre.trim(), modo: 'api', host: v.host.trim(), puerto: Number(v.puerto), usuario: v.usuario.trim(), password: v.password, tls: v.tls };
      if (v.ubicacion.trim()) body.ubicacion = v.ubicacion.trim();
      const res = await request<{ api_key: string } & ConexionProbada>(`/admin/empresas/${encodeURIComponent(empresaId)}/routers`, { method: 'POST', body });
      setOpen(false);
      setV(emptyRouter);
      onCreated(res.api_key, res);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <MuiButton startIcon={<AddIcon />} variant="contained" size="small" onClick={() => setOpen(true)}>Nuevo router</MuiButton>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} maxWidth="sm" fullWidth>
        <form onSubmit={submit}>
          <DialogTitle>Nuevo router</DialogTitle>
          <DialogContent>
            {error && <Alert severity="error" sx={{ mb: 1 }}>{error}</Alert>}
            <MuiTextField label="Nombre" name="nombre" fullWidth margin="dense" required value={v.nombre} onChange={set('nombre')} />
            <MuiTextField select label="Modo" name="modo" fullWidth margin="dense" value={v.modo} onChange={set('modo')}>
              <MenuItem value="api">API (el servicio se conecta al router)</MenuItem>
              <MenuItem value="radius">RADIUS (router detrás de NAT: el router pregunta al servidor)</MenuItem>
            </MuiTextField>
            {v.modo === 'api' && (
              <>
                <Box sx={{ display: 'flex', gap: 1 }}>
                  <MuiTextField label="Host (IP o nombre)" name="host" fullWidth margin="dense" required value={v.host} onChange={set('host')} />
                  <MuiTextField label="Puerto API" name="puerto" type="number" margin="dense" required value={v.puerto} onChange={set('puerto')} sx={{ width: 140 }} />
                </Box>
                <MuiTextField label="Usuario API" name="usuario" fullWidth margin="dense" required value={v.usuario} onChange={set('usuario')} autoComplete="off" />
                <MuiTextField label="Contraseña API" name="password" type="password" fullWidth margin="dense" required value={v.password} onChange={set('password')} autoComplete="new-password" />
              </>
            )}
            <MuiTextField label="Ubicación" name="ubicacion" fullWidth margin="dense" value={v.ubicacion} onChange={set('ubicacion')} />
            {v.modo === 'api' && <FormControlLabel control={<Checkbox checked={v.tls} onChange={(e) => setV((x) => ({ ...x, tls: e.target.checked }))} />} label="API-SSL (puerto 8729)" />}
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)} disabled={busy}>Cancelar</MuiButton>
            <MuiButton type="submit" variant="contained" disabled={busy}>Crear router</MuiButton>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

function KeyStatus({ empresaId, routerId, version }: { empresaId: string; routerId: string; version: number }) {
  const { data, error } = useApiGet<any>(`/admin/empresas/${encodeURIComponent(empresaId)}/routers/${encodeURIComponent(routerId)}/api-key-status`, [version]);
  if (error) return <Typography variant="caption" color="error">{errorMessage(error)}</Typography>;
  if (!data) return null;
  return (
    <Typography variant="caption" component="div">
      {data.has_active_key ? <>Llave <code>{data.key_id}</code> · expira <DateTimeText value={data.expires_at} /> · {data.use_count} usos</> : 'Sin llave activa'}
      {data.warning && <Box component="span" sx={{ color: 'warning.main' }}> · {data.warning}</Box>}
    </Typography>
  );
}

function RoutersDeEmpresa() {
  const r = useRecordContext();
  const empresaId = String(r?.id ?? '');
  const [version, setVersion] = useState(0);
  const [key, setKey] = useState<string | null>(null);
  const [probe, setProbe] = useState<ConexionProbada | null>(null); // the bounded connection check of the router just saved
  const { data, error, loading } = useApiGet<any[]>(r ? `/admin/empresas/${encodeURIComponent(empresaId)}/routers` : null, [version]);
  const bump = () => setVersion((x) => x + 1);
  if (!r) return null;
  const base = (id: string) => `/admin/empresas/${encodeURIComponent(empresaId)}/routers/${encodeURIComponent(id)}`;
  return (
    <Card sx={{ mt: 2 }}>
      <CardHeader title="Routers" slotProps={{ title: { variant: 'h6' } }} action={<NuevoRouter empresaId={empresaId} onCreated={(k, p) => { setKey(k); setProbe(p); bump(); }} />} />
      <CardContent className="scroll-x">
        <ConexionAlert result={probe} />
        {loading && <LinearProgress />}
        {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
        <Table size="small" data-testid="routers-empresa">
          <TableHead><TableRow><TableCell>Router</TableCell><TableCell>Dirección</TableCell><TableCell>API Key</TableCell><TableCell>Estado</TableCell><TableCell /></TableRow></TableHead>
          <TableBody>
            {(data ?? []).map((router) => (
              <TableRow key={router.id}>
                <TableCell><b>{router.nombre}</b><br /><Typography variant="caption">{router.id} · {router.ubicacion ?? ''}</Typography></TableCell>
                <TableCell>{routerDireccion(router)}</TableCell>
                <TableCell><KeyStatus empresaId={empresaId} routerId={router.id} version={version} /></TableCell>
                <TableCell>{router.activo ? 'Activo' : 'Inactivo'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                    <EditarRouter url={base(router.id)} router={router} onSaved={(res) => { setProbe(res); bump(); }} />
                    <ConfirmButton label="Nueva API Key" icon={<KeyIcon />} color="warning" title="¿Regenerar la API Key?"
                      content={<Typography>La llave actual se revoca: el portal instalado en <b>{router.nombre}</b> deja de funcionar hasta que ponga la nueva.</Typography>}
                      onConfirm={() => request<{ new_api_key: string }>(`${base(router.id)}/regenerate-api-key`, { method: 'POST' })}
                      onDone={(res) => { setKey(res.new_api_key); bump(); }} success={() => 'API Key regenerada'} disabled={!router.activo} />
                    <ConfirmButton label={router.activo ? 'Desactivar' : 'Activar'} color={router.activo ? 'error' : 'success'}
                      title={router.activo ? '¿Desactivar el router?' : '¿Activar el router?'}
                      content={<Typography>{router.activo ? 'Su portal deja de vender desde la siguiente petición.' : 'Su portal podrá vender de nuevo.'}</Typography>}
                      onConfirm={() => request(`${base(router.id)}/toggle-activo`, { method: 'PUT' })} onDone={bump} />
                    <PruebaRouter url={base(router.id)} router={router} onSaved={bump} />
                  </Box>
                </TableCell>
              </TableRow>
            ))}
            {data && data.length === 0 && <TableRow><TableCell colSpan={5}>Sin routers</TableCell></TableRow>}
          </TableBody>
        </Table>
      </CardContent>
      <KeyOnce apiKey={key} onClose={() => setKey(null)} />
    </Card>
  );
}

function Stats() {
  const r = useRecordContext();
  const { data } = useApiGet<any>(r ? `/admin/empresas/${encodeURIComponent(String(r.id))}/stats` : null);
  if (!r) return null;
  const e = data?.estadisticas ?? {};
  const ingresos = Object.entries(data?.ingresos ?? {}) as Array<[string, any]>;
  return (
    <Card>
      <CardHeader title={String(r.nombre)} subheader={`${r.id} · ${r.contacto_email}`} slotProps={{ title: { variant: 'h6' } }}
        action={<Box sx={{ display: 'flex', gap: 1 }}><EditButton /><ToggleEmpresa /></Box>} />
      <CardContent>
        <Grid container spacing={2}>
          <Grid size={{ xs: 6, md: 3 }}><Typography variant="body2">Estado</Typography><Typography variant="h6">{r.activa ? 'Activa' : 'Inactiva'}</Typography></Grid>
          <Grid size={{ xs: 6, md: 3 }}><Typography variant="body2">Routers activos</Typography><Typography variant="h6">{e.routers_activos ?? '—'} / {e.total_routers ?? '—'}</Typography></Grid>
          <Grid size={{ xs: 6, md: 3 }}><Typography variant="body2">Productos activos</Typography><Typography variant="h6">{e.productos_activos ?? '—'} / {e.total_productos ?? '—'}</Typography></Grid>
          <Grid size={{ xs: 6, md: 3 }}><Typography variant="body2">Ingresos</Typography><Typography variant="h6">{ingresos.length ? ingresos.map(([c, v]) => formatMoney(v.total, c)).join(' · ') : formatMoney('0', 'MXN')}</Typography></Grid>
        </Grid>
        <Typography variant="caption">Creada <DateTimeText value={r.creada_en} /></Typography>
      </CardContent>
    </Card>
  );
}

function AdminsDeEmpresa() {
  const r = useRecordContext();
  const { data, total } = useGetList('usuarios', {
    filter: { empresa_id: r?.id }, pagination: { page: 1, perPage: 50 }, sort: { field: 'nombre', order: 'ASC' },
  }, { enabled: Boolean(r) });
  if (!r) return null;
  return (
    <Card sx={{ mt: 2 }}>
      <CardHeader title="Administradores" slotProps={{ title: { variant: 'h6' } }}
        action={<MuiButton component={Link} to={`/usuarios/create?source=${encodeURIComponent(JSON.stringify({ rol: 'cliente_admin', empresa_id: r.id }))}`} size="small" startIcon={<AddIcon />}>Nuevo administrador</MuiButton>} />
      <CardContent>
        {(data ?? []).map((u) => <Typography key={u.id}>{u.nombre} · {u.email} {u.activo ? '' : '(inactivo)'}</Typography>)}
        {data && data.length === 0 && <Typography>Sin administradores</Typography>}
        {total !== undefined && data && total > data.length && <Typography variant="caption">… y {total - data.length} más (ver Usuarios)</Typography>}
      </CardContent>
    </Card>
  );
}

export function EmpresaShow() {
  return (
    <Show resource="empresas" queryOptions={useLoadError('empresas')} title={<FunctionField render={(r: any) => `Empresa ${r.nombre}`} />} component="div" actions={false}>
      <Stats />
      <RoutersDeEmpresa />
      <AdminsDeEmpresa />
    </Show>
  );
}

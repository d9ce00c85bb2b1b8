/** The company's routers: connection test, hotspot profiles, online sessions and the captive portal download. */
import { formatRouterDuration } from '../format';
import { useState, type FormEvent } from 'react';
import {
  Alert, Box, Button as MuiButton, Checkbox, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, LinearProgress,
  Table, TableBody, TableCell, TableHead, TableRow, TextField as MuiTextField, Typography, useMediaQuery, type Theme,
} from '@mui/material';
import NetworkCheckIcon from '@mui/icons-material/NetworkCheck';
import DownloadIcon from '@mui/icons-material/Download';
import {
  BooleanField, Datagrid, FunctionField, List, Show, SimpleList, Tab, TabbedShowLayout, TextField, useNotify, useRecordContext, useRefresh,
} from 'react-admin';
import { PruebaEditor } from '../common/Prueba';
import { request, saveBlob } from '../api';
import { ConfirmButton, CopyField, DateTimeText, LoadError, errorMessage, useApiGet, useEmpresa, useLoadError } from '../common';

export function RoutersList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List resource="routers" title="Routers" sort={{ field: 'nombre', order: 'ASC' }} perPage={50}>
      {isSmall ? (
        <SimpleList primaryText={(r) => r.nombre} secondaryText={(r) => r.ubicacion ?? r.host} tertiaryText={(r) => (r.activo ? 'Activo' : 'Inactivo')} linkType="show" />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TextField source="nombre" label="Nombre" />
          <TextField source="ubicacion" label="Ubicación" />
          <FunctionField label="Modo" render={(r: any) => (r.modo === 'radius' ? 'RADIUS' : 'API')} />
          <FunctionField label="Dirección" render={(r: any) => (r.modo === 'radius' ? (r.radius_direccion ?? 'sin latido aún') : `${r.host}:${r.puerto}${r.tls ? ' (SSL)' : ''}`)} />
          <FunctionField label="Productos" sortable={false} render={(r: any) => (r.productos ? `${r.productos.activos} de ${r.productos.total}` : '—')} />
          <BooleanField source="activo" label="Activo" />
        </Datagrid>
      )}
    </List>
  );
}

function ConnectionTest() {
  const record = useRecordContext();
  const [state, setState] = useState<{ busy: boolean; ok?: any; error?: string }>({ busy: false });
  if (!record) return null;
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, ok: await request(`/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/test-connection`) });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <Box sx={{ my: 2 }}>
      <MuiButton variant="contained" startIcon={state.busy ? <CircularProgress size={16} color="inherit" /> : <NetworkCheckIcon />} onClick={run} disabled={state.busy}>
        Probar conexión
      </MuiButton>
      {state.ok && (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="test-ok">
          {state.ok.message}: {state.ok.identity}{state.ok.version ? ` · RouterOS ${state.ok.version}` : ''}{state.ok.board_name ? ` · ${state.ok.board_name}` : ''}
          {state.ok.uptime ? ` · encendido ${state.ok.uptime}` : ''} · {state.ok.latency_ms} ms
        </Alert>
      )}
      {state.error && <Alert severity="error" sx={{ mt: 2 }}>{state.error}</Alert>}
    </Box>
  );
}

/** Switches the router between API and RADIUS mode (PUT mi-empresa/routers/{id}); the answer says how the router is doing in the new mode. */
function CambiarModo() {
  const r = useRecordContext();
  const refresh = useRefresh();
  if (!r) return null;
  const to = r.modo === 'radius' ? 'api' : 'radius';
  return (
    <ConfirmButton label={to === 'radius' ? 'Cambiar a modo RADIUS' : 'Cambiar a modo API'} color="warning"
      title={to === 'radius' ? '¿Usar este router en modo RADIUS?' : '¿Volver al modo API?'}
      content={<Typography>{to === 'radius'
        ? 'El servicio deja de conectarse a la API del router: el router pregunta al servidor RADIUS por cada acceso. Configure el router con su script de configuración.'
        : 'El servicio vuelve a conectarse a la API del router con el host, usuario y contraseña guardados; el servidor RADIUS deja de atenderlo.'}</Typography>}
      onConfirm={() => request(`/api/v1/admin/mi-empresa/routers/${encodeURIComponent(String(r.id))}`, { method: 'PUT', body: { modo: to } })}
      onDone={refresh} success={() => (to === 'radius' ? 'Router en modo RADIUS' : 'Router en modo API')} />
  );
}

/** What the service says after saving a router: whether its address and API credentials work (issue 23.8). */
export interface ConexionProbada { conexion_ok?: boolean; mensaje?: string; error?: string | null }

export function ConexionAlert({ result }: { result: ConexionProbada | null }) {
  if (!result || result.conexion_ok === undefined) return null;
  return (
    <Alert severity={result.conexion_ok ? 'success' : 'warning'} sx={{ mt: 2 }} data-testid="router-conexion">
      {result.mensaje}{result.error ? ` ${result.error}` : ''}
      {!result.conexion_ok && ' El router quedó guardado: corrija la dirección o las credenciales y guarde de nuevo.'}
    </Alert>
  );
}

/**
 * Edits a router's name, location, address and API credentials (PUT `url`). A new
 * address needs the API password again: the stored one is never sent to a new host.
 */
/** The toast after saving a router: saved, and what the probe of its credentials found. */
export function routerGuardado(res: ConexionProbada | undefined): string {
  if (!res || res.conexion_ok === undefined) return 'Router actualizado';
  if (res.conexion_ok) return 'Router actualizado: conexión correcta';
  return `Router actualizado, pero la conexión falló: ${res.error || res.mensaje || 'sin respuesta del router'}`;
}

export function EditarRouter({ url, router, onSaved }: { url: string; router: Record<string, any>; onSaved: (result: ConexionProbada) => void }) {
  const notify = useNotify();
  const initial = { nombre: String(router.nombre ?? ''), host: String(router.host ?? ''), puerto: String(router.puerto ?? 8728), usuario: String(router.usuario ?? ''), password: '', ubicacion: String(router.ubicacion ?? '') };
  const [open, setOpen] = useState(false);
  const [v, setV] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof initial) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const hostChanged = v.host.trim() !== initial.host;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (v.nombre.trim() !== initial.nombre) body.nombre = v.nombre.trim();
      if (hostChanged) body.host = v.host.trim();
      if (v.puerto !== initial.puerto) body.puerto = Number(v.puerto);
      if (v.usuario.trim() !== initial.usuario) body.usuario = v.usuario.trim();
      if (v.password) body.password = v.password;
      if (v.ubicacion.trim() !== initial.ubicacion) body.ubicacion = v.ubicacion.trim() || null;
      const res = await request<ConexionProbada>(url, { method: 'PUT', body });
      setOpen(false);
      notify(routerGuardado(res), { type: res.conexion_ok === false ? 'warning' : 'success' });
      onSaved(res);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <MuiButton size="small" variant="outlined" onClick={() => { setV(initial); setError(null); setOpen(true); }}>Editar conexión</MuiButton>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} maxWidth="sm" fullWidth>
        <form onSubmit={submit}>
          <DialogTitle>Dirección y credenciales del router</DialogTitle>
          <DialogContent>
            {error && <Alert severity="error" sx={{ mb: 1 }}>{error}</Alert>}
            <MuiTextField label="Nombre" name="nombre" fullWidth margin="dense" required value={v.nombre} onChange={set('nombre')} />
            <Box sx={{ display: 'flex', gap: 1 }}>
              <MuiTextField label="Host (IP pública o nombre)" name="host" fullWidth margin="dense" required value={v.host} onChange={set('host')} />
              <MuiTextField label="Puerto API" name="puerto" type="number" margin="dense" required value={v.puerto} onChange={set('puerto')} sx={{ width: 140 }} />
            </Box>
            <MuiTextField label="Usuario API" name="usuario" fullWidth margin="dense" required value={v.usuario} onChange={set('usuario')} autoComplete="off" />
            <MuiTextField label="Contraseña API" name="password" type="password" fullWidth margin="dense" required={hostChanged} value={v.password} onChange={set('password')} autoComplete="new-password"
              helperText={hostChanged ? 'Obligatoria al cambiar la dirección: la guardada no se envía a una dirección nueva.' : 'Déjela vacía para conservar la actual.'} />
            <MuiTextField label="Ubicación" name="ubicacion" fullWidth margin="dense" value={v.ubicacion} onChange={set('ubicacion')} />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)} disabled={busy}>Cancelar</MuiButton>
            <MuiButton type="submit" variant="contained" disabled={busy}>{busy ? 'Guardando y probando…' : 'Guardar y probar'}</MuiButton>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

function EditarMiRouter() {
  const r = useRecordContext();
  const refresh = useRefresh();
  const [result, setResult] = useState<ConexionProbada | null>(null);
  if (!r) return null;
  return (
    <Box sx={{ my: 1 }}>
      <EditarRouter url={`/api/v1/admin/mi-empresa/routers/${encodeURIComponent(String(r.id))}`} router={r} onSaved={(res) => { setResult(res); refresh(); }} />
      <ConexionAlert result={result} />
    </Box>
  );
}

function Resumen() {
  const r = useRecordContext();
  if (!r) return null;
  if (r.modo === 'radius') {
    return (
      <Box>
        {r.direccion_compartida && (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="direccion-compartida">
            El último latido de este router (<DateTimeText value={r.direccion_compartida_en} />) llegó desde {String(r.direccion_compartida)}, una dirección
            pública que ya usa otro router de este servicio: su proveedor de internet comparte esa dirección entre varios clientes (CGNAT) y el servidor RADIUS
            no puede distinguirlos. Este router no quedó registrado. Conéctelo por un túnel (WireGuard) o contrate una dirección pública propia; el aviso
            desaparece con el siguiente latido aceptado.
          </Alert>
        )}
        <Typography><b>Modo:</b> RADIUS (el router pregunta al servidor; el servicio no se conecta a su API)</Typography>
        <Typography><b>Dirección RADIUS:</b> {String(r.radius_direccion ?? 'sin latido aún')}</Typography>
        <Typography><b>Último latido:</b> {r.ultimo_latido ? <DateTimeText value={r.ultimo_latido} /> : 'ninguno'}</Typography>
        <Typography><b>Ubicación:</b> {String(r.ubicacion ?? '—')}</Typography>
        <Typography><b>Estado:</b> {r.activo ? 'Activo' : 'Inactivo'}</Typography>
        <Box sx={{ my: 2 }}><CambiarModo /></Box>
      </Box>
    );
  }
  return (
    <Box>
      {r.aviso_direccion && <Alert severity="error" sx={{ mb: 2 }} data-testid="aviso-direccion">{String(r.aviso_direccion)} Corrija la dirección con «Editar conexión».</Alert>}
      <Typography><b>Modo:</b> API</Typography>
      <Typography><b>Dirección:</b> {String(r.host)}:{String(r.puerto)} {r.tls ? '(API-SSL)' : ''}</Typography>
      <Typography><b>Usuario API:</b> {String(r.usuario)}</Typography>
      <Typography><b>Ubicación:</b> {String(r.ubicacion ?? '—')}</Typography>
      <Typography><b>Estado:</b> {r.activo ? 'Activo' : 'Inactivo'}</Typography>
      <Typography><b>Creado:</b> <DateTimeText value={r.creado_en} /></Typography>
      <EditarMiRouter />
      <ConnectionTest />
      <CambiarModo />
    </Box>
  );
}

function Perfiles() {
  const record = useRecordContext();
  const { data, error, loading } = useApiGet<any[]>(record ? `/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/mikrotik-profiles` : null);
  if (loading) return <LinearProgress />;
  if (error) return <LoadError error={error} what="Perfiles del router" />;
  return (
    <Box className="scroll-x">
      <Table size="small" data-testid="perfiles">
        <TableHead><TableRow><TableCell>Perfil</TableCell><TableCell>Sesión</TableCell><TableCell>Inactividad</TableCell><TableCell>Velocidad</TableCell><TableCell>Dispositivos</TableCell></TableRow></TableHead>
        <TableBody>
          {(data ?? []).map((p) => (
            <TableRow key={p.id}><TableCell>{p.name}</TableCell><TableCell>{formatRouterDuration(p.session_timeout)}</TableCell><TableCell>{formatRouterDuration(p.idle_timeout)}</TableCell>
              <TableCell>{p.rate_limit ?? '—'}</TableCell><TableCell>{p.shared_users ?? 'sin límite'}</TableCell></TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Online sessions, read live from the router: GET …/activos and POST …/activos/{id}/desconectar. */
function Activos() {
  const record = useRecordContext();
  const base = record ? `/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/activos` : null;
  const { data, error, loading, reload } = useApiGet<any>(base);
  if (loading) return <LinearProgress />;
  if (error) return <LoadError error={error} what="Sesiones activas" />;
  const rows: any[] = Array.isArray(data) ? data : (data?.activos ?? data?.sesiones ?? []);
  return (
    <Box className="scroll-x">
      <MuiButton size="small" onClick={reload} sx={{ mb: 1 }}>Actualizar</MuiButton>
      <Table size="small" data-testid="activos">
        <TableHead><TableRow><TableCell>Usuario</TableCell><TableCell>IP</TableCell><TableCell>MAC</TableCell><TableCell>Conectado</TableCell><TableCell>Tráfico</TableCell><TableCell /></TableRow></TableHead>
        <TableBody>
          {rows.map((s) => {
            const id = String(s.id ?? s['.id'] ?? s.session_id ?? '');
            return (
              <TableRow key={id || s.user}>
                <TableCell>{s.user ?? s.usuario}</TableCell><TableCell>{s.address ?? s.ip}</TableCell><TableCell>{s.mac_address ?? s['mac-address'] ?? s.mac ?? '—'}</TableCell>
                <TableCell>{s.uptime ?? '—'}</TableCell>
                <TableCell>{s.bytes_in !== undefined ? `${Math.round(Number(s.bytes_in) / 1e6)} / ${Math.round(Number(s.bytes_out) / 1e6)} MB` : '—'}</TableCell>
                <TableCell>
                  <ConfirmButton label="Desconectar" color="error" title="¿Desconectar esta sesión?"
                    content={<Typography>El dispositivo de <b>{s.user ?? s.usuario}</b> tendrá que volver a iniciar sesión.</Typography>}
                    onConfirm={() => request(`${base}/${encodeURIComponent(id)}/desconectar`, { method: 'POST' })}
                    success={(r) => r?.message ?? 'Sesión desconectada'} onDone={reload} />
                </TableCell>
              </TableRow>
            );
          })}
          {rows.length === 0 && <TableRow><TableCell colSpan={6}>No hay dispositivos conectados</TableCell></TableRow>}
        </TableBody>
      </Table>
    </Box>
  );
}

/** What the hotspot must let through before the customer pays, from this server's host and the company's gateways. */
export function walledGarden(apiHost: string, gateways: { conekta: boolean; mercadoPago: boolean }): string[] {
  const lines = [`/ip hotspot walled-garden ip add action=accept dst-host=${apiHost} comment="Pagos Hotspot API"`];
  if (gateways.conekta) {
    lines.push('/ip hotspot walled-garden ip add action=accept dst-host=cdn.conekta.io comment="Conekta.js"');
    lines.push('/ip hotspot walled-garden ip add action=accept dst-host=api.conekta.io comment="Conekta tokens"');
  }
  if (gateways.mercadoPago) {
    lines.push('/ip hotspot walled-garden ip add action=accept dst-host=sdk.mercadopago.com comment="Mercado Pago SDK"');
    lines.push('/ip hotspot walled-garden ip add action=accept dst-host=api.mercadopago.com comment="Mercado Pago API"');
    lines.push('/ip hotspot walled-garden add dst-host=*.mercadopago.com');
    lines.push('/ip hotspot walled-garden add dst-host=*.mlstatic.com');
  }
  return lines;
}

/**
 * GET …/portal.zip?regenerar=true|false: the portal/ folder with config.js filled for this router. Without
 * regenerar the key is a placeholder (the server keeps only its hash): X-Api-Key-Incluida says which.
 */
function Portal() {
  const record = useRecordContext();
  const { empresa } = useEmpresa();
  const notify = useNotify();
  const [regenerar, setRegenerar] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverLines, setServerLines] = useState<string[] | null>(null);
  if (!record) return null;
  const path = `/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/portal.zip`;
  const lines = serverLines ?? walledGarden(window.location.hostname, {
    conekta: empresa?.conekta_configurado !== false, mercadoPago: Boolean(empresa?.mercado_pago_configurado),
  });
  const fetchZip = async () => {
    setBusy(true);
    try {
      const res = await request<Response>(path, { query: { regenerar: regenerar ? 'true' : 'false' }, raw: true });
      const header = res.headers.get('x-walled-garden');
      if (header) setServerLines(decodeURIComponent(header).split(/\r?\n|\\n/).filter(Boolean));
      const origen = res.headers.get('x-api-key-origen') ?? (res.headers.get('x-api-key-incluida') === 'true' ? 'nueva' : 'ninguna');
      const blob = await res.blob();
      saveBlob(blob, `portal-${record.id}.zip`);
      notify(origen === 'nueva' ? 'Portal descargado con una API Key nueva; la anterior quedó revocada'
        : origen === 'actual' ? 'Portal descargado con la API Key actual del router: funciona tal como viene'
          : 'Portal descargado. config.js no trae la API Key: pegue la del router o descargue con una API Key nueva', { type: origen === 'ninguna' ? 'info' : 'success' });
    } catch (error) {
      notify(errorMessage(error), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box>
      <Typography gutterBottom>
        Descargue la página de inicio de sesión del hotspot con <code>config.js</code> ya lleno para este router, y súbala a la carpeta
        <code> hotspot/</code> del router (WinBox/WebFig → Files).
      </Typography>
      <FormControlLabel control={<Checkbox checked={regenerar} onChange={(e) => setRegenerar(e.target.checked)} />}
        label="Generar una API Key nueva (revoca la actual: el portal instalado deja de funcionar hasta subir el nuevo)" />
      <Box sx={{ my: 1 }}>
        {regenerar ? (
          <ConfirmButton label="Descargar portal (.zip)" icon={<DownloadIcon />} variant="contained" color="warning" title="¿Revocar la API Key actual?"
            content={<Typography>El portal que está instalado en el router dejará de funcionar hasta que suba el nuevo.</Typography>}
            onConfirm={fetchZip} success={() => '' /* fetchZip says what happened */} />
        ) : (
          <MuiButton variant="contained" startIcon={<DownloadIcon />} onClick={fetchZip} disabled={busy}>Descargar portal (.zip)</MuiButton>
        )}
      </Box>
      <Typography variant="h6" sx={{ mt: 2 }}>Walled garden</Typography>
      <Typography variant="body2" gutterBottom>Pegue estas líneas en la terminal del router para que el teléfono llegue al pago antes de conectarse:</Typography>
      <CopyField label="Líneas del walled garden" value={lines.join('\n')} multiline testId="walled-garden" />
    </Box>
  );
}

/** The router's trial (issue 24), applied on the device when saved. */
function PruebaTab() {
  const r = useRecordContext();
  const refresh = useRefresh();
  if (!r) return null;
  return (
    <PruebaEditor value={r.prueba} onSaved={refresh}
      save={(prueba) => request(`/api/v1/admin/mi-empresa/routers/${encodeURIComponent(String(r.id))}`, { method: 'PUT', body: { prueba } })} />
  );
}

/**
 * The one-paste setup (GET …/configuracion.rsc): the RouterOS script for this router, a copy button and the
 * steps in Spanish. In RADIUS mode the script carries the router's RADIUS secret and token, so it is fetched
 * only when asked for; each one carries download links for the portal files that expire in 30 minutes.
 */
export function Configuracion() {
  const record = useRecordContext();
  const notify = useNotify();
  const [regenerar, setRegenerar] = useState(false);
  const [state, setState] = useState<{ busy: boolean; script?: string; error?: string; withKey?: boolean }>({ busy: false });
  if (!record) return null;
  const radius = record.modo === 'radius';
  const generar = async () => {
    setState({ busy: true });
    try {
      const res = await request<Response>(`/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/configuracion.rsc`, {
        query: { regenerar: regenerar ? 'true' : 'false' }, raw: true,
      });
      setState({ busy: false, script: await res.text(), withKey: res.headers.get('x-api-key-incluida') === 'true' });
      if (regenerar) notify('Script generado con una API Key nueva; la anterior quedó revocada', { type: 'success' });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <Box data-testid="configuracion">
      <Typography variant="h6" gutterBottom>Configurar el router con un solo pegado</Typography>
      <Typography variant="body2" gutterBottom>
        Modo <b>{radius ? 'RADIUS' : 'API'}</b>: {radius
          ? 'el router pregunta a nuestro servidor RADIUS cada inicio de sesión; funciona detrás de NAT, sin IP pública.'
          : 'el servicio entra al router por la API de RouterOS; el router necesita una dirección que el servicio alcance.'}
      </Typography>
      <Box component="ol" sx={{ pl: 3, '& li': { mb: 0.5 } }}>
        <li>Use RouterOS 7{radius ? ' (7.15 o posterior: envía Message-Authenticator, que nuestro servidor exige; en la rama 6, 6.49.15 o posterior)' : ''}.
          El hotspot ya debe existir: si no, en la terminal ejecute <code>/ip hotspot setup</code>.</li>
        <li>Pulse <b>Generar script</b>. Los enlaces de descarga del portal que trae vencen en 30 minutos.</li>
        <li>Pulse <b>Copiar</b>, abra WinBox → <b>New Terminal</b> (o entre por SSH) y pegue todo el texto.
          Corre como una sola unidad: si al router le falta el menú hotspot, se detiene sin cambiar nada y dice por qué.</li>
        <li>Revise que al final diga <code>Pagos Hotspot: router … configurado.</code></li>
        {radius && <li>El router avisa a nuestro servidor cada minuto desde su dirección pública (latido). Si otro router
          ya usa esa misma dirección (CGNAT del proveedor), el panel lo indica: conecte este router por un túnel (WireGuard) o con una IP propia.</li>}
      </Box>
      {radius && (
        <Alert severity="warning" sx={{ my: 1 }}>
          El script trae el secreto RADIUS y el token de este router: no lo comparta. Si se filtran, rótelos (API: POST /api/v1/admin/routers/&lt;id&gt;/radius/rotar) y vuelva a pegar el script.
        </Alert>
      )}
      <FormControlLabel control={<Checkbox checked={regenerar} onChange={(e) => setRegenerar(e.target.checked)} />}
        label="Incluir una API Key nueva en config.js (revoca la actual: el portal instalado deja de funcionar hasta pegar el script)" />
      <Box sx={{ my: 1 }}>
        <MuiButton variant="contained" startIcon={state.busy ? <CircularProgress size={16} color="inherit" /> : <DownloadIcon />} onClick={generar} disabled={state.busy}>
          Generar script
        </MuiButton>
      </Box>
      {state.error && <Alert severity="error" sx={{ mt: 1 }}>{state.error}</Alert>}
      {state.script && (
        <>
          {!state.withKey && (
            <Alert severity="info" sx={{ my: 1 }}>
              config.js va sin la API Key (el servidor solo guarda su huella): edítelo en el router con la API Key, o genere el script con una API Key nueva.
            </Alert>
          )}
          <CopyField label="Script de configuración" value={state.script} multiline testId="script-configuracion" />
        </>
      )}
    </Box>
  );
}

export function RouterShow() {
  return (
    <Show resource="routers" queryOptions={useLoadError('routers')} title={<FunctionField render={(r: any) => String(r.nombre)} />}>
      <TabbedShowLayout>
        <Tab label="Resumen"><Resumen /></Tab>
        <Tab label="Perfiles" path="perfiles"><Perfiles /></Tab>
        <Tab label="Sesiones activas" path="activos"><Activos /></Tab>
        <Tab label="Portal" path="portal"><Portal /></Tab>
        <Tab label="Prueba gratuita" path="prueba"><PruebaTab /></Tab>
        <Tab label="Configuración" path="configuracion"><Configuracion /></Tab>
      </TabbedShowLayout>
    </Show>
  );
}

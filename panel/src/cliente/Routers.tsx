/** The company's routers: connection test, hotspot profiles, online sessions and the captive portal download. */
import { formatRouterDuration } from '../format';
import { useState } from 'react';
import {
  Alert, Box, Button as MuiButton, Checkbox, CircularProgress, FormControlLabel, LinearProgress, Table, TableBody, TableCell,
  TableHead, TableRow, Typography, useMediaQuery, type Theme,
} from '@mui/material';
import NetworkCheckIcon from '@mui/icons-material/NetworkCheck';
import DownloadIcon from '@mui/icons-material/Download';
import {
  BooleanField, Datagrid, FunctionField, List, Show, SimpleList, Tab, TabbedShowLayout, TextField, useNotify, useRecordContext,
} from 'react-admin';
import { request, saveBlob } from '../api';
import { ConfirmButton, CopyField, DateTimeText, NotAvailable, errorMessage, useApiGet, useEmpresa, useLoadError } from '../common';

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
          <FunctionField label="Dirección" render={(r: any) => `${r.host}:${r.puerto}${r.tls ? ' (SSL)' : ''}`} />
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

function Resumen() {
  const r = useRecordContext();
  if (!r) return null;
  return (
    <Box>
      <Typography><b>Dirección:</b> {String(r.host)}:{String(r.puerto)} {r.tls ? '(API-SSL)' : ''}</Typography>
      <Typography><b>Usuario API:</b> {String(r.usuario)}</Typography>
      <Typography><b>Ubicación:</b> {String(r.ubicacion ?? '—')}</Typography>
      <Typography><b>Estado:</b> {r.activo ? 'Activo' : 'Inactivo'}</Typography>
      <Typography><b>Creado:</b> <DateTimeText value={r.creado_en} /></Typography>
      <ConnectionTest />
    </Box>
  );
}

function Perfiles() {
  const record = useRecordContext();
  const { data, error, loading } = useApiGet<any[]>(record ? `/api/v1/admin/routers/${encodeURIComponent(String(record.id))}/mikrotik-profiles` : null);
  if (loading) return <LinearProgress />;
  if (error) return <NotAvailable error={error} />;
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
  if (error) return <NotAvailable error={error} what="Sesiones activas" />;
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
      const withKey = res.headers.get('x-api-key-incluida') === 'true';
      const blob = await res.blob();
      saveBlob(blob, `portal-${record.id}.zip`);
      notify(withKey ? 'Portal descargado con una API Key nueva; la anterior quedó revocada'
        : 'Portal descargado. config.js no trae la API Key: pegue la del router o descargue con una API Key nueva', { type: withKey ? 'success' : 'info' });
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
            onConfirm={fetchZip} success={() => 'Listo'} />
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

export function RouterShow() {
  return (
    <Show resource="routers" queryOptions={useLoadError('routers')} title={<FunctionField render={(r: any) => String(r.nombre)} />}>
      <TabbedShowLayout>
        <Tab label="Resumen"><Resumen /></Tab>
        <Tab label="Perfiles" path="perfiles"><Perfiles /></Tab>
        <Tab label="Sesiones activas" path="activos"><Activos /></Tab>
        <Tab label="Portal" path="portal"><Portal /></Tab>
      </TabbedShowLayout>
    </Show>
  );
}

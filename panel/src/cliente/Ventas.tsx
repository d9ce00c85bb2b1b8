/** Sales: filters, pages counted by the server, CSV export, one sale with its history, refund and retry. */
import { useState } from 'react';
import { Box, Card, CardContent, CardHeader, Grid, TextField, Typography, useMediaQuery, type Theme } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import UndoIcon from '@mui/icons-material/Undo';
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Button, Datagrid, DateInput, List, Pagination, ReferenceField, ReferenceInput, SelectInput, Show, SimpleList, TextField as RaTextField,
  TextInput, TopToolbar, FilterButton, useListContext, useNotify, useRecordContext, useRefresh, FunctionField, Labeled,
} from 'react-admin';
import { download, request } from '../api';
import { ventasQuery } from '../dataProvider';
import { formatDateTime, formatMoney } from '../format';
import { describirEvento, type Evento } from './historial';
import { choices, ESTADO_HOTSPOT, ESTADO_PAGO, METODO_PAGO, PASARELA } from '../i18n';
import { ConfirmButton, DateTimeText, EstadoField, MoneyField, TzDateField, errorMessage, useLoadError, useTz } from '../common';

const ventasFilters = [
  <DateInput key="desde" source="desde" label="Desde" alwaysOn />,
  <DateInput key="hasta" source="hasta" label="Hasta" alwaysOn />,
  <SelectInput key="estado_pago" source="estado_pago" label="Estado de pago" choices={choices(ESTADO_PAGO)} alwaysOn />,
  <SelectInput key="estado_hotspot" source="estado_hotspot" label="Estado del acceso" choices={choices(ESTADO_HOTSPOT)} />,
  <ReferenceInput key="router_id" source="router_id" reference="routers"><SelectInput label="Router" optionText="nombre" /></ReferenceInput>,
  <TextInput key="email" source="email" label="Cliente (correo)" />,
  <TextInput key="usuario" source="usuario" label="Usuario hotspot" />,
];

function ExportCsvButton() {
  const { filterValues } = useListContext();
  const tz = useTz();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button label="Exportar CSV" disabled={busy} onClick={async () => {
      setBusy(true);
      try {
        const name = await download('/api/v1/admin/mi-empresa/transacciones/export.csv', 'ventas.csv', { query: ventasQuery(filterValues, tz) });
        notify(`Descargado: ${name}`, { type: 'success' });
      } catch (error) {
        notify(errorMessage(error), { type: 'warning' });
      } finally {
        setBusy(false);
      }
    }}><DownloadIcon /></Button>
  );
}

export function VentasList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const tz = useTz();
  return (
    <List
      resource="ventas" title="Ventas" filters={ventasFilters} perPage={25} sort={{ field: 'creado_en', order: 'DESC' }}
      actions={<TopToolbar><FilterButton /><ExportCsvButton /></TopToolbar>} pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      queryOptions={{ meta: { tz } }}
      empty={false} debounce={400}
    >
      {isSmall ? (
        <SimpleList
          primaryText={(r) => `${r.cliente_nombre} · ${formatMoney(r.monto, r.moneda)} · ${METODO_PAGO[r.metodo_pago] ?? 'Tarjeta'}`}
          secondaryText={(r) => `${formatDateTime(r.creado_en, tz)} · ${r.hotspot_usuario}`}
          tertiaryText={(r) => ESTADO_PAGO[r.estado_pago] ?? r.estado_pago}
          linkType="show"
        />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TzDateField source="creado_en" label="Fecha" sortable={false} />
          <RaTextField source="cliente_nombre" label="Cliente" sortable={false} />
          <RaTextField source="producto_nombre" label="Producto" sortable={false} />
          <MoneyField source="monto" label="Monto" sortable={false} />
          <FunctionField label="Método" sortable={false} render={(r: any) => <span data-testid="venta-metodo">{METODO_PAGO[r.metodo_pago] ?? 'Tarjeta'}</span>} />
          <EstadoField source="estado_pago" kind="pago" label="Pago" sortable={false} />
          <EstadoField source="estado_hotspot" kind="hotspot" label="Acceso" sortable={false} />
          <RaTextField source="hotspot_usuario" label="Usuario" sortable={false} />
          <ReferenceField source="router_id" reference="routers" link={false} sortable={false} label="Router"><RaTextField source="nombre" /></ReferenceField>
        </Datagrid>
      )}
    </List>
  );
}

function RefundButton() {
  const record = useRecordContext();
  const refresh = useRefresh();
  const [motivo, setMotivo] = useState('');
  if (!record || record.estado_pago !== 'paid') return null;
  return (
    <ConfirmButton
      label="Reembolsar" color="error" icon={<UndoIcon />} title="¿Reembolsar esta venta?"
      content={<Typography gutterBottom>Se devolverán {formatMoney(record.monto, record.moneda)} a la tarjeta de {record.cliente_nombre} y su usuario hotspot <b>{record.hotspot_usuario}</b> será deshabilitado. No se puede deshacer.</Typography>}
      extra={<TextField label="Motivo (opcional)" fullWidth margin="dense" value={motivo} onChange={(e) => setMotivo(e.target.value)} slotProps={{ htmlInput: { maxLength: 200 } }} />}
      confirmLabel="Sí, reembolsar"
      onConfirm={() => request(`/api/v1/admin/mi-empresa/transacciones/${encodeURIComponent(String(record.id))}/reembolso`, {
        method: 'POST', body: motivo.trim() ? { motivo: motivo.trim() } : {},
      })}
      onDone={() => refresh()}
    />
  );
}

function RetryButton() {
  const record = useRecordContext();
  const refresh = useRefresh();
  if (!record || record.estado_hotspot !== 'failed') return null;
  return (
    <ConfirmButton
      label="Reintentar acceso" icon={<ReplayIcon />} title="¿Reintentar la creación del usuario?"
      content={<Typography>Se volverá a crear el usuario <b>{record.hotspot_usuario}</b> en el router. El cliente no paga de nuevo.</Typography>}
      onConfirm={() => request(`/api/v1/admin/mi-empresa/transacciones/${encodeURIComponent(String(record.id))}/reintentar`, { method: 'POST' })}
      onDone={() => refresh()}
    />
  );
}

function Eventos() {
  const record = useRecordContext();
  const tz = useTz();
  const eventos: Evento[] = Array.isArray(record?.eventos) ? record!.eventos : [];
  // A receipt: one entry per event, in words, wrapping on a phone (no table to scroll sideways).
  return (
    <Card sx={{ mt: 2 }}>
      <CardHeader title="Historial" slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        <Box component="ol" data-testid="eventos" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {eventos.map((e, i) => {
            const d = describirEvento(e);
            return (
              <Box component="li" key={i} data-testid="evento" sx={{ py: 1, borderTop: i ? 1 : 0, borderColor: 'divider', overflowWrap: 'anywhere' }}>
                <Typography variant="caption" color="text.secondary" component="div">{formatDateTime(e.creado_en, tz, true)}</Typography>
                <Typography variant="body2" component="div" sx={{ fontWeight: 600 }}>
                  {d.titulo}{d.cambio && <Typography component="span" variant="body2" color="text.secondary" sx={{ fontWeight: 400 }}> · {d.cambio}</Typography>}
                </Typography>
                {d.lineas.map((l, j) => <Typography key={j} variant="body2" color="text.secondary" component="div">{l}</Typography>)}
              </Box>
            );
          })}
          {eventos.length === 0 && <Typography component="li" variant="body2">Sin eventos</Typography>}
        </Box>
      </CardContent>
    </Card>
  );
}

const F = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Grid size={{ xs: 12, sm: 6, md: 4 }}><Labeled label={label}><Box component="span">{children}</Box></Labeled></Grid>
);

function VentaDetalle() {
  const r = useRecordContext();
  if (!r) return null;
  // A declined (or expired) sale never gets its user: no credentials shown as if they were coming.
  const sinAcceso = (r.estado_pago === 'declined' || r.estado_pago === 'expired') && !r.activado_en;
  return (
    <Box>
      <Card>
        <CardContent>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
            <Typography variant="h6" sx={{ mr: 'auto' }} data-testid="venta-id">{String(r.id)}</Typography>
            <EstadoField source="estado_pago" kind="pago" />
            {!sinAcceso && <EstadoField source="estado_hotspot" kind="hotspot" />}
            <RefundButton />
            <RetryButton />
          </Box>
          <Grid container spacing={1}>
            <F label="Fecha"><DateTimeText value={r.creado_en} /></F>
            <F label="Monto"><MoneyField source="monto" /></F>
            <F label="Producto">{r.producto_nombre} ({r.perfil_mikrotik_nombre})</F>
            <F label="Cliente">{r.cliente_nombre}</F>
            <F label="Correo">{r.cliente_email}</F>
            <F label="Teléfono">{r.cliente_telefono ?? '—'}</F>
            {sinAcceso ? (
              <F label="Acceso">Sin acceso: {r.estado_pago === 'declined' ? 'el pago fue rechazado' : 'la venta no se pagó'}</F>
            ) : (
              <>
                <F label="Usuario hotspot">{r.hotspot_usuario}</F>
                <F label="Contraseña hotspot">{r.hotspot_password ?? '—'}</F>
                <F label="Expira"><DateTimeText value={r.hotspot_expira_en} /></F>
              </>
            )}
            <F label="Método de pago"><span data-testid="venta-detalle-metodo">{METODO_PAGO[r.metodo_pago] ?? 'Tarjeta'}</span></F>
            {r.referencia_pago && <F label={r.metodo_pago === 'spei' ? 'Referencia SPEI' : 'Referencia de pago'}>{r.referencia_pago}</F>}
            <F label="Pasarela">{PASARELA[r.gateway] ?? r.gateway} {r.gateway_id ? `· ${r.gateway_id}` : ''}</F>
            <F label="MAC / IP">{r.cliente_mac ?? '—'} / {r.cliente_ip ?? '—'}</F>
            <F label="Router"><ReferenceField source="router_id" reference="routers" link="show"><RaTextField source="nombre" /></ReferenceField></F>
            <F label="Pagada"><DateTimeText value={r.pagado_en} /></F>
            <F label="Activada"><DateTimeText value={r.activado_en} /></F>
            <F label="Intentos de aprovisionamiento">{r.intentos_aprovisionamiento}</F>
            {r.decline_message && <F label="Motivo del rechazo">{r.decline_message}</F>}
            {r.ultimo_error && <F label="Último error">{r.ultimo_error}</F>}
            {r.requiere_revision && <F label="Requiere revisión">{r.requiere_revision}</F>}
          </Grid>
        </CardContent>
      </Card>
      <Eventos />
    </Box>
  );
}

export function VentaShow() {
  return (
    <Show resource="ventas" queryOptions={useLoadError('ventas')} title={<FunctionField render={(r: any) => `Venta ${r.id}`} />} component="div">
      <VentaDetalle />
    </Show>
  );
}

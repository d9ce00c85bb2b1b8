/**
 * The company's dashboard: today, this week and this month (card, cash and
 * SPEI revenue apart, sales, declines, failed provisionings) and daily revenue
 * for the last 30 days, all computed by the server (GET /mi-empresa/dashboard,
 * in the company's time zone): the browser adds nothing up.
 */
import { Alert, Box, Card, CardContent, CardHeader, Grid, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, RecordContextProvider, Title } from 'react-admin';
import { formatCents, formatDay, plural, toCents, timeZoneName } from '../format';
import { ESTADO_PAGO } from '../i18n';
import { DateTimeText, EstadoField, errorMessage, useApiGet, useEmpresa } from '../common';
import type { ResponseOf } from '../api';

/** GET /mi-empresa/dashboard as /openapi.json declares it (panel/src/api-types.ts). */
type Tablero = ResponseOf<'/api/v1/admin/mi-empresa/dashboard'>;
type Periodo = Tablero['periodos']['hoy'];

const cents = (m: Record<string, string>) => Object.fromEntries(Object.entries(m ?? {}).map(([cur, v]) => [cur, toCents(v)]));

const moneyLines = (m: Record<string, number>) => {
  const entries = Object.entries(m).filter(([, c]) => c !== 0);
  return entries.length ? entries.map(([cur, c]) => formatCents(c, cur)).join(' · ') : formatCents(0, 'MXN');
};

function PeriodCard({ title, p, testId }: { title: string; p: Periodo; testId: string }) {
  const f = {
    tarjeta: cents(p.ingresos_tarjeta), efectivo: cents(p.ingresos_efectivo), spei: cents(p.ingresos_spei),
    ventas: p.ventas, declinadas: p.declinadas, fallidas: p.aprovisionamientos_fallidos,
  };
  return (
    <Card data-testid={testId} sx={{ height: '100%' }}>
      <CardHeader title={title} slotProps={{ title: { variant: 'h6' } }} sx={{ pb: 0 }} />
      <CardContent>
        <Typography variant="body2" color="text.secondary">Ingresos con tarjeta</Typography>
        <Typography variant="h5" data-testid={`${testId}-tarjeta`}>{moneyLines(f.tarjeta)}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>Ingresos en efectivo</Typography>
        <Typography variant="h6">{moneyLines(f.efectivo)}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>Transferencias SPEI</Typography>
        <Typography variant="h6" data-testid={`${testId}-spei`}>{moneyLines(f.spei)}</Typography>
        <Box sx={{ display: 'flex', gap: 2, mt: 1, flexWrap: 'wrap' }}>
          <span><b data-testid={`${testId}-ventas`}>{f.ventas}</b> {plural(f.ventas, 'venta', 'ventas')}</span>
          <span data-testid={`${testId}-declinadas`}><b>{f.declinadas}</b> {plural(f.declinadas, 'declinada', 'declinadas')}</span>
          <span><b>{f.fallidas}</b> {plural(f.fallidas, 'acceso fallido', 'accesos fallidos')}</span>
        </Box>
      </CardContent>
    </Card>
  );
}

/** Daily revenue as an SVG bar chart (no chart library, nothing inline that CSP would refuse). */
export function RevenueChart({ daily, emptyText = 'Sin ingresos' }: { daily: Array<{ day: string; cents: Record<string, number> }>; emptyText?: string }) {
  const currencies = [...new Set(daily.flatMap((d) => Object.keys(d.cents)))];
  const currency = currencies[0] ?? 'MXN';
  const values = daily.map((d) => d.cents[currency] ?? 0);
  const max = Math.max(1, ...values);
  const w = 640; const h = 200; const pad = 24;
  const bw = (w - pad) / Math.max(1, daily.length);
  return (
    <Box>
      <svg viewBox={`0 0 ${w} ${h + 24}`} width="100%" role="img" aria-label={`Ingresos diarios en ${currency}`} data-testid="grafica-ingresos">
        <line x1={pad} y1={h} x2={w} y2={h} stroke="#9e9e9e" />
        {daily.map((d, i) => {
          const v = d.cents[currency] ?? 0;
          const bh = (v / max) * (h - 20);
          return (
            <g key={d.day}>
              <rect x={pad + i * bw + 2} y={h - bh} width={Math.max(2, bw - 4)} height={bh} fill="#1565c0" rx={2}>
                <title>{`${formatDay(d.day)}: ${formatCents(v, currency)}`}</title>
              </rect>
              {(daily.length <= 10 || i % 5 === 0 || i === daily.length - 1) && (
                <text x={pad + i * bw + bw / 2} y={h + 16} fontSize="11" textAnchor="middle" fill="#616161">{Number(d.day.slice(8))}</text>
              )}
            </g>
          );
        })}
        {max > 1 && <text x={pad} y={12} fontSize="11" fill="#616161">máx. {formatCents(max, currency)}</text>}
        {max <= 1 && <text x={w / 2} y={h / 2} fontSize="13" textAnchor="middle" fill="#9e9e9e">{emptyText}</text>}
      </svg>
      {currencies.length > 1 && <Typography variant="caption">Se grafica {currency}; hay ventas en otras monedas.</Typography>}
    </Box>
  );
}

export function ClienteDashboard() {
  const { tz, empresa } = useEmpresa();
  // Keyed by the zone: a change of zone on "Mi empresa" re-asks the server, which counts the periods in it.
  const { data, error, loading } = useApiGet<Tablero>('/api/v1/admin/mi-empresa/dashboard', [tz]);
  const ultimas: any[] = data?.ultimas_ventas ?? [];
  const daily = (data?.ingresos_diarios ?? []).map((d) => ({ day: d.fecha, cents: cents(d.total) }));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Tablero" />
      <Typography variant="h5" component="h1" gutterBottom>{empresa?.nombre ?? data?.empresa?.nombre ?? 'Mi empresa'}</Typography>
      {loading && <LinearProgress />}
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {data && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Hoy" p={data.periodos.hoy} testId="periodo-hoy" /></Grid>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Esta semana" p={data.periodos.semana} testId="periodo-semana" /></Grid>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Este mes" p={data.periodos.mes} testId="periodo-mes" /></Grid>
          <Grid size={{ xs: 12, md: 8 }}>
            <Card><CardHeader title="Ingresos diarios, últimos 30 días" slotProps={{ title: { variant: 'h6' } }} />
              <CardContent><RevenueChart daily={daily} emptyText="Sin ingresos en los últimos 30 días" /></CardContent></Card>
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <Card sx={{ height: '100%' }}>
              <CardHeader title="Resumen" slotProps={{ title: { variant: 'h6' } }} />
              <CardContent>
                {data.transacciones && <Typography>Transacciones totales: <b>{data.transacciones.total}</b></Typography>}
                {data.routers && <Typography>Routers activos: <b>{data.routers.activos}</b> de {data.routers.total}</Typography>}
                {data.productos && <Typography>Productos activos: <b>{data.productos.activos}</b> de {data.productos.total}</Typography>}
                {data.pruebas && (
                  <Typography data-testid="pruebas-iniciadas">
                    Pruebas gratis iniciadas: <b>{data.pruebas.hoy}</b> hoy · {data.pruebas.semana} esta semana · {data.pruebas.mes} este mes
                    {!data.pruebas.completo && <Typography component="span" variant="caption" color="warning.main"> (algún router no respondió: conteo incompleto)</Typography>}
                  </Typography>
                )}
                <Typography variant="caption" color="text.secondary">Horario: {timeZoneName(tz)}</Typography>
              </CardContent>
            </Card>
          </Grid>
        </Grid>
      )}
      {ultimas.length > 0 && (
        <Card sx={{ mt: 2 }}>
          <CardHeader title="Últimas ventas" slotProps={{ title: { variant: 'h6' } }} />
          <Box className="scroll-x"><Table size="small">
            <TableHead><TableRow><TableCell>Fecha</TableCell><TableCell>Cliente</TableCell><TableCell>Monto</TableCell><TableCell>Pago</TableCell></TableRow></TableHead>
            <TableBody>
              {ultimas.slice(0, 10).map((v) => (
                <RecordContextProvider key={v.id} value={v}>
                  <TableRow>
                    <TableCell><Link to={`/ventas/${v.id}/show`}><DateTimeText value={v.creado_en ?? v.fecha} /></Link></TableCell>
                    <TableCell>{v.cliente_nombre ?? '—'}</TableCell>
                    <TableCell>{v.monto ? formatCents(toCents(v.monto), v.moneda ?? 'MXN') : '—'}</TableCell>
                    <TableCell>{v.estado_pago ? <EstadoField source="estado_pago" kind="pago" /> : ESTADO_PAGO[v.estado] ?? v.estado}</TableCell>
                  </TableRow>
                </RecordContextProvider>
              ))}
            </TableBody>
          </Table></Box>
        </Card>
      )}
    </Box>
  );
}

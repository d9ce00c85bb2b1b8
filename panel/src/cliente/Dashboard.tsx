/**
 * The company's dashboard: today, this week and this month (card and cash
 * revenue apart, sales, declines, failed provisionings) and daily revenue.
 *
 * When GET /mi-empresa/dashboard carries per-period figures (`periodos.hoy`,
 * `.semana`, `.mes`, `ingresos_diarios`) they are used as they are; otherwise
 * they are computed here from the month's sales (the same list endpoint the
 * sales screen uses), in the company's time zone.
 */
import { useEffect, useState } from 'react';
import { Alert, Box, Card, CardContent, CardHeader, Grid, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, Title } from 'react-admin';
import { request } from '../api';
import { addDays, dayIn, formatCents, formatDay, periodStarts, plural, startOfDayIn, toCents, timeZoneName } from '../format';
import { ESTADO_PAGO } from '../i18n';
import { DateTimeText, EstadoField, useEmpresa } from '../common';
import { RecordContextProvider } from 'react-admin';

interface Figures {
  tarjeta: Record<string, number>; // cents by currency
  efectivo: Record<string, number>;
  spei: Record<string, number>;
  ventas: number;
  declinadas: number;
  fallidas: number;
}
const empty = (): Figures => ({ tarjeta: {}, efectivo: {}, spei: {}, ventas: 0, declinadas: 0, fallidas: 0 });

const CASH = new Set(['efectivo', 'oxxo', 'paycash', 'cash', 'ficha', 'fichas']);
const REVENUE = new Set(['paid', 'approved']);
const MAX_PAGES = 20; // 20 × 200 sales per month are read at most; beyond that the figures say so

interface Venta { creado_en: string; pagado_en?: string | null; monto: string; moneda: string; gateway?: string; metodo?: string; metodo_pago?: string; estado_pago: string; estado_hotspot: string }

function fromServer(p: any): Figures | null {
  if (!p || typeof p !== 'object') return null;
  const money = (v: any): Record<string, number> => {
    if (v === undefined || v === null) return {};
    if (typeof v === 'string' || typeof v === 'number') return { MXN: toCents(v) };
    return Object.fromEntries(Object.entries(v).map(([cur, x]: [string, any]) => [cur, toCents(typeof x === 'object' ? x?.total : x)]));
  };
  return {
    tarjeta: money(p.ingresos_tarjeta ?? p.tarjeta), efectivo: money(p.ingresos_efectivo ?? p.efectivo), spei: money(p.ingresos_spei ?? p.spei),
    ventas: Number(p.ventas ?? p.transacciones_pagadas ?? 0), declinadas: Number(p.declinadas ?? p.declinaciones ?? 0),
    fallidas: Number(p.aprovisionamientos_fallidos ?? p.fallidas ?? 0),
  };
}

function useDashboard(tz: string) {
  const [state, setState] = useState<{ loading: boolean; error?: string; server?: any; periods?: Record<string, Figures>; daily?: Array<{ day: string; cents: Record<string, number> }>; truncated?: boolean; last30?: boolean }>({ loading: true });
  useEffect(() => {
    let live = true;
    (async () => {
      const server = await request('/api/v1/admin/mi-empresa/dashboard').catch((e: Error) => ({ __error: e.message }));
      if (!live) return;
      if ((server as any).__error) { setState({ loading: false, error: (server as any).__error }); return; }
      const starts = periodStarts(tz);
      const sp = (server as any).periodos;
      if (sp?.hoy && sp?.semana && sp?.mes && Array.isArray((server as any).ingresos_diarios)) {
        setState({
          loading: false, server, last30: true,
          periods: { hoy: fromServer(sp.hoy)!, semana: fromServer(sp.semana)!, mes: fromServer(sp.mes)! },
          daily: (server as any).ingresos_diarios.map((d: any) => ({ day: d.fecha ?? d.dia, cents: fromServer({ tarjeta: d.total ?? d.ingresos })!.tarjeta })),
        });
        return;
      }
      // Computed from the sales of the month (and the week, which may start in the previous month).
      const from = starts.week < starts.month ? starts.week : starts.month;
      const desde = startOfDayIn(from, tz).toISOString();
      const rows: Venta[] = [];
      let cursor: string | null = null;
      let pages = 0;
      try {
        do {
          const page: { transacciones: Venta[]; next_cursor: string | null } = await request('/api/v1/admin/mi-empresa/transacciones', { query: { desde, limit: 200, cursor: cursor ?? undefined } });
          rows.push(...page.transacciones);
          cursor = page.next_cursor;
          pages += 1;
        } while (cursor && pages < MAX_PAGES && live);
      } catch (e) {
        if (live) setState({ loading: false, server, error: (e as Error).message });
        return;
      }
      if (!live) return;
      const periods: Record<string, Figures> = { hoy: empty(), semana: empty(), mes: empty() };
      const byDay = new Map<string, Record<string, number>>();
      for (let d = starts.month; d <= starts.today; d = addDays(d, 1)) byDay.set(d, {});
      for (const v of rows) {
        const day = dayIn(new Date(v.creado_en), tz);
        const inPeriods = [day === starts.today && 'hoy', day >= starts.week && 'semana', day >= starts.month && 'mes'].filter(Boolean) as string[];
        const metodo = String(v.metodo_pago ?? v.metodo ?? v.gateway ?? '').toLowerCase();
        const cash = CASH.has(metodo);
        for (const p of inPeriods) {
          const f = periods[p]!;
          if (REVENUE.has(v.estado_pago)) {
            const bucket = metodo === 'spei' ? f.spei : cash ? f.efectivo : f.tarjeta;
            bucket[v.moneda] = (bucket[v.moneda] ?? 0) + toCents(v.monto);
            f.ventas += 1;
          }
          if (v.estado_pago === 'declined') f.declinadas += 1;
          if (v.estado_hotspot === 'failed') f.fallidas += 1;
        }
        if (REVENUE.has(v.estado_pago) && byDay.has(day)) {
          const c = byDay.get(day)!;
          c[v.moneda] = (c[v.moneda] ?? 0) + toCents(v.monto);
        }
      }
      setState({ loading: false, server, periods, daily: [...byDay].map(([day, cents]) => ({ day, cents })), truncated: Boolean(cursor) });
    })();
    return () => { live = false; };
  }, [tz]);
  return state;
}

const moneyLines = (m: Record<string, number>) => {
  const entries = Object.entries(m).filter(([, c]) => c !== 0);
  return entries.length ? entries.map(([cur, c]) => formatCents(c, cur)).join(' · ') : formatCents(0, 'MXN');
};

function PeriodCard({ title, f, testId }: { title: string; f: Figures; testId: string }) {
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
export function RevenueChart({ daily, emptyText = 'Sin ingresos este mes' }: { daily: Array<{ day: string; cents: Record<string, number> }>; emptyText?: string }) {
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
  const state = useDashboard(tz);
  const server = state.server ?? {};
  const ultimas: any[] = Array.isArray(server.ultimas_ventas) ? server.ultimas_ventas : [];
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Tablero" />
      <Typography variant="h5" component="h1" gutterBottom>{empresa?.nombre ?? server.empresa?.nombre ?? 'Mi empresa'}</Typography>
      {state.loading && <LinearProgress />}
      {state.error && <Alert severity="error">{state.error}</Alert>}
      {state.truncated && <Alert severity="warning" sx={{ mb: 1 }}>Hay más ventas de las que se resumen aquí; las cifras del mes son parciales.</Alert>}
      {state.periods && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Hoy" f={state.periods.hoy!} testId="periodo-hoy" /></Grid>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Esta semana" f={state.periods.semana!} testId="periodo-semana" /></Grid>
          <Grid size={{ xs: 12, md: 4 }}><PeriodCard title="Este mes" f={state.periods.mes!} testId="periodo-mes" /></Grid>
          <Grid size={{ xs: 12, md: 8 }}>
            <Card><CardHeader title={state.last30 ? 'Ingresos diarios, últimos 30 días' : 'Ingresos diarios del mes'} slotProps={{ title: { variant: 'h6' } }} />
              <CardContent><RevenueChart daily={state.daily ?? []} emptyText={state.last30 ? 'Sin ingresos en los últimos 30 días' : undefined} /></CardContent></Card>
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <Card sx={{ height: '100%' }}>
              <CardHeader title="Resumen" slotProps={{ title: { variant: 'h6' } }} />
              <CardContent>
                {server.transacciones && <Typography>Transacciones totales: <b>{server.transacciones.total}</b></Typography>}
                {server.routers && <Typography>Routers activos: <b>{server.routers.activos}</b> de {server.routers.total}</Typography>}
                {server.productos && <Typography>Productos activos: <b>{server.productos.activos}</b> de {server.productos.total}</Typography>}
                {server.pruebas && (
                  <Typography data-testid="pruebas-iniciadas">
                    Pruebas gratis iniciadas: <b>{server.pruebas.hoy}</b> hoy · {server.pruebas.semana} esta semana · {server.pruebas.mes} este mes
                    {!server.pruebas.completo && <Typography component="span" variant="caption" color="warning.main"> (algún router no respondió: conteo incompleto)</Typography>}
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

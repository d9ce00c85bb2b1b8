/** Pieces every screen shares: the company's time zone, money and date fields, copy buttons, confirmed actions. */
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, TextField, Tooltip } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useDataProvider, useNotify, usePermissions, useRecordContext, useRedirect, type ButtonProps } from 'react-admin';
import { ApiError } from '../api';
import type { ApiDataProvider } from '../dataProvider';
import { DEFAULT_TZ, formatDateTime, formatMoney, validTimeZone } from '../format';
import { ESTADO_HOTSPOT, ESTADO_PAGO } from '../i18n';

// ---------------------------------------------------------------------------
// The company (cliente_admin): its time zone and what the panel shows of it
// ---------------------------------------------------------------------------

export interface Empresa { id: string; nombre: string; zona_horaria?: string; [k: string]: unknown }
interface EmpresaState { empresa: Empresa | null; tz: string; reload: () => void }
const EmpresaContext = createContext<EmpresaState>({ empresa: null, tz: DEFAULT_TZ, reload: () => undefined });

export function EmpresaProvider({ children }: { children: ReactNode }) {
  const { permissions } = usePermissions();
  const { data, reload } = useApiGet<Empresa>(permissions === 'cliente_admin' ? '/api/v1/admin/mi-empresa' : null);
  const empresa = permissions === 'cliente_admin' ? data ?? null : null;
  const tz = validTimeZone(empresa?.zona_horaria);
  return <EmpresaContext.Provider value={{ empresa, tz, reload }}>{children}</EmpresaContext.Provider>;
}

export const useEmpresa = () => useContext(EmpresaContext);
export const useTz = () => useContext(EmpresaContext).tz;

// ---------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------

export function DateTimeText({ value }: { value: unknown }) {
  const tz = useTz();
  return <span title={tz}>{formatDateTime(value, tz)}</span>;
}

export function TzDateField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  return <DateTimeText value={record?.[source]} />;
}

export function MoneyField({ source, currencySource = 'moneda' }: { source: string; currencySource?: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  if (!record) return null;
  return <span>{formatMoney(record[source], String(record[currencySource] ?? 'MXN'))}</span>;
}

const PAGO_COLOR: Record<string, 'success' | 'error' | 'warning' | 'default' | 'info'> = {
  paid: 'success', declined: 'error', unknown: 'warning', pending: 'info', expired: 'default', refunded: 'default', charged_back: 'error',
};
const HOTSPOT_COLOR: Record<string, 'success' | 'error' | 'warning' | 'default' | 'info'> = {
  active: 'success', failed: 'error', provisioning: 'info', pending: 'warning', disabled: 'default', expired: 'default',
};

export function EstadoField({ source, kind }: { source: string; kind: 'pago' | 'hotspot'; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const v = String(record?.[source] ?? '');
  if (!v) return null;
  const labels = kind === 'pago' ? ESTADO_PAGO : ESTADO_HOTSPOT;
  const colors = kind === 'pago' ? PAGO_COLOR : HOTSPOT_COLOR;
  return <Chip size="small" label={labels[v] ?? v} color={colors[v] ?? 'default'} data-estado={v} />;
}

// ---------------------------------------------------------------------------
// Copy to the clipboard (works on plain http too, where navigator.clipboard is missing)
// ---------------------------------------------------------------------------

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through */ }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}

export function CopyButton({ text, label = 'Copiar' }: { text: string; label?: string }) {
  const notify = useNotify();
  return (
    <Tooltip title={label}>
      <IconButton aria-label={label} size="small" onClick={async () => {
        notify((await copyText(text)) ? 'Copiado al portapapeles' : 'No se pudo copiar: selecciónelo y cópielo a mano', { type: 'info' });
      }}>
        <ContentCopyIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

/** A read-only value with a copy button (webhook URLs, keys shown once). */
export function CopyField({ label, value, testId, multiline }: { label: string; value: string; testId?: string; multiline?: boolean }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, my: 1 }}>
      <TextField
        label={label} value={value} fullWidth size="small" multiline={multiline} minRows={multiline ? 3 : undefined}
        slotProps={{ input: { readOnly: true, sx: { fontFamily: 'monospace', fontSize: 13 } }, htmlInput: { 'data-testid': testId } }}
        onFocus={(e) => (e.target as HTMLInputElement).select()}
      />
      <CopyButton text={value} label={`Copiar ${label.toLowerCase()}`} />
    </Box>
  );
}

// ---------------------------------------------------------------------------
// Actions: a confirmation, the call, the API's Spanish answer
// ---------------------------------------------------------------------------

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Ocurrió un error inesperado';
}

export function ConfirmButton(props: {
  label: string; title: string; content: ReactNode; confirmLabel?: string; color?: ButtonProps['color'];
  icon?: ReactNode; disabled?: boolean; variant?: 'text' | 'outlined' | 'contained';
  extra?: ReactNode; onConfirm: () => Promise<unknown>; onDone?: (result: any) => void; success?: (result: any) => string;
  /** What the toast says when the API answers no message ("Ficha anulada"). */
  done?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const run = async () => {
    setBusy(true);
    try {
      const result = await props.onConfirm();
      // What happened, specifically: the caller's words, the API's message, or `done`; '' when the action tells it itself.
      const text = props.success ? props.success(result) : (result as { message?: string })?.message ?? props.done ?? `${props.label}: hecho`;
      if (text) notify(text, { type: 'success' });
      setOpen(false);
      props.onDone?.(result);
    } catch (error) {
      notify(errorMessage(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" variant={props.variant ?? 'outlined'} color={props.color ?? 'primary'} startIcon={props.icon} disabled={props.disabled}
        onClick={() => setOpen(true)}>{props.label}</Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} maxWidth="sm" fullWidth>
        <DialogTitle>{props.title}</DialogTitle>
        <DialogContent>{props.content}{props.extra}</DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>Cancelar</Button>
          <Button onClick={run} disabled={busy} variant="contained" color={props.color ?? 'primary'}>{props.confirmLabel ?? props.label}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** Why a screen could not load, in the API's words. */
export function LoadError({ error, what }: { error: unknown; what?: string }) {
  return <Alert severity="error" data-testid="error-carga">{what ? `${what}: ` : ''}{errorMessage(error)}</Alert>;
}

/**
 * One GET of the API through react-admin's data provider and react-query
 * (the client react-admin bundles): cached per path, refetched on `reload()`,
 * errors kept to show, not thrown. `path` null: nothing is fetched.
 */
export function useApiGet<T>(path: string | null, deps: unknown[] = []) {
  const dataProvider = useDataProvider<ApiDataProvider>();
  const query = useQuery<T>({
    queryKey: ['api', path, ...deps],
    queryFn: ({ signal }) => dataProvider.get<T>(path!, signal),
    enabled: Boolean(path),
    retry: false,
  });
  return { data: query.data, error: query.error ?? undefined, loading: query.isFetching && query.data === undefined, reload: () => { void query.refetch(); } };
}

/**
 * A create or edit form's mutation options: a toast that says what was saved
 * ("Empresa creada: …") instead of react-admin's generic one, then where to go;
 * errors in the API's words.
 */
export function useSaved(resource: string, message: (data: any) => string, to: 'show' | 'list' | 'edit' = 'show') {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onSuccess: (data: any) => {
      notify(message(data), { type: 'success' });
      redirect(to, resource, data?.id, data);
    },
    onError: (error: unknown) => notify(errorMessage(error), { type: 'error' }),
  };
}

/** Show/Edit pages: a record that cannot be loaded says why, in the API's words, then goes back to the list. */
export function useLoadError(resource: string) {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onError: (error: unknown) => {
      notify(errorMessage(error), { type: 'error' });
      redirect('list', resource);
    },
  };
}

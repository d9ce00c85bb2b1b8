/** Pieces every screen shares: the company's time zone, money and date fields, copy buttons, confirmed actions. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, TextField, Tooltip } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useNotify, usePermissions, useRecordContext, useRedirect, type ButtonProps } from 'react-admin';
import { ApiError, request } from '../api';
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
  const [empresa, setEmpresa] = useState<Empresa | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (permissions !== 'cliente_admin') { setEmpresa(null); return; }
    let live = true;
    request<Empresa>('/api/v1/admin/mi-empresa').then((e) => { if (live) setEmpresa(e); }, () => undefined);
    return () => { live = false; };
  }, [permissions, version]);
  const tz = validTimeZone(empresa?.zona_horaria);
  return <EmpresaContext.Provider value={{ empresa, tz, reload: () => setVersion((v) => v + 1) }}>{children}</EmpresaContext.Provider>;
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
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const run = async () => {
    setBusy(true);
    try {
      const result = await props.onConfirm();
      notify(props.success ? props.success(result) : (result as { message?: string })?.message ?? 'Listo', { type: 'success' });
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

/** A screen whose endpoint may not exist yet on this server. */
export function NotAvailable({ error, what }: { error: unknown; what?: string }) {
  if (error instanceof ApiError && error.missing) {
    return <Alert severity="info" data-testid="no-disponible">{what ? `${what}: ` : ''}{error.message}</Alert>;
  }
  return <Alert severity="error">{errorMessage(error)}</Alert>;
}

/** Loads one GET on mount (and on `reload()`); errors are kept to show, not thrown. */
export function useApiGet<T>(path: string | null, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: Boolean(path) });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    request<T>(path, { signal: controller.signal }).then(
      (data) => setState({ data, loading: false }),
      (error) => { if ((error as Error).name !== 'AbortError') setState({ error, loading: false }); },
    );
    return () => controller.abort();
  }, [path, version, ...deps]);
  return { ...state, reload: () => setVersion((v) => v + 1) };
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

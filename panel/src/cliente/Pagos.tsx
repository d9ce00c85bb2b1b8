/**
 * Payment settings: Conekta and Mercado Pago keys at the original's paths, and
 * any other gateway of the registry at its settings route, with the fields its
 * provider takes (secrets only ever shown masked), and the webhook URLs to copy.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Grid, LinearProgress, MenuItem, TextField, Typography } from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { request } from '../api';
import { CopyField, errorMessage, LoadError, useApiGet } from '../common';

interface Field { name: string; label: string; secret?: boolean; multiline?: boolean; help?: string }

function GatewayCard(props: {
  title: string; getPath: string; postPath: string; fields: Field[]; masked: Record<string, string>; testId: string;
  /** The registry's route takes PUT and calls the mode `modo`; the original's paths take POST and `mode`. */
  method?: 'POST' | 'PUT'; modeKey?: string;
}) {
  const modeKey = props.modeKey ?? 'mode';
  const { data, error, loading, reload } = useApiGet<any>(props.getPath);
  const notify = useNotify();
  const [values, setValues] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    // An empty box keeps what is stored: only what was typed is sent.
    const body: Record<string, string> = {};
    for (const f of props.fields) if (values[f.name]?.trim()) body[f.name] = values[f.name]!.trim();
    if (mode && mode !== data?.[modeKey]) body[modeKey] = mode;
    try {
      const res = await request<{ message: string }>(props.postPath, { method: props.method ?? 'POST', body });
      notify(res.message ?? `${props.title}: configuración guardada`, { type: 'success' });
      setValues({});
      setMode(null);
      reload();
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-testid={props.testId} sx={{ height: '100%' }}>
      <CardHeader title={props.title} slotProps={{ title: { variant: 'h6' } }}
        action={data && <Chip label={data.configurado ? `Configurado · ${data[modeKey] === 'live' ? 'producción' : 'pruebas'}` : 'Sin configurar'} color={data.configurado ? 'success' : 'default'} />} />
      <CardContent>
        {loading && <LinearProgress />}
        {error ? <LoadError error={error} /> : null}
        {data && (
          <>
            {data.webhook_estado_texto && (
              // Conekta's webhooks set themselves up when the keys are saved: their state, in the API's words.
              <Alert data-testid={`${props.testId}-webhook-estado`} sx={{ mb: 1 }}
                severity={data.webhook_estado === 'error' ? 'warning' : data.webhook_estado === 'sin_configurar' ? 'info' : 'success'}>
                {data.webhook_estado_texto}
              </Alert>
            )}
            <CopyField label="URL del webhook" value={String(data.webhook_url ?? '')} testId={`${props.testId}-webhook`} />
            {Object.entries(props.masked).map(([k, label]) => (
              <Typography key={k} variant="body2"><b>{label}:</b> <code>{data[k] ?? 'no configurada'}</code></Typography>
            ))}
            <Box component="form" onSubmit={submit} sx={{ mt: 2 }}>
              {formError && <Alert severity="error" sx={{ mb: 1 }}>{formError}</Alert>}
              <TextField select label="Modo" size="small" value={mode ?? data[modeKey] ?? 'test'} onChange={(e) => setMode(e.target.value)} sx={{ minWidth: 160 }} margin="dense">
                <MenuItem value="test">Pruebas (test)</MenuItem>
                <MenuItem value="live">Producción (live)</MenuItem>
              </TextField>
              {props.fields.map((f) => (
                <TextField key={f.name} label={f.label} name={f.name} fullWidth size="small" margin="dense" autoComplete="off"
                  type={f.secret ? 'password' : 'text'} multiline={f.multiline} minRows={f.multiline ? 3 : undefined}
                  value={values[f.name] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                  helperText={f.help ?? (f.secret ? 'Vacío: se conserva la guardada' : 'Vacío: se conserva la actual')} />
              ))}
              <Button type="submit" variant="contained" disabled={busy} sx={{ mt: 1 }}>Guardar</Button>
            </Box>
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** How the registry's settings route names each account field: the label of its box and of its masked value. */
const ACCOUNT_LABELS: Record<string, { field: string; masked: string; secret: boolean }> = {
  secreto: { field: 'Llave secreta nueva', masked: 'Llave secreta', secret: true },
  llave_publica: { field: 'Llave pública nueva', masked: 'Llave pública', secret: false },
  webhook_llave: { field: 'Llave pública de webhooks', masked: 'Llave de webhooks', secret: false },
  webhook_secreto: { field: 'Clave secreta de webhooks nueva', masked: 'Clave de webhooks', secret: true },
};

interface Pasarela { pasarela: string; nombre: string; campos: Array<{ campo: string; descripcion: string }>; ruta_configuracion: string }

/** A gateway configured at the registry's route (no path of the original's): its fields are what its provider takes. */
function RegistryGatewayCard({ pasarela }: { pasarela: Pasarela }) {
  const path = `/api/v1/admin/mi-empresa/pasarelas/${encodeURIComponent(pasarela.pasarela)}`;
  const campos = pasarela.campos.filter((c) => ACCOUNT_LABELS[c.campo]);
  return (
    <GatewayCard title={pasarela.nombre} testId={`pasarela-${pasarela.pasarela}`} getPath={path} postPath={path} method="PUT" modeKey="modo"
      masked={Object.fromEntries(campos.filter((c) => c.campo !== 'webhook_llave').map((c) => [c.campo, ACCOUNT_LABELS[c.campo]!.masked]))}
      fields={campos.map((c) => ({
        name: c.campo, label: ACCOUNT_LABELS[c.campo]!.field, secret: ACCOUNT_LABELS[c.campo]!.secret, multiline: c.campo === 'webhook_llave',
        help: `${c.descripcion}. Vacío: se conserva ${ACCOUNT_LABELS[c.campo]!.secret ? 'la guardada' : 'la actual'}`,
      }))} />
  );
}

export function PagosPage() {
  const { data: pasarelas } = useApiGet<Pasarela[]>('/api/v1/admin/mi-empresa/pasarelas');
  // Conekta and Mercado Pago keep their own cards (the original's paths); any other gateway gets the registry's.
  const others = (pasarelas ?? []).filter((p) => p.ruta_configuracion === `/api/v1/admin/mi-empresa/pasarelas/${p.pasarela}`);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Pasarelas de pago" />
      <Typography variant="body2" sx={{ mb: 2 }}>
        Conekta: al guardar sus llaves, el servicio registra solo la URL y la llave de los webhooks. Mercado Pago: copie la URL del webhook y su clave secreta en el panel de Mercado Pago. Las llaves privadas se guardan cifradas y nunca se vuelven a mostrar completas.
      </Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <GatewayCard title="Conekta" testId="conekta" getPath="/api/v1/admin/mi-empresa/conekta" postPath="/api/v1/admin/mi-empresa/configurar-conekta"
            masked={{ private_key: 'Llave privada', public_key: 'Llave pública', webhook_public_key_fingerprint: 'Llave de webhooks' }}
            fields={[
              { name: 'private_key', label: 'Llave privada nueva', secret: true },
              { name: 'public_key', label: 'Llave pública nueva' },
              { name: 'webhook_public_key', label: 'Llave pública PEM de los webhooks (solo si la creó a mano)', multiline: true, help: 'Se configura sola al guardar las llaves; pegue aquí una llave solo si registró los webhooks usted mismo en Conekta' },
            ]} />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <GatewayCard title="Mercado Pago" testId="mercadopago" getPath="/api/v1/admin/mi-empresa/mercado-pago" postPath="/api/v1/payments/configurar-credenciales"
            masked={{ access_token: 'Access token', public_key: 'Public key', webhook_secret: 'Clave de webhooks' }}
            fields={[
              { name: 'access_token', label: 'Access token nuevo', secret: true },
              { name: 'public_key', label: 'Public key nueva' },
              { name: 'webhook_secret', label: 'Clave secreta de webhooks nueva', secret: true },
            ]} />
        </Grid>
        {others.map((p) => (
          <Grid key={p.pasarela} size={{ xs: 12, md: 6 }}>
            <RegistryGatewayCard pasarela={p} />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}

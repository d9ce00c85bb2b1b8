/**
 * Company profile: contact, Telegram, privacy notice, time zone and logo.
 * Fields the server does not return yet (aviso_privacidad, zona_horaria,
 * logo_url) are shown but not sent, since the API refuses unknown fields; they
 * turn on by themselves once GET /mi-empresa returns them.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Grid, LinearProgress, MenuItem, TextField, Typography } from '@mui/material';
import UploadIcon from '@mui/icons-material/Upload';
import { Title, useNotify } from 'react-admin';
import { request } from '../api';
import { DEFAULT_TZ, TIME_ZONES, timeZoneName } from '../format';
import { errorMessage, useApiGet, useEmpresa } from '../common';


export function EmpresaPage() {
  const { data, error, loading, reload } = useApiGet<any>('/api/v1/admin/mi-empresa');
  const { reload: reloadContext } = useEmpresa();
  const notify = useNotify();
  const [form, setForm] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [logoError, setLogoError] = useState<string | null>(null);

  useEffect(() => {
    if (!data) return;
    setForm({
      nombre: data.nombre ?? '', contacto_email: data.contacto_email ?? '', contacto_telefono: data.contacto_telefono ?? '',
      telegram_chat_id: data.telegram_chat_id ?? '', telegram_bot_token: '', aviso_privacidad: data.aviso_privacidad ?? '',
      zona_horaria: data.zona_horaria ?? DEFAULT_TZ,
    });
  }, [data]);

  const set = (k: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    const body: Record<string, unknown> = {};
    for (const k of ['nombre', 'contacto_email']) if (form[k] !== (data[k] ?? '')) body[k] = form[k]!.trim();
    for (const k of ['contacto_telefono', 'telegram_chat_id', 'aviso_privacidad', 'zona_horaria']) {
      if ((form[k] ?? '') !== (data[k] ?? (k === 'zona_horaria' ? DEFAULT_TZ : ''))) body[k] = form[k]!.trim() || null;
    }
    if (form.telegram_bot_token?.trim()) body.telegram_bot_token = form.telegram_bot_token.trim();
    try {
      await request('/api/v1/admin/mi-empresa', { method: 'PUT', body });
      notify(Object.keys(body).length ? 'Datos de la empresa guardados' : 'Sin cambios que guardar', { type: Object.keys(body).length ? 'success' : 'info' });
      reload();
      reloadContext();
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const uploadLogo = async (file: File | undefined) => {
    if (!file) return;
    setLogoError(null);
    if (!/\.(png|jpe?g|webp)$/i.test(file.name) || !/^image\/(png|jpeg|webp)$/.test(file.type)) {
      setLogoError('Formato de imagen no permitido: use PNG, JPG o WebP.');
      return;
    }
    if (file.size > 2 * 1024 * 1024) { setLogoError('La imagen pesa más de 2 MB.'); return; }
    const fd = new FormData();
    fd.append('file', file);
    try {
      const res = await request<{ message?: string }>('/api/v1/admin/mi-empresa/logo', { method: 'POST', form: fd });
      notify(res?.message ?? 'Logotipo actualizado', { type: 'success' });
      reload();
    } catch (err) {
      setLogoError(errorMessage(err));
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Mi empresa" />
      {loading && <LinearProgress />}
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {data && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 8 }}>
            <Card>
              <CardHeader title="Datos de la empresa" slotProps={{ title: { variant: 'h6' } }} subheader={`${data.id} · ${data.activa ? 'activa' : 'inactiva'}`} />
              <CardContent component="form" onSubmit={submit}>
                {formError && <Alert severity="error" sx={{ mb: 1 }}>{formError}</Alert>}
                <TextField label="Nombre" fullWidth margin="dense" value={form.nombre ?? ''} onChange={set('nombre')} required />
                <TextField label="Correo de contacto" type="email" fullWidth margin="dense" value={form.contacto_email ?? ''} onChange={set('contacto_email')} required />
                <TextField label="Teléfono de contacto" fullWidth margin="dense" value={form.contacto_telefono ?? ''} onChange={set('contacto_telefono')} />
                <TextField label="Aviso de privacidad" fullWidth margin="dense" multiline minRows={3} value={form.aviso_privacidad ?? ''} onChange={set('aviso_privacidad')}
                  helperText="Se muestra en el portal" />
                <TextField select label="Zona horaria" fullWidth margin="dense" value={form.zona_horaria ?? DEFAULT_TZ} onChange={set('zona_horaria')}
                  helperText="Las fechas del panel y los periodos del tablero se cuentan en esta zona">
                  {TIME_ZONES.map((tz) => <MenuItem key={tz} value={tz}>{timeZoneName(tz)}</MenuItem>)}
                </TextField>
                <Typography variant="subtitle1" sx={{ mt: 2 }}>Avisos por Telegram</Typography>
                <TextField label="Token del bot" type="password" autoComplete="off" fullWidth margin="dense" value={form.telegram_bot_token ?? ''} onChange={set('telegram_bot_token')}
                  helperText={data.telegram_bot_token ? `Guardado: ${data.telegram_bot_token}. Vacío: se conserva.` : 'Sin token guardado'} />
                <TextField label="Chat de Telegram" fullWidth margin="dense" value={form.telegram_chat_id ?? ''} onChange={set('telegram_chat_id')} helperText="Ej. -1001234567890" />
                <Button type="submit" variant="contained" disabled={busy} sx={{ mt: 1 }}>Guardar</Button>
              </CardContent>
            </Card>
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <Card>
              <CardHeader title="Logotipo" slotProps={{ title: { variant: 'h6' } }} />
              <CardContent>
                {data.logo_url ? <Box component="img" src={String(data.logo_url)} alt="Logotipo" sx={{ maxWidth: '100%', maxHeight: 120, mb: 1 }} /> : <Typography variant="body2" gutterBottom>Sin logotipo</Typography>}
                {logoError && <Alert severity="warning" sx={{ mb: 1 }}>{logoError}</Alert>}
                <Button variant="outlined" component="label" startIcon={<UploadIcon />}>
                  Subir imagen
                  <input type="file" hidden accept="image/png,image/jpeg,image/webp" onChange={(e) => { void uploadLogo(e.target.files?.[0]); e.target.value = ''; }} />
                </Button>
                <Typography variant="caption" component="p" sx={{ mt: 1 }}>PNG, JPG o WebP, hasta 2 MB. Se muestra en el portal.</Typography>
              </CardContent>
            </Card>
          </Grid>
        </Grid>
      )}
    </Box>
  );
}

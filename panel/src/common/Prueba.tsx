/** The router's trial login (issue 24): minutes per device, renewal and speed, applied on the router when saved. */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Checkbox, CircularProgress, FormControlLabel, TextField, Typography } from '@mui/material';
import { errorMessage } from './index';

export interface Prueba { activa: boolean; minutos: number; reinicio_horas: number; limite_velocidad: string | null }

const DEFAULT: Prueba = { activa: false, minutos: 10, reinicio_horas: 24, limite_velocidad: null };

export function PruebaEditor({ value, save, onSaved }: { value?: Prueba | null; save: (prueba: Prueba) => Promise<unknown>; onSaved?: () => void }) {
  const [form, setForm] = useState<Prueba>(value ?? DEFAULT);
  const [state, setState] = useState<{ busy: boolean; ok?: string; error?: string }>({ busy: false });
  useEffect(() => { if (value) setForm(value); }, [value?.activa, value?.minutos, value?.reinicio_horas, value?.limite_velocidad]);
  const submit = async () => {
    setState({ busy: true });
    try {
      await save({ ...form, limite_velocidad: form.limite_velocidad?.trim() ? form.limite_velocidad.trim() : null });
      setState({ busy: false, ok: form.activa ? 'Prueba gratuita activada en el router.' : 'Prueba gratuita desactivada en el router.' });
      onSaved?.();
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <Box sx={{ maxWidth: 520 }} data-testid="prueba-editor">
      <Typography variant="body2" gutterBottom>
        El router da unos minutos de internet gratis por dispositivo (su acceso de prueba): sirven de muestra y para que quien paga por SPEI
        abra la app de su banco. Se aplica en el router al guardar; al desactivarla se quita solo lo que agregamos.
      </Typography>
      <FormControlLabel control={<Checkbox checked={form.activa} onChange={(e) => setForm({ ...form, activa: e.target.checked })} />} label="Ofrecer prueba gratuita" />
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mt: 1 }}>
        <TextField label="Minutos por dispositivo" type="number" size="small" value={form.minutos}
          onChange={(e) => setForm({ ...form, minutos: Number(e.target.value) })} slotProps={{ htmlInput: { min: 1, max: 1440 } }} />
        <TextField label="Se renueva cada (horas)" type="number" size="small" value={form.reinicio_horas}
          onChange={(e) => setForm({ ...form, reinicio_horas: Number(e.target.value) })} slotProps={{ htmlInput: { min: 1, max: 720 } }} />
        <TextField label="Velocidad (subida/bajada)" size="small" placeholder="1M/2M" helperText="Vacío: sin límite" value={form.limite_velocidad ?? ''}
          onChange={(e) => setForm({ ...form, limite_velocidad: e.target.value })} />
      </Box>
      <Button variant="contained" sx={{ mt: 2 }} onClick={submit} disabled={state.busy} startIcon={state.busy ? <CircularProgress size={16} color="inherit" /> : undefined}>
        Guardar prueba gratuita
      </Button>
      {state.ok && <Alert severity="success" sx={{ mt: 2 }}>{state.ok}</Alert>}
      {state.error && <Alert severity="error" sx={{ mt: 2 }}>{state.error}</Alert>}
    </Box>
  );
}

/** Login (with an explicit "Recordarme") and the password change, for both roles. */
import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, Checkbox, FormControlLabel, TextField, Typography } from '@mui/material';
import WifiIcon from '@mui/icons-material/Wifi';
import { Title, useLogin, useNotify } from 'react-admin';
import { request } from '../api';
import { afterLogin } from '../startup';
import { errorMessage } from './index';

export function LoginPage() {
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [recordarme, setRecordarme] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = sessionStorage.getItem('pagos-panel-aviso');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      sessionStorage.removeItem('pagos-panel-aviso');
      await login({ email, password, recordarme }, afterLogin(window.location.hash));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: 'grey.100', p: 2 }}>
      <Card sx={{ width: '100%', maxWidth: 400 }} component="main">
        <CardContent>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 2 }}>
            <WifiIcon color="primary" fontSize="large" />
            <div>
              <Typography variant="h5" component="h1">Pagos Hotspot</Typography>
              <Typography variant="body2" color="text.secondary">Panel de operadores</Typography>
            </div>
          </Box>
          {notice && !error && <Alert severity="info" sx={{ mb: 2 }}>{notice}</Alert>}
          {error && <Alert severity="error" sx={{ mb: 2 }} data-testid="login-error">{error}</Alert>}
          <form onSubmit={submit} noValidate>
            <TextField label="Correo" type="email" name="email" autoComplete="username" fullWidth margin="normal" required
              value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
            <TextField label="Contraseña" type="password" name="password" autoComplete="current-password" fullWidth margin="normal" required
              value={password} onChange={(e) => setPassword(e.target.value)} />
            <FormControlLabel
              control={<Checkbox name="recordarme" checked={recordarme} onChange={(e) => setRecordarme(e.target.checked)} />}
              label="Recordarme en este equipo"
            />
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 2 }}>
              Sin marcarlo, la sesión se cierra al cerrar la pestaña.
            </Typography>
            <Button type="submit" variant="contained" fullWidth size="large" disabled={busy || !email || !password}>
              {busy ? 'Entrando…' : 'Entrar'}
            </Button>
          </form>
        </CardContent>
      </Card>
    </Box>
  );
}

export function CambiarClave() {
  const notify = useNotify();
  const [actual, setActual] = useState('');
  const [nueva, setNueva] = useState('');
  const [confirma, setConfirma] = useState('');
  const [error, setError] = useState<string | null>(null);
  const mismatch = confirma.length > 0 && nueva !== confirma;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await request<{ message: string }>('/api/v1/auth/change-password', {
        method: 'POST', body: { password_actual: actual, password_nuevo: nueva },
      });
      // The server closes this user's other sessions and keeps this one.
      notify(res.message, { type: 'success' });
      setActual(''); setNueva(''); setConfirma('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Card sx={{ maxWidth: 480, mt: 2 }}>
      <Title title="Cambiar contraseña" />
      <CardContent>
        <Typography variant="h6" gutterBottom>Cambiar contraseña</Typography>
        {error && <Alert severity="error" sx={{ mb: 2 }}>{error}</Alert>}
        <form onSubmit={submit}>
          <TextField label="Contraseña actual" type="password" autoComplete="current-password" fullWidth margin="normal" value={actual} onChange={(e) => setActual(e.target.value)} />
          <TextField label="Contraseña nueva" type="password" autoComplete="new-password" fullWidth margin="normal" value={nueva} onChange={(e) => setNueva(e.target.value)}
            helperText="Al menos 8 caracteres. Se cerrarán sus demás sesiones abiertas; esta sigue abierta." />
          <TextField label="Repita la contraseña nueva" type="password" autoComplete="new-password" fullWidth margin="normal" value={confirma}
            onChange={(e) => setConfirma(e.target.value)} error={mismatch} helperText={mismatch ? 'No coincide' : ' '} />
          <Button type="submit" variant="contained" disabled={!actual || !nueva || nueva !== confirma}>Cambiar contraseña</Button>
        </form>
      </CardContent>
    </Card>
  );
}

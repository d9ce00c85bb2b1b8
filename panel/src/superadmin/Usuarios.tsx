/** Super admin: admin users (create, activate, reset password) and the global dashboard. */
import { useState } from 'react';
import { Alert, Box, Card, CardContent, CardHeader, Grid, LinearProgress, Link as MuiLink, Typography, useMediaQuery, type Theme } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useWatch } from 'react-hook-form';
import {
  BooleanField, Create, Datagrid, email, FunctionField, List, PasswordInput, ReferenceField, ReferenceInput, required, SelectInput, SimpleForm,
  SimpleList, TextField, TextInput, Title, useGetIdentity, useRecordContext, useRefresh, minLength,
} from 'react-admin';
import { request } from '../api';
import { ConfirmButton, CopyField, DateTimeText, TzDateField, errorMessage, useApiGet, useSaved } from '../common';
import { formatMoney } from '../format';
import { openQueues, QUEUES_URL } from '../common/colas';

const ROLES = [{ id: 'cliente_admin', name: 'Administrador de empresa' }, { id: 'super_admin', name: 'Super admin' }];

function ToggleUsuario() {
  const r = useRecordContext();
  const refresh = useRefresh();
  const { identity } = useGetIdentity();
  if (!r) return null;
  // One's own account is never offered "Desactivar" (it would lock oneself out).
  if (identity && String(identity.id) === String(r.id)) return <Typography variant="body2" color="text.secondary">Su cuenta</Typography>;
  return (
    <ConfirmButton label={r.activo ? 'Desactivar' : 'Activar'} color={r.activo ? 'error' : 'success'}
      title={r.activo ? `¿Desactivar a ${r.email}?` : `¿Activar a ${r.email}?`}
      content={<Typography>{r.activo ? 'Pierde sus sesiones desde la siguiente petición.' : 'Podrá iniciar sesión de nuevo.'}</Typography>}
      onConfirm={() => request(`/admin/usuarios/${r.id}/toggle-activo`, { method: 'PUT' })} onDone={() => refresh()} />
  );
}

function ResetPassword() {
  const r = useRecordContext();
  const [temporal, setTemporal] = useState<string | null>(null);
  if (!r) return null;
  return (
    <Box>
      <ConfirmButton label="Restablecer contraseña" title={`¿Restablecer la contraseña de ${r.email}?`}
        content={<Typography>Se genera una contraseña temporal, que se muestra una sola vez, y se cierran sus sesiones.</Typography>}
        onConfirm={() => request<{ password_temporal?: string; message: string }>(`/admin/usuarios/${r.id}/reset-password`, { method: 'POST', body: {} })}
        done={`Contraseña de ${r.email} restablecida`}
        onDone={(res) => setTemporal(res.password_temporal ?? null)} />
      {temporal && (
        <Box sx={{ mt: 1, minWidth: 260 }} onClick={(e) => e.stopPropagation()}>
          <CopyField label="Contraseña temporal" value={temporal} testId="password-temporal" />
        </Box>
      )}
    </Box>
  );
}

export function UsuariosList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List resource="usuarios" title="Usuarios" sort={{ field: 'creado_en', order: 'DESC' }} filters={[
      <SelectInput key="rol" source="rol" label="Rol" choices={ROLES} alwaysOn />,
      <ReferenceInput key="empresa_id" source="empresa_id" reference="empresas" alwaysOn><SelectInput label="Empresa" optionText="nombre" /></ReferenceInput>,
      <SelectInput key="activo" source="activo" label="Estado" choices={[{ id: 'true', name: 'Activos' }, { id: 'false', name: 'Inactivos' }]} />,
    ]}>
      {isSmall ? (
        <SimpleList primaryText={(r) => r.nombre} secondaryText={(r) => r.email} tertiaryText={(r) => (r.activo ? 'Activo' : 'Inactivo')} linkType={false} />
      ) : (
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <TextField source="nombre" label="Nombre" />
          <TextField source="email" label="Correo" />
          <FunctionField label="Rol" render={(r: any) => ROLES.find((x) => x.id === r.rol)?.name ?? r.rol} />
          <ReferenceField source="empresa_id" reference="empresas" link="show" label="Empresa" emptyText="—"><TextField source="nombre" /></ReferenceField>
          <TzDateField source="ultimo_login" label="Último acceso" />
          <BooleanField source="activo" label="Activo" />
          <ToggleUsuario />
          <ResetPassword />
        </Datagrid>
      )}
    </List>
  );
}

function EmpresaSiCliente() {
  const rol = useWatch({ name: 'rol' });
  if (rol !== 'cliente_admin') return null;
  return (
    <ReferenceInput source="empresa_id" reference="empresas">
      <SelectInput label="Empresa" optionText="nombre" validate={required()} fullWidth />
    </ReferenceInput>
  );
}

export function UsuarioCreate() {
  return (
    <Create resource="usuarios" title="Nuevo usuario"
      mutationOptions={useSaved('usuarios', (u) => `Usuario creado: ${u?.email ?? ''}`, 'list')}
      transform={(d: any) => (d.rol === 'super_admin' ? { ...d, empresa_id: undefined } : d)}>
      <SimpleForm sanitizeEmptyValues>
        <TextInput source="nombre" label="Nombre" validate={required()} fullWidth />
        <TextInput source="email" label="Correo" validate={[required(), email('Correo inválido')]} fullWidth />
        <PasswordInput source="password" label="Contraseña inicial" validate={[required(), minLength(8)]} fullWidth autoComplete="new-password" />
        <SelectInput source="rol" label="Rol" choices={ROLES} defaultValue="cliente_admin" validate={required()} />
        <EmpresaSiCliente />
      </SimpleForm>
    </Create>
  );
}

export function SuperDashboard() {
  const { data, error, loading } = useApiGet<any>('/admin/dashboard');
  const e = data?.estadisticas ?? {};
  const t = data?.transacciones?.por_estado_pago ?? {};
  const ingresos = Object.entries(data?.ingresos ?? {}) as Array<[string, any]>;
  const Stat = ({ label, value }: { label: string; value: React.ReactNode }) => (
    <Grid size={{ xs: 6, md: 3 }}><Card sx={{ height: '100%' }}><CardContent><Typography variant="body2" color="text.secondary">{label}</Typography><Typography variant="h5">{value}</Typography></CardContent></Card></Grid>
  );
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Tablero global" />
      {loading && <LinearProgress />}
      {error ? <Alert severity="error">{errorMessage(error)}</Alert> : null}
      {data && (
        <Grid container spacing={2}>
          <Stat label="Empresas activas" value={`${e.empresas_activas} / ${e.total_empresas}`} />
          <Stat label="Routers activos" value={`${e.routers_activos} / ${e.total_routers}`} />
          <Stat label="Usuarios activos" value={`${e.usuarios_activos ?? e.total_usuarios} / ${e.total_usuarios}`} />
          <Stat label="API Keys activas" value={`${data.api_keys?.activas ?? '—'} (${data.api_keys?.por_expirar_30_dias ?? 0} por expirar)`} />
          <Stat label="Ventas pagadas" value={t.paid ?? 0} />
          <Stat label="Declinadas" value={t.declined ?? 0} />
          <Stat label="Accesos fallidos" value={data.transacciones?.por_estado_hotspot?.failed ?? 0} />
          <Stat label="Ingresos" value={ingresos.length ? ingresos.map(([c, v]) => formatMoney(v.total, c)).join(' · ') : formatMoney('0', 'MXN')} />
          <Grid size={12}>
            <Card>
              <CardHeader title="Avisos de API Keys" slotProps={{ title: { variant: 'h6' } }}
                action={<MuiLink href={QUEUES_URL} target="_blank" rel="noopener" onClick={(e: React.MouseEvent) => { openQueues(e).catch(() => undefined); }} sx={{ display: 'flex', alignItems: 'center', gap: 0.5, p: 1 }}>Colas de trabajos <OpenInNewIcon fontSize="small" /></MuiLink>} />
              <CardContent>
                {(data.alertas_api_keys ?? []).length === 0 && <Typography>Sin avisos</Typography>}
                {(data.alertas_api_keys ?? []).map((a: any) => (
                  <Typography key={`${a.key_id}-${a.threshold_days}`}>{a.empresa_nombre} · {a.router_nombre}: expira en {a.days_left} días (<DateTimeText value={a.expires_at} />)</Typography>
                ))}
              </CardContent>
            </Card>
          </Grid>
        </Grid>
      )}
    </Box>
  );
}

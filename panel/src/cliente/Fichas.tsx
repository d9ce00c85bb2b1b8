/**
 * Voucher batches (fichas): /api/v1/admin/fichas/lotes (create {producto_id,
 * cantidad, tipo_usuario?, prefijo?}, list, detail, /pdf, /csv) and
 * POST /api/v1/admin/fichas/{codigo}/anular. A batch carries its product as
 * `producto: {id, nombre, …}` and its vouchers' states as `por_estado`.
 */
import { useState } from 'react';
import { Box, Button as MuiButton, Card, CardContent, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import DownloadIcon from '@mui/icons-material/Download';
import {
  Create, Datagrid, FunctionField, List, NumberInput, ReferenceInput, required, SelectInput, Show, SimpleForm, TextField,
  TextInput, Title, useNotify, useRecordContext, useRefresh, minValue, maxValue, regex,
} from 'react-admin';
import { download, request } from '../api';
import { ConfirmButton, DateTimeText, errorMessage, NotAvailable, TzDateField, useApiGet, useLoadError } from '../common';

const LOTES = '/api/v1/admin/fichas/lotes';

function Availability({ children }: { children: React.ReactNode }) {
  const probe = useApiGet<unknown>(LOTES);
  if (probe.loading) return <LinearProgress sx={{ mt: 2 }} />;
  if (probe.error) return <Box sx={{ mt: 2 }}><Title title="Fichas" /><NotAvailable error={probe.error} what="Fichas" /></Box>;
  return <>{children}</>;
}

export function LotesList() {
  return (
    <Availability>
      <List resource="lotes" title="Fichas" sort={{ field: 'creado_en', order: 'DESC' }} perPage={25}>
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TzDateField source="creado_en" label="Creado" />
          <FunctionField label="Producto" render={(r: any) => r.producto?.nombre ?? '—'} />
          <TextField source="cantidad" label="Cantidad" />
          <FunctionField label="Disponibles" render={(r: any) => String(r.por_estado?.disponible ?? '—')} />
          <FunctionField label="Usadas / anuladas" render={(r: any) => (r.por_estado ? `${r.por_estado.usada ?? 0} / ${r.por_estado.anulada ?? 0}` : '—')} />
        </Datagrid>
      </List>
    </Availability>
  );
}

export function LoteCreate() {
  const notify = useNotify();
  return (
    <Availability>
      <Create resource="lotes" title="Nuevo lote de fichas" redirect="show"
        mutationOptions={{ onError: (error: unknown) => notify(errorMessage(error), { type: 'error' }) }}>
        <SimpleForm sanitizeEmptyValues>
          <ReferenceInput source="producto_id" reference="productos" filter={{ activo: true }}>
            <SelectInput label="Producto" optionText="nombre_venta" validate={required()} fullWidth />
          </ReferenceInput>
          <NumberInput source="cantidad" label="Cantidad" validate={[required(), minValue(1), maxValue(1000)]} defaultValue={10} />
          <SelectInput source="tipo_usuario" label="Tipo de ficha" choices={[
            { id: 'usuario_contrasena', name: 'Usuario y contraseña' }, { id: 'pin', name: 'PIN (solo código)' },
          ]} defaultValue="pin" />
          <TextInput source="prefijo" label="Prefijo (opcional)" parse={(v: string) => (v ? v.toUpperCase() : v)}
            validate={regex(/^[2-9A-HJKMNP-Z]{0,6}$/, 'Hasta 6 letras mayúsculas o dígitos del 2 al 9, sin O, I ni L')} />
        </SimpleForm>
      </Create>
    </Availability>
  );
}

function LoteDetalle() {
  const r = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  if (!r) return null;
  const fichas: any[] = Array.isArray(r.fichas) ? r.fichas : [];
  const get = async (kind: 'pdf' | 'csv') => {
    setBusy(true);
    try {
      await download(`${LOTES}/${encodeURIComponent(String(r.id))}/${kind}`, `fichas-${r.id}.${kind}`);
    } catch (error) {
      notify(errorMessage(error), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <CardContent>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
          <Typography variant="h6" sx={{ mr: 'auto' }}>Lote {String(r.id)}</Typography>
          <MuiButton variant="contained" startIcon={<PictureAsPdfIcon />} onClick={() => get('pdf')} disabled={busy}>Imprimir (PDF)</MuiButton>
          <MuiButton variant="outlined" startIcon={<DownloadIcon />} onClick={() => get('csv')} disabled={busy}>CSV</MuiButton>
        </Box>
        <Typography>Creado: <DateTimeText value={r.creado_en} /> · {String(r.cantidad ?? fichas.length)} fichas{r.producto?.nombre ? ` de ${r.producto.nombre}` : ''}</Typography>
        <Box className="scroll-x" sx={{ mt: 2 }}>
          <Table size="small" data-testid="fichas">
            <TableHead><TableRow><TableCell>Código</TableCell><TableCell>Estado</TableCell><TableCell>Usada</TableCell><TableCell /></TableRow></TableHead>
            <TableBody>
              {fichas.map((f) => (
                <TableRow key={f.codigo}>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{f.codigo}</TableCell>
                  <TableCell>{f.estado ?? '—'}</TableCell>
                  <TableCell><DateTimeText value={f.usada_en} /></TableCell>
                  <TableCell>
                    {f.estado !== 'anulada' && f.estado !== 'usada' && (
                      <ConfirmButton label="Anular" color="error" title={`¿Anular la ficha ${f.codigo}?`}
                        content={<Typography>La ficha dejará de funcionar en el router.</Typography>}
                        onConfirm={() => request(`/api/v1/admin/fichas/${encodeURIComponent(f.codigo)}/anular`, { method: 'POST' })}
                        success={(res) => res?.message ?? 'Ficha anulada'} onDone={() => refresh()} />
                    )}
                  </TableCell>
                </TableRow>
              ))}
              {fichas.length === 0 && <TableRow><TableCell colSpan={4}>El servidor no devolvió las fichas del lote.</TableCell></TableRow>}
            </TableBody>
          </Table>
        </Box>
      </CardContent>
    </Card>
  );
}

export function LoteShow() {
  return (
    <Availability>
      <Show resource="lotes" queryOptions={useLoadError('lotes')} title="Lote de fichas" component="div"><LoteDetalle /></Show>
    </Availability>
  );
}

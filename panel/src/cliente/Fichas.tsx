/**
 * Voucher batches (fichas): /api/v1/admin/fichas/lotes (create {producto_id,
 * cantidad, tipo_usuario?, prefijo?}, list, detail, /pdf, /csv) and
 * POST /api/v1/admin/fichas/{codigo}/anular. A batch carries its product as
 * `producto: {id, nombre, …}` and its vouchers' states as `por_estado`.
 */
import { useState } from 'react';
import { Box, Button as MuiButton, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography, useMediaQuery, type Theme } from '@mui/material';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import DownloadIcon from '@mui/icons-material/Download';
import {
  Create, CreateButton, Datagrid, FunctionField, List, NumberInput, ReferenceInput, required, SelectInput, Show, SimpleForm, SimpleList, TextField,
  TextInput, useGetList, useNotify, useRecordContext, useRedirect, useRefresh, minValue, maxValue, regex,
} from 'react-admin';
import { download, request } from '../api';
import { ConfirmButton, DateTimeText, errorMessage, TzDateField, useLoadError } from '../common';

const LOTES = '/api/v1/admin/fichas/lotes';

/** How a voucher reaches the router, by the company's routers' modes (API: created on the router; RADIUS: answered by our RADIUS server). */
export function comoFunciona(modos: string[]): string {
  const radius = modos.filter((m) => m === 'radius').length;
  if (modos.length > 0 && radius === modos.length) {
    return 'cada una da acceso a internet con el plan que elija: el router pregunta por el código a nuestro servidor RADIUS cuando el cliente lo escribe, '
      + 'así que no hace falta crear nada en el router ni que este servicio entre a él.';
  }
  if (radius > 0) {
    return 'cada una da acceso a internet con el plan que elija. En los routers en modo API el usuario de la ficha se crea en el router por adelantado '
      + '(funciona aunque este servicio no esté disponible); en los de modo RADIUS el router pregunta por el código a nuestro servidor RADIUS.';
  }
  return 'cada una da acceso a internet con el plan que elija, y funciona aunque este servicio no esté disponible, porque el usuario ya está creado en el router.';
}

/** What fichas are and how to make the first batch, where the list would be (true to the routers' mode: API or RADIUS). */
function FichasVacias() {
  const { data: routers, isPending } = useGetList('routers', { pagination: { page: 1, perPage: 100 }, sort: { field: 'nombre', order: 'ASC' } });
  const modos = (routers ?? []).map((r) => String(r.modo ?? 'api'));
  // How a voucher works depends on the routers' modes: said once they are known, never guessed first.
  const como = isPending ? 'cada una da acceso a internet con el plan que elija.' : comoFunciona(modos);
  return (
    <Card sx={{ mt: 2 }} data-testid="fichas-vacias">
      <CardContent>
        <Typography variant="h6" gutterBottom>Aún no hay fichas</Typography>
        <Typography variant="body2" sx={{ mb: 1.5 }} data-testid={isPending ? 'fichas-vacias-cargando' : 'fichas-vacias-como'}>
          Las fichas son códigos impresos que usted vende en mostrador o en efectivo: {como}
        </Typography>
        <Typography variant="body2" sx={{ mb: 1.5 }}>
          Para hacer su primer lote: pulse «Crear lote», elija el producto y cuántas fichas quiere, y guarde. Después imprima el PDF,
          recorte las fichas y véndalas; el cliente escribe el código (o escanea el QR) en la página de acceso WiFi.
        </Typography>
        <CreateButton resource="lotes" label="Crear lote" variant="contained" />
      </CardContent>
    </Card>
  );
}

const ESTADO_FICHA: Record<string, string> = { pendiente: 'Pendiente', disponible: 'Disponible', usada: 'Usada', expirada: 'Vencida', anulada: 'Anulada', fallida: 'Fallida' };
const lotePlural = (n: number) => (n === 1 ? '1 ficha' : `${n} fichas`);

export function LotesList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <>
      <List resource="lotes" title="Fichas" sort={{ field: 'creado_en', order: 'DESC' }} perPage={25} empty={<FichasVacias />}>
        {isSmall ? (
          // A phone: one line per batch, nothing to scroll sideways.
          <SimpleList
            primaryText={(r: any) => `${r.producto?.nombre ?? 'Lote'} · ${lotePlural(Number(r.cantidad ?? 0))}`}
            secondaryText={(r: any) => `Disponibles: ${r.por_estado?.disponible ?? '—'} · usadas: ${r.por_estado?.usada ?? 0} · anuladas: ${r.por_estado?.anulada ?? 0}`}
            linkType="show"
          />
        ) : (
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TzDateField source="creado_en" label="Creado" />
          <FunctionField label="Producto" render={(r: any) => r.producto?.nombre ?? '—'} />
          <TextField source="cantidad" label="Cantidad" />
          <FunctionField label="Disponibles" render={(r: any) => String(r.por_estado?.disponible ?? '—')} />
          <FunctionField label="Usadas / anuladas" render={(r: any) => (r.por_estado ? `${r.por_estado.usada ?? 0} / ${r.por_estado.anulada ?? 0}` : '—')} />
        </Datagrid>
        )}
      </List>
    </>
  );
}

export function LoteCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <>
      <Create resource="lotes" title="Nuevo lote de fichas" redirect="show"
        mutationOptions={{
          onSuccess: (lote: any) => { notify(`Lote creado: ${lotePlural(Number(lote?.cantidad ?? 0))}`, { type: 'success' }); redirect('show', 'lotes', lote?.id); },
          onError: (error: unknown) => notify(errorMessage(error), { type: 'error' }),
        }}>
        <SimpleForm sanitizeEmptyValues>
          <ReferenceInput source="producto_id" reference="productos" filter={{ activo: true }}>
            <SelectInput label="Producto" optionText="nombre_venta" validate={required()} fullWidth />
          </ReferenceInput>
          <NumberInput source="cantidad" label="Cantidad" validate={[required(), minValue(1), maxValue(1000)]} defaultValue={10} />
          {/* Required with a default: no blank choice to pick. */}
          <SelectInput source="tipo_usuario" label="Tipo de ficha" choices={[
            { id: 'usuario_contrasena', name: 'Usuario y contraseña' }, { id: 'pin', name: 'PIN (solo código)' },
          ]} defaultValue="pin" validate={required()}
            helperText="PIN: el cliente escribe solo el código. Usuario y contraseña: la ficha lleva las dos cosas." />
          <TextInput source="prefijo" label="Prefijo (opcional)" parse={(v: string) => (v ? v.toUpperCase() : v)}
            helperText="Hasta 6 caracteres al inicio de cada código: letras mayúsculas y dígitos del 2 al 9. Se dejan fuera O, I, L, 0 y 1, que se confunden al escribirlos."
            validate={regex(/^[2-9A-HJKMNP-Z]{0,6}$/, 'Use hasta 6 letras mayúsculas o dígitos del 2 al 9, sin O, I, L, 0 ni 1')} />
        </SimpleForm>
      </Create>
    </>
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
      const name = await download(`${LOTES}/${encodeURIComponent(String(r.id))}/${kind}`, `fichas-${r.id}.${kind}`);
      notify(kind === 'pdf' ? `PDF de fichas descargado: ${name}` : `CSV de fichas descargado: ${name}`, { type: 'success' });
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
                  <TableCell>{ESTADO_FICHA[f.estado] ?? f.estado ?? '—'}</TableCell>
                  <TableCell><DateTimeText value={f.usada_en} /></TableCell>
                  <TableCell>
                    {f.estado !== 'anulada' && f.estado !== 'usada' && (
                      <ConfirmButton label="Anular" color="error" title={`¿Anular la ficha ${f.codigo}?`}
                        content={<Typography>La ficha dejará de funcionar en el router.</Typography>}
                        onConfirm={() => request(`/api/v1/admin/fichas/${encodeURIComponent(f.codigo)}/anular`, { method: 'POST' })}
                        success={(res) => res?.message ?? `Ficha ${f.codigo} anulada`} onDone={() => refresh()} />
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
    <Show resource="lotes" queryOptions={useLoadError('lotes')} title="Lote de fichas" component="div"><LoteDetalle /></Show>
  );
}

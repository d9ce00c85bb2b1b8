/** The panel: react-admin with our REST data provider, Spanish messages, and screens by role. */
import { useEffect } from 'react';
import { Route } from 'react-router-dom';
import { Divider, ListItemIcon, MenuItem } from '@mui/material';
import DashboardIcon from '@mui/icons-material/Dashboard';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SellIcon from '@mui/icons-material/Sell';
import RouterIcon from '@mui/icons-material/Router';
import CreditCardIcon from '@mui/icons-material/CreditCard';
import ConfirmationNumberIcon from '@mui/icons-material/ConfirmationNumber';
import BusinessIcon from '@mui/icons-material/Business';
import PeopleIcon from '@mui/icons-material/People';
import LockResetIcon from '@mui/icons-material/LockReset';
import StorageIcon from '@mui/icons-material/Storage';
import {
  Admin, CustomRoutes, Layout, Menu, Resource, defaultTheme, usePermissions, useLogout, type LayoutProps, AppBar, TitlePortal,
  UserMenu, Logout, MenuItemLink, type RaThemeOptions,
} from 'react-admin';
import { setUnauthorizedHandler } from './api';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { EmpresaProvider, useEmpresa } from './common';
import { CambiarClave, LoginPage } from './common/auth-pages';
import { openQueues, QUEUES_URL } from './common/colas';
import { ClienteDashboard } from './cliente/Dashboard';
import { VentasList, VentaShow } from './cliente/Ventas';
import { ProductoCreate, ProductoEdit, ProductosList } from './cliente/Productos';
import { RoutersList, RouterShow } from './cliente/Routers';
import { PagosPage } from './cliente/Pagos';
import { EmpresaPage } from './cliente/Empresa';
import { LoteCreate, LotesList, LoteShow } from './cliente/Fichas';
import { EmpresaCreate, EmpresaEdit, EmpresaShow, EmpresasList } from './superadmin/Empresas';
import { SuperDashboard, UsuarioCreate, UsuariosList } from './superadmin/Usuarios';

const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", Arial, sans-serif';

const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#1565c0' }, secondary: { main: '#0d47a1' } },
  typography: { ...defaultTheme.typography, fontFamily: SYSTEM_FONTS },
};

function Dashboard() {
  const { permissions } = usePermissions();
  return permissions === 'super_admin' ? <SuperDashboard /> : <ClienteDashboard />;
}

function PanelMenu() {
  const { permissions } = usePermissions();
  if (permissions === 'super_admin') {
    return (
      <Menu>
        <Menu.DashboardItem primaryText="Tablero" leftIcon={<DashboardIcon />} />
        <Menu.ResourceItem name="empresas" />
        <Menu.ResourceItem name="usuarios" />
        <Divider />
        <MenuItemLink to="/cambiar-clave" primaryText="Cambiar contraseña" leftIcon={<LockResetIcon />} />
        <MenuItem component="a" href={QUEUES_URL} target="_blank" rel="noopener" onClick={(e) => { openQueues(e).catch(() => undefined); }} sx={{ color: 'text.secondary' }}>
          <ListItemIcon><StorageIcon fontSize="small" /></ListItemIcon>Colas de trabajos
        </MenuItem>
      </Menu>
    );
  }
  return (
    <Menu>
      <Menu.DashboardItem primaryText="Tablero" leftIcon={<DashboardIcon />} />
      <Menu.ResourceItem name="ventas" />
      <Menu.ResourceItem name="productos" />
      <Menu.ResourceItem name="routers" />
      <Menu.ResourceItem name="lotes" />
      <Menu.Item to="/pagos" primaryText="Pasarelas de pago" leftIcon={<CreditCardIcon />} />
      <Menu.Item to="/empresa" primaryText="Mi empresa" leftIcon={<BusinessIcon />} />
      <Divider />
      <Menu.Item to="/cambiar-clave" primaryText="Cambiar contraseña" leftIcon={<LockResetIcon />} />
    </Menu>
  );
}

function EmpresaTitle() {
  const { empresa } = useEmpresa();
  return empresa ? <span className="empresa-nombre">{empresa.nombre}</span> : null;
}

function PanelAppBar() {
  return (
    <AppBar userMenu={<UserMenu><MenuItemLink to="/cambiar-clave" primaryText="Cambiar contraseña" leftIcon={<LockResetIcon />} /><Logout /></UserMenu>}>
      <TitlePortal />
      <EmpresaTitle />
    </AppBar>
  );
}

function PanelLayout({ children }: LayoutProps) {
  const logout = useLogout();
  useEffect(() => {
    setUnauthorizedHandler(() => { void logout({}, '/login', false); });
  }, [logout]);
  return (
    <EmpresaProvider>
      <Layout menu={PanelMenu} appBar={PanelAppBar}>{children}</Layout>
    </EmpresaProvider>
  );
}

export function App() {
  return (
    <Admin
      title="Pagos Hotspot"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      dashboard={Dashboard}
      layout={PanelLayout}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {(permissions: string) => (
        <>
          {permissions === 'super_admin' ? (
            <>
              <Resource name="empresas" list={EmpresasList} create={EmpresaCreate} edit={EmpresaEdit} show={EmpresaShow} icon={BusinessIcon}
                recordRepresentation="nombre" options={{ label: 'Empresas' }} />
              <Resource name="usuarios" list={UsuariosList} create={UsuarioCreate} icon={PeopleIcon} recordRepresentation="email" options={{ label: 'Usuarios' }} />
            </>
          ) : (
            <>
              <Resource name="ventas" list={VentasList} show={VentaShow} icon={ReceiptLongIcon} options={{ label: 'Ventas' }} />
              <Resource name="productos" list={ProductosList} create={ProductoCreate} edit={ProductoEdit} icon={SellIcon} recordRepresentation="nombre_venta" options={{ label: 'Productos' }} />
              <Resource name="routers" list={RoutersList} show={RouterShow} icon={RouterIcon} recordRepresentation="nombre" options={{ label: 'Routers' }} />
              <Resource name="lotes" list={LotesList} create={LoteCreate} show={LoteShow} icon={ConfirmationNumberIcon} options={{ label: 'Fichas' }} />
              <CustomRoutes>
                <Route path="/pagos" element={<PagosPage />} />
                <Route path="/empresa" element={<EmpresaPage />} />
              </CustomRoutes>
            </>
          )}
          <CustomRoutes><Route path="/cambiar-clave" element={<CambiarClave />} /></CustomRoutes>
        </>
      )}
    </Admin>
  );
}

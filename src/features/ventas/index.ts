/**
 * The ventas feature's public entry: the company admin's sales (list, detail,
 * CSV export, refund / retry / disable). The composition root and tests import only this.
 */
export { createAdminActions, type AdminActions } from './admin-actions';
export { registerSaleActionRoutes } from './ventas-acciones-routes';
export { createVentasExport, csvCell, type VentasExportService } from './ventas-export';
export { registerVentasRoutes } from './ventas-routes';
export { createVentasService, decodeCursor, encodeCursor, latestSales, type VentasService } from './ventas-service';

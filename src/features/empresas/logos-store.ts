/** The only code that reads or writes `empresa_logos` (and `empresas.logo_nombre` with it). */
import type { Knex } from 'knex';
import { raw } from '../../platform/db/objection';
import { EmpresaLogoModel, EmpresaModel } from './models';

export function createLogoStore(knex: Knex) {
  return {
    /** The new logo becomes the company's; its previous ones are deleted in the same transaction. */
    async replace(empresaId: string, logo: { nombre: string; contentType: string; data: Buffer }): Promise<boolean> {
      return knex.transaction(async (trx) => {
        const updated = await EmpresaModel.query(trx).findById(empresaId).patch({ logo_nombre: logo.nombre, actualizada_en: raw('now()') } as never);
        if (!updated) return false;
        await EmpresaLogoModel.query(trx).insert({
          nombre: logo.nombre, empresa_id: empresaId, content_type: logo.contentType, bytes: logo.data.length, contenido: logo.data,
        });
        await EmpresaLogoModel.query(trx).where('empresa_id', empresaId).whereNot('nombre', logo.nombre).delete();
        return true;
      });
    },
    async get(nombre: string) {
      return EmpresaLogoModel.query(knex).findById(nombre).select('content_type', 'contenido', 'creado_en');
    },
  };
}

export type LogoStore = ReturnType<typeof createLogoStore>;

/** Spanish messages for react-admin (written for react-admin 5's keys) and the panel's resources. */
import polyglotI18nProvider from 'ra-i18n-polyglot';

export const es = {
  ra: {
    action: {
      add_filter: 'Agregar filtro', add: 'Agregar', back: 'Regresar', bulk_actions: '1 elemento seleccionado |||| %{smart_count} elementos seleccionados',
      cancel: 'Cancelar', clear_array_input: 'Vaciar la lista', clear_input_value: 'Borrar valor', clone: 'Duplicar', confirm: 'Confirmar',
      create: 'Crear', create_item: 'Crear %{item}', delete: 'Eliminar', edit: 'Editar', export: 'Exportar', list: 'Lista', refresh: 'Actualizar',
      remove_filter: 'Quitar este filtro', remove_all_filters: 'Quitar todos los filtros', remove: 'Quitar', reset: 'Restablecer', save: 'Guardar',
      search: 'Buscar', search_columns: 'Buscar columnas', select_all: 'Seleccionar todo', select_all_button: 'Seleccionar todo',
      select_row: 'Seleccionar esta fila', show: 'Ver', sort: 'Ordenar', undo: 'Deshacer', unselect: 'Deseleccionar', expand: 'Expandir',
      close: 'Cerrar', open_menu: 'Abrir menú', close_menu: 'Cerrar menú', update: 'Actualizar', move_up: 'Subir', move_down: 'Bajar',
      open: 'Abrir', toggle_theme: 'Modo claro/oscuro', select_columns: 'Columnas', update_application: 'Recargar la aplicación',
    },
    boolean: { true: 'Sí', false: 'No', null: ' ' },
    page: {
      create: 'Crear %{name}', dashboard: 'Tablero', edit: '%{name} %{recordRepresentation}', error: 'Algo salió mal', list: '%{name}',
      loading: 'Cargando', not_found: 'No encontrado', show: '%{name} %{recordRepresentation}', empty: 'Aún no hay %{name}.',
      invite: '¿Desea agregar uno?', access_denied: 'Acceso denegado', authentication_error: 'Error de autenticación',
    },
    input: {
      file: { upload_several: 'Arrastre archivos o haga clic para elegir.', upload_single: 'Arrastre un archivo o haga clic para elegirlo.' },
      image: { upload_several: 'Arrastre imágenes o haga clic para elegir.', upload_single: 'Arrastre una imagen o haga clic para elegirla.' },
      references: {
        all_missing: 'No se encontraron los datos relacionados.',
        many_missing: 'Al menos uno de los elementos relacionados ya no está disponible.',
        single_missing: 'El elemento relacionado ya no está disponible.',
      },
      password: { toggle_visible: 'Ocultar contraseña', toggle_hidden: 'Mostrar contraseña' },
    },
    message: {
      about: 'Acerca de', access_denied: 'No tiene permisos para ver esta página', are_you_sure: '¿Está seguro?',
      authentication_error: 'El servidor de autenticación respondió con un error y no se pudieron comprobar sus credenciales.',
      auth_error: 'Ocurrió un error al validar la sesión.',
      bulk_delete_content: '¿Eliminar este %{name}? |||| ¿Eliminar estos %{smart_count} elementos?',
      bulk_delete_title: 'Eliminar %{name} |||| Eliminar %{smart_count} %{name}',
      bulk_update_content: '¿Actualizar %{name} %{recordRepresentation}? |||| ¿Actualizar estos %{smart_count} elementos?',
      bulk_update_title: 'Actualizar %{name} %{recordRepresentation} |||| Actualizar %{smart_count} %{name}',
      clear_array_input: '¿Vaciar toda la lista?', delete_content: '¿Eliminar este elemento?', delete_title: 'Eliminar %{name} %{recordRepresentation}',
      details: 'Detalles', error: 'Ocurrió un error y la solicitud no se completó.', invalid_form: 'El formulario tiene errores. Revíselo.',
      loading: 'Espere, por favor', no: 'No', not_found: 'La dirección no existe o el enlace es incorrecto.',
      select_all_limit_reached: 'Hay demasiados elementos. Solo se seleccionaron los primeros %{max}.',
      unsaved_changes: 'Hay cambios sin guardar. ¿Desea descartarlos?', yes: 'Sí',
      placeholder_data_warning: 'Problema de red: no se pudieron actualizar los datos.',
    },
    navigation: {
      clear_filters: 'Quitar filtros', no_filtered_results: 'No hay %{name} con estos filtros.', no_results: 'No hay %{name}',
      no_more_results: 'La página %{page} está fuera de rango. Vuelva a la anterior.', page_out_of_boundaries: 'Página %{page} fuera de rango',
      page_out_from_end: 'No hay páginas después de la última', page_out_from_begin: 'No hay páginas antes de la 1',
      page_range_info: '%{offsetBegin}-%{offsetEnd} de %{total}', partial_page_range_info: '%{offsetBegin}-%{offsetEnd} de más de %{offsetEnd}',
      current_page: 'Página %{page}', page: 'Ir a la página %{page}', first: 'Primera página', last: 'Última página',
      next: 'Página siguiente', previous: 'Página anterior', page_rows_per_page: 'Filas por página:', skip_nav: 'Ir al contenido',
    },
    sort: { sort_by: 'Ordenar por %{field_lower_first} %{order}', ASC: 'ascendente', DESC: 'descendente' },
    auth: {
      auth_check_error: 'Inicie sesión para continuar', user_menu: 'Perfil', username: 'Usuario', password: 'Contraseña', email: 'Correo',
      sign_in: 'Entrar', sign_in_error: 'No se pudo iniciar sesión, intente de nuevo', logout: 'Cerrar sesión',
    },
    notification: {
      updated: 'Elemento actualizado |||| %{smart_count} elementos actualizados', created: 'Elemento creado',
      deleted: 'Elemento eliminado |||| %{smart_count} elementos eliminados', bad_item: 'Elemento incorrecto',
      item_doesnt_exist: 'El elemento no existe', http_error: 'Error de comunicación con el servidor',
      data_provider_error: 'Error del proveedor de datos.', i18n_error: 'No se pudieron cargar las traducciones',
      canceled: 'Acción cancelada', logged_out: 'Su sesión terminó. Inicie sesión de nuevo.',
      not_authorized: 'No tiene autorización para ver este recurso.', application_update_available: 'Hay una versión nueva.',
      offline: 'Sin conexión. No se pudieron obtener los datos.',
    },
    validation: {
      required: 'Obligatorio', minLength: 'Debe tener al menos %{min} caracteres', maxLength: 'Debe tener %{max} caracteres o menos',
      minValue: 'Debe ser al menos %{min}', maxValue: 'Debe ser %{max} o menos', number: 'Debe ser un número',
      email: 'Debe ser un correo válido', oneOf: 'Debe ser uno de: %{options}', regex: 'Formato inválido: %{pattern}', unique: 'Debe ser único',
    },
    saved_queries: {
      label: 'Búsquedas guardadas', query_name: 'Nombre', new_label: 'Guardar búsqueda…', new_dialog_title: 'Guardar la búsqueda como',
      remove_label: 'Quitar búsqueda guardada', remove_label_with_name: 'Quitar la búsqueda "%{name}"', remove_dialog_title: '¿Quitar la búsqueda?',
      remove_message: '¿Quitar esta búsqueda de su lista?', help: 'Filtre la lista y guarde la búsqueda',
    },
    guesser: { empty: { title: 'Sin datos', message: 'Revise el proveedor de datos' } },
    configurable: {
      customize: 'Personalizar', configureMode: 'Configurar esta página',
      inspector: { title: 'Inspector', content: 'Pase el cursor por la página para configurarla', reset: 'Restablecer', hideAll: 'Ocultar todo', showAll: 'Mostrar todo' },
      Datagrid: { title: 'Tabla', unlabeled: 'Columna sin nombre #%{column}' },
      SimpleForm: { title: 'Formulario', unlabeled: 'Campo sin nombre #%{input}' },
      SimpleList: { title: 'Lista', primaryText: 'Texto principal', secondaryText: 'Texto secundario', tertiaryText: 'Texto terciario' },
    },
  },
  resources: {
    ventas: {
      name: 'Venta |||| Ventas',
      fields: {
        id: 'Transacción', creado_en: 'Fecha', monto: 'Monto', estado_pago: 'Pago', estado_hotspot: 'Acceso', cliente_nombre: 'Cliente',
        cliente_email: 'Correo', hotspot_usuario: 'Usuario hotspot', router_id: 'Router', producto_nombre: 'Producto', gateway: 'Pasarela',
        desde: 'Desde', hasta: 'Hasta', email: 'Cliente (correo)', usuario: 'Usuario hotspot',
      },
    },
    productos: {
      name: 'Producto |||| Productos',
      fields: {
        nombre_venta: 'Nombre de venta', router_id: 'Router', perfil_mikrotik_nombre: 'Perfil MikroTik', precio: 'Precio', moneda: 'Moneda',
        descripcion: 'Descripción', limit_uptime: 'Tiempo máximo de conexión', vigencia_minutos: 'Vigencia (minutos)', orden_visual: 'Orden',
        destacado: 'Destacado', activo: 'Activo', perfil_verificado: 'Verificado', imagen_url: 'Imagen (URL)',
        limite_velocidad: 'Velocidad (subida/bajada)', dispositivos: 'Dispositivos simultáneos', vigencia_desde: 'La vigencia cuenta desde',
      },
    },
    routers: {
      name: 'Router |||| Routers',
      fields: { nombre: 'Nombre', host: 'Host', puerto: 'Puerto', usuario: 'Usuario API', ubicacion: 'Ubicación', activo: 'Activo', tls: 'API-SSL', creado_en: 'Creado' },
    },
    lotes: {
      name: 'Lote de fichas |||| Fichas',
      fields: { producto_id: 'Producto', cantidad: 'Cantidad', tipo_usuario: 'Tipo de usuario', prefijo: 'Prefijo', creado_en: 'Creado', estado: 'Estado' },
    },
    empresas: {
      name: 'Empresa |||| Empresas',
      fields: {
        nombre: 'Nombre', contacto_email: 'Correo de contacto', contacto_telefono: 'Teléfono', activa: 'Activa', creada_en: 'Creada',
        conekta_private_key: 'Llave privada Conekta', conekta_public_key: 'Llave pública Conekta', conekta_mode: 'Modo Conekta',
        conekta_configurado: 'Conekta', mercado_pago_configurado: 'Mercado Pago', telegram_chat_id: 'Chat de Telegram', telegram_bot_token: 'Token del bot',
      },
    },
    usuarios: {
      name: 'Usuario |||| Usuarios',
      fields: { email: 'Correo', nombre: 'Nombre', rol: 'Rol', empresa_id: 'Empresa', activo: 'Activo', ultimo_login: 'Último acceso', password: 'Contraseña inicial', creado_en: 'Creado' },
    },
  },
};

export const i18nProvider = polyglotI18nProvider(() => es, 'es', [{ locale: 'es', name: 'Español' }], { allowMissing: true });

export const ESTADO_PAGO: Record<string, string> = {
  pending: 'Pendiente', paid: 'Pagada', declined: 'Declinada', unknown: 'En verificación', expired: 'Expirada', refunded: 'Reembolsada', charged_back: 'Contracargo',
};
export const ESTADO_HOTSPOT: Record<string, string> = {
  pending: 'Pendiente', provisioning: 'Creando usuario', active: 'Activo', failed: 'Falló', disabled: 'Deshabilitado', expired: 'Expirado',
};
/** How a sale was paid (issues 23.5 and 24). */
export const METODO_PAGO: Record<string, string> = { tarjeta: 'Tarjeta', oxxo: 'OXXO', paycash: 'Paycash', spei: 'SPEI' };
export const PASARELA: Record<string, string> = { conekta: 'Conekta', mercadopago: 'Mercado Pago' };
export const choices = (map: Record<string, string>) => Object.entries(map).map(([id, name]) => ({ id, name }));

/**
 * FreeRADIUS's tables (its stock PostgreSQL schema) live in a schema of their
 * own beside the app's: `public` → `radius`, any other schema S → `S_radius`.
 * The migration, the FreeRADIUS configuration, the stores that write users and
 * read accounting, and the test scopes all derive it here, so each test file
 * gets its own and drops it with its own.
 */
export function radiusSchemaFor(appSchema: string | null | undefined): string {
  const app = appSchema && appSchema.length > 0 ? appSchema : 'public';
  return app === 'public' ? 'radius' : `${app}_radius`;
}

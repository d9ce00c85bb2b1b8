/**
 * Builds the operators' panel (react-admin) into panel/dist/, served by the
 * web process at /panel/ (src/http/panel.ts). Nothing is loaded from outside
 * this origin: no CDN, no web fonts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/panel/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // react-admin and Material UI are large; one vendor chunk keeps the app's own chunk small and cacheable apart.
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          return id.includes('node_modules') ? 'vendor' : undefined;
        },
      },
    },
  },
  server: {
    // `npx vite --config panel/vite.config.ts` during development, with the API on :8000.
    proxy: { '/api': 'http://localhost:8000', '/admin': 'http://localhost:8000' },
  },
});

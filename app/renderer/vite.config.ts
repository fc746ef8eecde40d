// Vite config for the renderer. build/scripts/build.mjs runs it; the output goes to <repo>/dist/renderer,
// with relative asset URLs (`base: './'`) so the same bundle loads from file:// (Electron) and from
// `stella serve` on 127.0.0.1.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // recharts makes a big chunk; the bundle is loaded locally, never over a network.
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1' },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the supervisor runs on its default port; the dev server forwards the API
// and the event stream there so the page is same-origin in both dev and production.
const supervisor = 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': supervisor,
      '/ws': { target: supervisor, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});

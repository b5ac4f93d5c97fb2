import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The platform serves dist/ at `/`; during `npm run dev` the API is proxied to a running platform.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env.LINGSHU_URL ?? 'http://127.0.0.1:3000' },
  },
});

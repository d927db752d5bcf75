// Builds the self-hosted server into one file, dist/server/server.mjs, with its libraries bundled,
// so `npm run serve` and the Docker image need no TypeScript tooling at run time. Node built-ins
// stay imports. Paths are relative to the repository root, where `npm run build` runs.
import { defineConfig } from 'vite'

export default defineConfig({
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'worker/src/node/server.ts',
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'server.mjs' } },
  },
  ssr: { noExternal: true, target: 'node' },
})

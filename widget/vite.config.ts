// Builds the widget into one self-contained classic script, dist/widget/widget.js, which the
// worker serves as a static asset: `<script src="https://<worker>/widget.js" data-site="…">`.
// Paths are relative to the repository root, where `npm run build` runs.
import { defineConfig } from 'vite'

export default defineConfig({
  publicDir: false,
  // Libraries read NODE_ENV to drop their debug code; library mode leaves it alone by default.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    // Every browser with Shadow DOM and fetch; newer syntax would only save a few bytes.
    target: 'es2020',
    minify: true,
    sourcemap: false,
    lib: {
      entry: 'widget/src/index.ts',
      formats: ['iife'],
      // Required for iife. The entry exports nothing, so no global of this name is created;
      // the script defines `window.Leadcatcher` itself.
      name: 'LeadcatcherWidget',
      fileName: () => 'widget.js',
    },
  },
})

// Builds the console (the leads inbox for site owners and managers) into dist/widget/console/:
// index.html and preview.html (the live preview's frame) plus hashed assets under assets/. Inside
// dist/widget because Workers Static Assets serve that one folder ([assets] in wrangler.toml) and
// the Node server serves it too, so both runtimes serve the console as plain files at /console/
// with nothing new in the worker. Its own build with its own entries: it shares no chunk with the
// widget and leaves the widget's files as they are; it only appends its rules to the `_headers` file (headers.ts). Run from the repository
// root after the widget build (which empties dist/widget): `vite build --config widget/console/vite.config.ts`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import { withConsoleHeaders } from './headers.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const WIDGET_DIST = here('../../dist/widget')

function consoleHeaders(): Plugin {
  return {
    name: 'leadcatcher-console-headers',
    apply: 'build',
    closeBundle() {
      const path = `${WIDGET_DIST}/_headers`
      writeFileSync(path, withConsoleHeaders(existsSync(path) ? readFileSync(path, 'utf8') : ''))
    },
  }
}

export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // The production JSX runtime whatever NODE_ENV the caller has (see widget/vite.config.ts).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  plugins: [consoleHeaders()],
  build: {
    outDir: `${WIDGET_DIST}/console`,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    // Every browser the console supports has modulepreload: the polyfill would be dead bytes.
    modulePreload: { polyfill: false },
    // Every asset is a file of its own: an inlined data: URL would be one more thing for the CSP.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // Two pages: the console, and the live preview's frame (preview.html, src/preview/), which
      // Settings frames sandboxed so the real widget.js runs on the draft config.
      input: { index: here('index.html'), preview: here('preview.html') },
      // Size: the console takes only constant lists from shared/schemas (LEAD_SOURCES, the
      // statuses), but the schemas beside them are built at module level through these local
      // helpers, which the bundler cannot prove pure, so valibot came along (about 3 KB gzip).
      // Declared pure here, unused schemas drop out; a renamed helper only brings the bytes back.
      treeshake: { manualPureFunctions: ['optionalText', 'attributionText', 'lenient'] },
    },
  },
})

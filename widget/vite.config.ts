// Builds the widget in two parts, both served by the worker as static assets from dist/widget:
// - widget.js, the classic script of the tag (`<script src="https://<worker>/widget.js"
//   data-site="…">`): the loader and the launcher facade only, one IIFE;
// - app.js and chunks/*.js, ES modules the loader fetches with `import()` relative to its own URL
//   on first use or idle: the Preact view, the callback form, exit intent, phone metadata.
// Two builds because an IIFE cannot split and an ES entry would make the tag a module script.
// Paths are relative to the repository root, where `npm run build` runs.
import { build, defineConfig } from 'vite'
import type { InlineConfig, Plugin } from 'vite'

const shared = {
  configFile: false,
  publicDir: false,
  // Libraries read NODE_ENV to drop their debug code; library mode leaves it alone by default.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // The production JSX runtime whatever NODE_ENV the caller has: vitest sets 'test', and the e2e
  // tests build through `npm start` inside it. Left to NODE_ENV, they tested (and `npm run size`
  // in CI measured) a development build with file names and line numbers in every element.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
} satisfies InlineConfig

const BASE_BUILD = {
  outDir: 'dist/widget',
  // Every browser with Shadow DOM, fetch and dynamic import(); newer syntax saves only bytes.
  target: 'es2020',
  minify: true,
  sourcemap: false,
} as const

/**
 * Cloudflare static-asset headers. Module scripts are fetched in CORS mode, and the host page is
 * on another origin than the worker, so app.js and its chunks need an allow-origin header (a
 * classic widget.js does not). They are public code without credentials: `*` is right.
 */
const HEADERS = `/app.js
  Access-Control-Allow-Origin: *
/chunks/*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=31536000, immutable
`

/** Runs the loader build after the app build, into the same folder. */
function loaderBuild(): Plugin {
  return {
    name: 'leadcatcher-loader',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: HEADERS })
    },
    async closeBundle() {
      await build({
        ...shared,
        logLevel: 'warn',
        // The loader loads the built app.js by URL; the source import of ../core/mount must not exist here.
        resolve: { alias: [{ find: /^\.\/load-app$/, replacement: decodeURIComponent(new URL('./src/loader/load-app.built.ts', import.meta.url).pathname) }] },
        build: {
          ...BASE_BUILD,
          emptyOutDir: false,
          lib: {
            entry: 'widget/src/loader/index.ts',
            formats: ['iife'],
            // Required for iife. The entry exports nothing, so no global of this name is created;
            // the script defines `window.Leadcatcher` itself.
            name: 'LeadcatcherWidget',
            fileName: () => 'widget.js',
          },
        },
      })
    },
  }
}

export default defineConfig({
  ...shared,
  plugins: [loaderBuild()],
  build: {
    ...BASE_BUILD,
    emptyOutDir: true,
    // The loader imports app.js by URL, so its exports are the contract: keep them as written.
    lib: {
      entry: { app: 'widget/src/core/mount.tsx' },
      formats: ['es'],
      fileName: (_f, name) => `${name}.js`,
    },
    rolldownOptions: {
      // Vite leaves ES library output unminified (it keeps pure annotations for bundlers);
      // these chunks go to browsers as they are, so the output itself is minified, and without
      // the `/* @__PURE__ */` before every JSX call, which no browser reads (~0.2 KB gzip of the
      // app on first use). Legal comments would stay; none of our dependencies has one today.
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
        // Modules that load together are one chunk: left to itself, rolldown cuts a chunk per set
        // of importers, so each language's texts came in two (the widget's and the worker's
        // messages it shares) and the form's fields in two (the exit offer has no phone field):
        // each cut is one more request and its own gzip window on first use.
        codeSplitting: {
          groups: [
            { name: 'lead-context', test: /widget\/src\/(core\/api|core\/lead-context|loader\/locale)\.ts$|shared\/api\.ts$/ },
            { name: 'forms', test: /node_modules\/preact\/|widget\/src\/view\/(field|phone-field)\.tsx$|callback-form\/(rules\.ts|consent\.tsx)$/ },
            { name: 'strings-ru', test: /(strings|messages)\/ru\.ts$/ },
            { name: 'strings-en', test: /(strings|messages)\/en\.ts$/ },
          ],
        },
      },
    },
  },
})

// Runs the built, minified dist/widget/widget.js the way a page would: catches what only the
// build can break (JSX runtime, NODE_ENV, iife wrapping, the app chunk loaded by URL next to the
// script). It needs `npm run build` first (`npm test` builds before vitest) and fails without it,
// so a missing build can never pass for a checked one.
import { fireEvent, waitFor } from '@testing-library/preact'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LeadSchema } from '../../shared/schemas/lead'
import type { LeadcatcherApi, LeadcatcherStub } from './loader/index'
import { acceptingFetch, jsonResponse, sentBody, siteConfig } from './testing'

const built = import.meta.glob<string>('../../dist/widget/widget.js', {
  query: '?raw',
  import: 'default',
  eager: true,
})
const code = Object.values(built)[0]
/** Every file of the widget build: what visitors download, first load or lazy (not the console's). */
const everyFile = import.meta.glob<string>(['../../dist/widget/**/*.js', '!../../dist/widget/console/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

afterEach(() => {
  for (const host of document.querySelectorAll('leadcatcher-widget')) host.remove()
  for (const script of document.querySelectorAll('script')) script.remove()
  delete window.Leadcatcher
  Reflect.deleteProperty(document, 'currentScript')
  vi.unstubAllGlobals()
})

/** The lazy chunks: where every marker kept out of the first load must turn up instead. */
const lazyCode = Object.entries(everyFile)
  .filter(([file]) => !file.endsWith('/widget.js'))
  .map(([, source]) => source)
  .join('\n')

/** The markers are absent from widget.js and present in a lazy chunk: a renamed marker fails. */
function expectOnlyInLazyChunks(markers: readonly string[]): void {
  for (const marker of markers) {
    expect(code, marker).not.toContain(marker)
    expect(lazyCode, `${marker} (positive control: the marker must exist in the build)`).toContain(marker)
  }
}

it('finds the build in dist/widget (run `npm run build` first)', () => {
  expect(code, 'dist/widget/widget.js is missing: run `npm run build`').toBeTypeOf('string')
})

describe.runIf(code)('the built widget.js', () => {
  it('leaves no process.env behind for the browser to trip on', () => {
    expect(code).not.toMatch(/process\.env/)
  })

  it('ships no pure annotations, which only a bundler reads (vite.config.ts output.comments)', () => {
    const files = Object.entries(everyFile)
    expect(files.length).toBeGreaterThan(3)
    for (const [file, source] of files) expect(source, file).not.toContain('__PURE__')
  })

  it('keeps Preact, the form, valibot and the phone code out of the first load', () => {
    // Marker strings of each heavy part, which minification keeps.
    // Preact (hooks, core), the form, valibot's Standard Schema vendor tag, the phone chunk (by the
    // path it loads the site's metadata from). 'AsYouType' and '$$typeof' used to be here and
    // matched nothing in any chunk.
    expectOnlyInLazyChunks(['__H', 'dangerouslySetInnerHTML', 'lc-phone', 'Отправляем', 'vendor:`valibot`', '/phone-metadata'])
    expect(code).toMatch(/import\(new URL\(`app\.js`/)
  })

  it('carries no text but the launcher’s: the form’s and the worker’s messages come later', () => {
    // The visitor error messages (shared/messages) and the form's strings; only LAUNCHER is needed.
    expectOnlyInLazyChunks(['contact_required', 'Too many requests', 'Проверьте его', 'Request a call back'])
    expect(code).toContain('Перезвоните мне')
  })

  it('ships no phone metadata: the worker sends the site’s countries’ (GET /v1/sites/:site/phone-metadata)', () => {
    // libphonenumber-js's name and its metadata's key, in no file at all (both were in its chunk).
    for (const [file, source] of Object.entries(everyFile)) {
      for (const marker of ['country_calling_codes', 'libphonenumber']) expect(source, `${file}: ${marker}`).not.toContain(marker)
    }
    // Positive control: the phone chunk is there, and asks the worker for it.
    expect(Object.keys(everyFile).some((file) => /\/chunks\/phone-[\w-]+\.js$/.test(file))).toBe(true)
  })

  it('brings one language on first use: each language’s texts are a chunk of their own, and the exit offer another', () => {
    const files = new Map(Object.entries(everyFile).map(([file, source]) => [file.replace(/^.*\/dist\/widget\//, ''), source]))
    /** A file with every chunk it imports statically (`import … from"./x.js"`), not its import()s. */
    const withStaticImports = (file: string, seen = new Set<string>()): Set<string> => {
      seen.add(file)
      for (const [, spec] of (files.get(file) ?? '').matchAll(/(?:^|[;}\s])import\s*(?:[^"'`()]*?from\s*)?["']\.\/([^"']+)["']/g)) {
        const dep = file.includes('/') ? `chunks/${spec ?? ''}` : (spec ?? '')
        if (!seen.has(dep)) withStaticImports(dep, seen)
      }
      return seen
    }
    const view = [...files.keys()].find((file) => /^chunks\/view-/.test(file)) as string
    const firstUse = [...withStaticImports('app.js'), ...withStaticImports(view)].map((file) => files.get(file) ?? '')
    // Positive control: the callback form with its phone field is there.
    expect(firstUse.join('\n')).toContain('lc-phone')
    // The submit button's words in Russian and in English, and the exit offer's consent box.
    const markers = ['Жду звонка', 'Request a call', 'lc-exit-consent']
    for (const marker of markers) {
      expect(
        firstUse.some((source) => source.includes(marker)),
        marker,
      ).toBe(false)
      expect(lazyCode, `${marker} (positive control)`).toContain(marker)
    }
    const holding = (marker: string) => [...files].filter(([, source]) => source.includes(marker)).map(([file]) => file)
    expect(holding('Жду звонка')).toEqual([expect.stringMatching(/^chunks\/strings-ru-/)])
    expect(holding('Request a call')).toEqual([expect.stringMatching(/^chunks\/strings-en-/)])
  })

  it('ships the production JSX runtime in every chunk, whatever NODE_ENV the build ran under', () => {
    // `npm test` builds under vitest's NODE_ENV=test (the e2e harness runs `npm start`).
    expect(Object.keys(everyFile).length).toBeGreaterThan(4)
    for (const [file, source] of Object.entries(everyFile)) {
      expect(source, file).not.toMatch(/lineNumber:\d|jsxDEV|jsx-dev-runtime/)
    }
  })

  it('makes no Intl call at page load', () => {
    // The first Intl call loads ICU data: a 150 ms long task on a slow phone. Time zone and date
    // formats belong to the lead being sent, in app.js.
    expect(code).not.toMatch(/\bIntl\./)
  })

  it('boots from its tag, adds only window.Leadcatcher and sends a valid lead', async () => {
    const leads = acceptingFetch('Thanks!')
    const fetchMock = vi.fn<typeof fetch>(async (url, init) => (String(url).endsWith('/config') ? jsonResponse(200, siteConfig()) : leads(url, init)))
    vi.stubGlobal('fetch', fetchMock)
    const stub: LeadcatcherStub = (...args: unknown[]) => {
      ;(stub.q ??= []).push(args)
    }
    window.Leadcatcher = stub
    stub('open', 'callback')
    const script = document.createElement('script')
    // A file URL, so the loader's import() of app.js next to it finds the built chunk. (String
    // surgery: jsdom's URL resolves relative paths against its own http://localhost base.)
    script.src = import.meta.url.replace(/widget\/src\/bundle\.test\.ts.*$/, 'dist/widget/widget.js')
    script.dataset.site = 'shop'
    script.dataset.endpoint = 'https://leads.example'
    document.head.append(script)
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })

    const globalsBefore = new Set(Object.keys(window))
    // Code from `new Function` has no module loader behind its import() in Node (browsers have
    // one), so the test lends it the test module's own import(), which loads the real app.js.
    const loader = (url: string) => import(/* @vite-ignore */ url)
    new Function('__import', String(code).replace('import(new URL', '__import(new URL'))(loader)
    expect(Object.keys(window).filter((key) => !globalsBefore.has(key))).toEqual([])
    expect((window.Leadcatcher as LeadcatcherApi).loaded).toBe(true)

    const shadow = await vi.waitFor(() => {
      const root = document.querySelector('leadcatcher-widget')?.shadowRoot
      if (!root?.querySelector('#lc-phone')) throw new Error('not mounted yet')
      return root
    })
    fireEvent.input(shadow.querySelector('#lc-phone') as Element, {
      target: { value: '+7 912 345-67-89' },
    })
    fireEvent.click(shadow.querySelector('button[type="submit"]') as Element)
    await waitFor(() => expect(shadow.querySelector('[aria-live]')?.textContent).toBe('Thanks!'))
    expect(leads).toHaveBeenCalledWith('https://leads.example/v1/leads', expect.anything())
    expect(v.safeParse(LeadSchema, sentBody(leads)).success).toBe(true)
  })
})

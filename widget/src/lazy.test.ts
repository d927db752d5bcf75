// The first load stays a facade: walks the static imports of widget/src/loader/index.ts (type-only
// imports are erased by the compiler, dynamic import() is a lazy chunk) and checks that nothing
// heavy is on that path. The built widget.js is checked in bundle.test.ts.
import { describe, expect, it } from 'vitest'

const sources = {
  ...import.meta.glob<string>('./**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('../../shared/**/*.ts', {
    query: '?raw',
    import: 'default',
    eager: true,
  }),
}

/** Specifiers of value imports (and re-exports): `import type` and `import()` are left out. */
function staticImports(code: string): string[] {
  const found: string[] = []
  for (const match of code.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    found.push(match[1] as string)
  }
  for (const match of code.matchAll(/^import\s+'([^']+)'/gm)) found.push(match[1] as string)
  return found
}

function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier
  const parts = from.split('/').slice(0, -1)
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.') parts.push(part)
  }
  const base = parts.join('/')
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((path) => path in sources) ?? base
}

/** Every module `entry` pulls in with static value imports. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    const code = sources[path]
    if (code !== undefined) for (const spec of staticImports(code)) visit(resolve(path, spec))
  }
  visit(entry)
  return seen
}

const firstLoadGraph = () => staticGraph('./loader/index.ts')

describe('the first load', () => {
  it('imports no Preact, valibot, libphonenumber-js, form, exit intent or chat code', () => {
    const graph = [...firstLoadGraph()]
    expect(graph).toContain('./core/api.ts')
    for (const heavy of ['preact', 'preact/hooks', 'valibot', 'libphonenumber-js/min']) {
      expect(graph).not.toContain(heavy)
    }
    for (const path of graph) {
      expect(path).not.toMatch(/\/(mount|app|dialog|callback-form\/|exit-intent\/|chat\/|outbox)/)
    }
  })

  it('reaches the phone metadata only through a dynamic import', () => {
    const mount = sources['./core/mount.tsx'] ?? ''
    expect(staticImports(mount).some((spec) => spec.includes('phone'))).toBe(false)
    expect(mount).toContain("import('../callback-form/phone')")
  })
})

describe('the app core (app.js)', () => {
  it('arms the outbox and exit intent without Preact or the forms, which come with ./view', () => {
    const graph = [...staticGraph('./core/mount.tsx')]
    expect(graph).toEqual(expect.arrayContaining(['./core/outbox.ts', './exit-intent/triggers.ts']))
    expect(graph).not.toContain('preact')
    expect(graph).not.toContain('preact/hooks')
    for (const path of graph) {
      expect(path).not.toMatch(/\/(app|view|dialog|field)\.tsx$|\/callback-form\/callback-form|exit-offer/)
    }
    expect(sources['./core/mount.tsx']).toContain("import('../view/view')")
    // Turnstile's code only for sites that use it, when a lead goes out.
    expect(graph).not.toContain('./core/turnstile.ts')
    expect(sources['./core/mount.tsx']).toContain("import('./turnstile')")
  })
})

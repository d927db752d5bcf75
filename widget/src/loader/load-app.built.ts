// The rest of the widget, built: app.js next to widget.js, an ES module. `import()` works from a
// classic script and is allowed by a CSP whose script-src allows the worker's origin.
import type { AppModule } from './load-app'

export function loadApp(scriptSrc: string): Promise<AppModule> {
  return import(/* @vite-ignore */ new URL('app.js', scriptSrc).href)
}

// The rest of the widget, from source: what tests and `vite dev` use. The loader build swaps this
// module for load-app.built.ts (an alias in vite.config.ts), so the bundled loader never even sees
// the import of ../core/mount: an IIFE build would otherwise inline the whole app into widget.js.
import type { MountOptions, Widget } from '../core/mount'

export type AppModule = { mountWidget(options: MountOptions): Widget }

export function loadApp(_scriptSrc: string): Promise<AppModule> {
  return import('../core/mount')
}

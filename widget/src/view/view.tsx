// The widget's Preact view as a chunk of its own. The core of the app (outbox, exit-intent
// watcher, the handle behind `window.Leadcatcher`) arms without it; evaluating Preact and the
// forms is a separate task that the first render follows in another.
import { render } from 'preact'
import { App } from './app'
import type { AppProps } from './app'

export type { AppProps }

/** Renders (or re-renders) the view into `container`. */
export function renderView(props: AppProps, container: HTMLElement): void {
  render(<App {...props} />, container)
}

/** Unmounts the view, running its cleanups. */
export function clearView(container: HTMLElement): void {
  render(null, container)
}

// How the widget spreads its work over the host page's main thread. Every step that can take tens
// of milliseconds on a slow phone (a first fetch, the first localStorage read, building the shadow
// root, evaluating a chunk, the first render) gets a task of its own, so none of them adds up to a
// long task (> 50 ms) that delays the page's own input handling.

/** Ends the current task; what follows runs in a new one, after the page's pending input. */
export function nextTask(): Promise<void> {
  // A callback of ours, not the native `resolve`: long-animation-frame entries then name this
  // script as the task's source, so a benchmark can attribute what follows to the widget.
  return new Promise((resolve) => setTimeout(() => resolve(), 0))
}

/** Resolves once the DOM is parsed: the host element goes into `document.body`. */
export function domReady(): Promise<unknown> {
  return document.readyState === 'loading' ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true })) : Promise.resolve()
}

/** After the page's own work: what is not needed yet must not compete with the page's load. */
export function whenIdle(run: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 4000 })
  else setTimeout(run, 2000)
}

// The script of the preview frame (preview.html), which the console shows sandboxed, without
// allow-same-origin. It loads the real widget.js, as a site's tag does, after putting a fetch in
// front of it: the widget's config GET answers the draft the console sent, its lead POST and its
// phone-metadata GET go to the console by postMessage (the frame has no session: the console
// sends the lead as a test lead), and nothing else reaches the network. The widget's own bytes
// know nothing of this.
import type { FromFrame, PreviewPart } from './protocol'
import { readToFrame } from './protocol'

/** The worker's origin: this page's URL's, even though the sandbox gives the document an opaque one. */
const ORIGIN = new URL(location.href).origin

/** The answers the console still owes, by request id. */
const pending = new Map<number, (answer: Response) => void>()
let lastId = 0
let shown: { site: string; config: unknown } | null = null

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** Posts to the console (the parent, at this page's origin) and waits for its answer. */
function ask(message: (id: number) => FromFrame): Promise<Response> {
  const id = ++lastId
  return new Promise((resolve) => {
    pending.set(id, resolve)
    post(message(id))
  })
}

function post(message: FromFrame): void {
  window.parent.postMessage(message, ORIGIN)
}

const refused = () => json(404, { error: { code: 'not_found', message: 'The preview answers only the widget’s config, leads and phone metadata.' } })

/** What the widget's fetch calls get here. */
async function previewFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init)
  const url = new URL(request.url)
  if (url.origin !== ORIGIN || !shown) return refused()
  const site = encodeURIComponent(shown.site)
  if (request.method === 'GET' && url.pathname === `/v1/sites/${site}/config`) return json(200, shown.config)
  if (request.method === 'GET' && url.pathname === `/v1/sites/${site}/phone-metadata`) {
    return ask((id) => ({ type: 'lc-preview:phone-metadata', id }))
  }
  if (request.method === 'POST' && url.pathname === '/v1/leads') {
    let lead: unknown
    try {
      lead = await request.json()
    } catch {
      return json(400, { error: { code: 'invalid_json', message: 'The lead is not JSON.' } })
    }
    return ask((id) => ({ type: 'lc-preview:lead', id, lead }))
  }
  return refused()
}

interface LeadcatcherGlobal {
  (...args: unknown[]): unknown
  q?: unknown[][]
  open?: (part: PreviewPart) => void
}

const page = window as unknown as { Leadcatcher?: LeadcatcherGlobal }

/**
 * Takes the last widget off the page and loads widget.js again on the new config: the loader reads
 * its config once, so a new draft is a new mount. The script comes from the HTTP cache; app.js and
 * its chunks stay in the module map, so a remount costs a 304 and a render, not a reload.
 */
function mount(site: string, config: unknown, locale: 'ru' | 'en', open: PreviewPart | null): void {
  shown = { site, config }
  for (const old of document.querySelectorAll('leadcatcher-widget, script[data-site]')) old.remove()
  // The queue of the tag's snippet: an open asked for now is replayed once the loader runs.
  const stub: LeadcatcherGlobal = (...args: unknown[]) => {
    ;(stub.q ??= []).push(args)
  }
  if (open) stub('open', open)
  page.Leadcatcher = stub
  document.documentElement.lang = locale
  const script = document.createElement('script')
  script.src = new URL('/widget.js', ORIGIN).href
  script.dataset.site = site
  script.dataset.endpoint = ORIGIN
  script.dataset.locale = locale
  document.body.append(script)
}

function receive(event: MessageEvent): void {
  // Only the console that framed this page speaks here.
  if (event.source !== window.parent || event.origin !== ORIGIN) return
  const message = readToFrame(event.data)
  if (!message) return
  if (message.type === 'lc-preview:show') mount(message.site, message.config, message.locale, message.open)
  else if (message.type === 'lc-preview:open') {
    const api = page.Leadcatcher
    if (api) api('open', message.part)
  } else {
    const resolve = pending.get(message.id)
    pending.delete(message.id)
    resolve?.(json(message.status, message.body))
  }
}

window.fetch = previewFetch
window.addEventListener('message', receive)
post({ type: 'lc-preview:ready' })

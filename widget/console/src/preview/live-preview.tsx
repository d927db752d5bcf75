// The live preview panel (lazy-loaded by index.tsx): the real widget.js in a sandboxed frame
// (preview.html, frame.ts) on the Settings form's draft, at desktop size or a phone's 360 px, in
// either language, with buttons that open each part. The draft reaches the frame by postMessage,
// debounced, and remounts the widget there without reloading the frame; a lead the widget sends
// comes back here and is sent as a test lead (POST /v1/admin/sites/:site/test-leads) with the
// console's session, which the frame never has.
import { useEffect, useRef, useState } from 'preact/hooks'
import * as v from 'valibot'
import type { LeadAcceptedBody } from '../../../../shared/api'
import { replyTextFor } from '../../../../shared/reply'
import { LeadSchema } from '../../../../shared/schemas/lead'
import type { Locale, SiteConfig } from '../../../../shared/schemas/site-config'
import type { ApiClient, ApiFailure, ApiResult } from '../api'
import { useStrings } from '../i18n'
import type { FormState } from '../settings/settings-form'
import { errorText } from '../ui'
import { draftOf, previewConfig } from './draft-config'
import type { PreviewConfig } from './draft-config'
import { PREVIEW_PARTS, readFromFrame } from './protocol'
import type { PreviewPart, ToFrame } from './protocol'
import { usePreviewStrings } from './strings'

export interface LivePreviewProps {
  api: ApiClient
  site: string
  /** The config as Settings last read it (secrets redacted). */
  stored: Record<string, unknown>
  /** The Settings form as it is now, saved or not. */
  form: FormState
}

/** How long the form must be still before the preview follows it. */
export const PREVIEW_DEBOUNCE_MS = 300

/** The frame's own size in each mode; narrower columns scale it down whole, as a screenshot would. */
export const FRAME_SIZES = { desktop: { width: 1024, height: 720 }, phone: { width: 360, height: 640 } } as const
type Size = keyof typeof FRAME_SIZES

/** A test lead's answer (worker/src/http-routes/admin-test-leads.ts TestLeadAnswer). */
interface TestLeadAnswer {
  leadId: string
  deliveries: { targetId: string; status: string }[]
}

type LeadNote = { state: 'sending' } | { state: 'sent'; id: string; deliveries: number } | { state: 'failed'; error: ApiFailure }

type Good = Extract<PreviewConfig, { ok: true }>

/** What the widget reads as a 201 from /v1/leads: the reply it shows, worked out as the worker does, on the draft. */
function acceptedBody(answer: TestLeadAnswer, lead: unknown, config: SiteConfig): LeadAcceptedBody {
  const parsed = v.safeParse(LeadSchema, lead)
  const input = parsed.success ? parsed.output : null
  const text = replyTextFor(
    config,
    {
      source: input?.source ?? 'callback',
      callbackAt: input?.callbackAt,
      locale: input?.locale,
      timezone: input?.context?.timezone,
      hasPhone: input ? input.contact.phone !== undefined : true,
    },
    new Date(),
  )
  return { id: answer.leadId, status: 'accepted', duplicate: false, reply: { text }, score: 0, temperature: 'cold' }
}

/** A refusal as the widget reads one from /v1/leads; no answer at all is a 503 it may retry. */
function refusal(error: ApiFailure): { status: number; body: unknown } {
  if (error.kind === 'network') return { status: 503, body: { error: { code: 'unavailable', message: 'No connection to the server.' } } }
  return { status: error.status, body: { error: { code: error.code, message: error.message, ...(error.issues && { issues: error.issues }) } } }
}

/** Why a part cannot open on this draft, or null when it can. */
function partOff(part: PreviewPart, config: SiteConfig): 'exit' | 'invite' | 'chat' | null {
  if (part === 'exit') return config.exitIntent?.enabled ? null : 'exit'
  if (part === 'invite') return config.chatInvite?.enabled && config.chat ? null : 'invite'
  if (part === 'chat') return config.chat ? null : 'chat'
  return null
}

export function LivePreviewPanel({ api, site, stored, form }: LivePreviewProps) {
  const s = usePreviewStrings()
  const { t } = useStrings()
  const frame = useRef<HTMLIFrameElement>(null)
  const box = useRef<HTMLDivElement>(null)
  const [draft, setDraft] = useState<PreviewConfig | null>(null)
  const [good, setGood] = useState<Good | null>(null)
  const [size, setSize] = useState<Size>('desktop')
  const [locale, setLocale] = useState<Locale | null>(null)
  const [opened, setOpened] = useState<PreviewPart | null>(null)
  /** How often the frame said it is ready: each time (a reload too) it starts empty and gets the draft. */
  const [frameLoads, setFrameLoads] = useState(0)
  const ready = frameLoads > 0
  const [note, setNote] = useState<LeadNote | null>(null)
  const [scale, setScale] = useState(1)
  // The message handler reads the latest of these without being added again on every change.
  const latest = useRef({ site, opened, good })

  // The preview follows the draft once typing pauses; the first draft shows at once.
  const first = useRef(true)
  useEffect(() => {
    const check = () => {
      const next = previewConfig(site, draftOf(stored, form))
      setDraft(next)
      if (next.ok) setGood(next)
    }
    if (first.current) {
      first.current = false
      return check()
    }
    const timer = setTimeout(check, PREVIEW_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [stored, form, site])

  const shownLocale: Locale = locale ?? good?.config.locale ?? 'ru'
  latest.current = { site, opened, good }

  const post = (message: ToFrame) => {
    // The frame's origin is opaque, which no targetOrigin can name: '*' with the frame's own
    // window as the target. What goes there is public (the public config, the widget's answers).
    frame.current?.contentWindow?.postMessage(message, '*')
  }

  // A new draft or language remounts the widget in the frame, with what was open opened again;
  // a draft that shows the same (a settings field the widget never sees, a form state rebuilt
  // alike) leaves it alone, so what someone is typing into the preview's form stays.
  const shown = useRef<{ loads: number; key: string } | null>(null)
  useEffect(() => {
    if (!ready || !good) return
    const key = JSON.stringify([site, good.publicConfig, shownLocale])
    if (shown.current?.loads === frameLoads && shown.current.key === key) return
    shown.current = { loads: frameLoads, key }
    post({ type: 'lc-preview:show', site, config: good.publicConfig, locale: shownLocale, open: latest.current.opened })
  }, [frameLoads, good, shownLocale, site])

  useEffect(() => {
    const answer = (id: number, status: number, body: unknown) => post({ type: 'lc-preview:answer', id, status, body })
    const receive = async (event: MessageEvent) => {
      // Only our frame, whose sandbox makes its origin the opaque "null".
      if (!frame.current || event.source !== frame.current.contentWindow || event.origin !== 'null') return
      const message = readFromFrame(event.data)
      if (!message) return
      const { site: key, good: current } = latest.current
      if (message.type === 'lc-preview:ready') return setFrameLoads((n) => n + 1)
      if (message.type === 'lc-preview:phone-metadata') {
        const result: ApiResult<unknown> = await api.get(`/v1/sites/${encodeURIComponent(key)}/phone-metadata`)
        const { status, body } = result.ok ? { status: 200, body: result.value } : refusal(result.error)
        return answer(message.id, status, body)
      }
      setNote({ state: 'sending' })
      const result = await api.send<TestLeadAnswer>('POST', `/v1/admin/sites/${encodeURIComponent(key)}/test-leads`, { lead: message.lead })
      if (result.ok && current) {
        setNote({ state: 'sent', id: result.value.leadId, deliveries: result.value.deliveries.length })
        return answer(message.id, 201, acceptedBody(result.value, message.lead, current.config))
      }
      const error: ApiFailure = result.ok ? { kind: 'network' } : result.error
      setNote({ state: 'failed', error })
      const { status, body } = refusal(error)
      answer(message.id, status, body)
    }
    const listener = (event: MessageEvent) => void receive(event)
    window.addEventListener('message', listener)
    return () => window.removeEventListener('message', listener)
  }, [api])

  // The frame keeps its own size and is scaled to the column, so a desktop layout stays one.
  const natural = FRAME_SIZES[size]
  useEffect(() => {
    const element = box.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const fit = () => setScale(Math.min(1, element.clientWidth / natural.width || 1))
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(element)
    return () => observer.disconnect()
  }, [natural.width])

  const open = (part: PreviewPart) => {
    setOpened(part)
    post({ type: 'lc-preview:open', part })
  }

  const staleNote = draft && !draft.ok && good ? s.stale(draft.paths.filter(Boolean).join(', ') || '…') : null

  return (
    <section class="live-preview" aria-labelledby="live-preview-title">
      <h2 id="live-preview-title">{s.title}</h2>
      <p class="hint">{s.intro}</p>
      <div class="preview-controls">
        <div class="segmented" role="group" aria-label={s.size}>
          {(['desktop', 'phone'] as const).map((option) => (
            <button key={option} type="button" aria-pressed={size === option} onClick={() => setSize(option)}>
              {s[option]}
            </button>
          ))}
        </div>
        <div class="segmented" role="group" aria-label={s.language}>
          {(['ru', 'en'] as const).map((option) => (
            <button key={option} type="button" lang={option} aria-pressed={shownLocale === option} onClick={() => setLocale(option)}>
              {s.languages[option]}
            </button>
          ))}
        </div>
      </div>
      <div class="preview-open" role="group" aria-label={s.open}>
        {PREVIEW_PARTS.map((part) => {
          const off = good ? partOff(part, good.config) : null
          return (
            <button
              key={part}
              type="button"
              class="secondary"
              disabled={!ready || !good || off !== null}
              aria-describedby={off ? `preview-off-${part}` : undefined}
              onClick={() => open(part)}
            >
              {s.parts[part]}
            </button>
          )
        })}
      </div>
      {PREVIEW_PARTS.map((part) => {
        const off = good ? partOff(part, good.config) : null
        return off ? (
          <p key={part} id={`preview-off-${part}`} class="hint">
            {s.parts[part]}: {s.off[off]}
          </p>
        ) : null
      })}
      <div class="preview-notes" role="status">
        {staleNote && <p class="hint">{staleNote}</p>}
        {note?.state === 'sending' && <p class="hint">{s.sending}</p>}
        {note?.state === 'sent' && (
          <p>
            {s.sent(note.id)} {s.deliveries(note.deliveries)}
          </p>
        )}
        {note?.state === 'failed' && <p class="field-error">{s.notSent(errorText(note.error, t))}</p>}
      </div>
      <div ref={box} class={`preview-stage ${size}`}>
        <div class="preview-viewport" data-scale={scale.toFixed(3)} style={{ width: `${natural.width * scale}px`, height: `${natural.height * scale}px` }}>
          <iframe
            ref={frame}
            title={s.frameTitle}
            src={`${import.meta.env.BASE_URL}preview.html`}
            // allow-forms: Chromium fires no submit event in a sandbox without it, and the widget's
            // forms are real forms (their handlers prevent the navigation; the frame's CSP has
            // form-action 'none' besides). No allow-same-origin: the frame stays opaque.
            sandbox="allow-scripts allow-forms"
            width={natural.width}
            height={natural.height}
            style={{ transform: `scale(${scale})` }}
          />
        </div>
      </div>
    </section>
  )
}

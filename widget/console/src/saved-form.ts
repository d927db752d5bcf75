// What the console's config forms (Settings, the Team page's routing, the Chatbot's flow) share: the
// read of GET /v1/admin/sites/:site, the saved state and the draft, whether they differ, the save as
// a JSON Merge Patch (PATCH), its status line, and a refusal's issues put beside the field they name.
// The leave guard stays in each form (useLeaveGuard(dirty ? s.leave : null)): called from here, it
// made Rolldown split a chunk and the console's first load grew from 49.28 to 50.46 KB gzip.
// The Targets page stays out: its draft is one target at a time (or none: a removal), checked with
// TargetSchema before it is sent, while the PATCH sends the whole `targets` list; nothing of it is a
// saved state against a draft of the same shape.
import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from './api'

export type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready' }

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'refused'

export interface PlacedIssues {
  /** Messages by field key. */
  byField: Record<string, string[]>
  /** Issues that name no field of the form (a whole-config rule, a section the form does not show). */
  other: { path: string; message: string }[]
}

const NO_ISSUES: PlacedIssues = { byField: {}, other: [] }

/**
 * Puts each issue beside its field: the key that is the issue's path or its longest prefix
 * (`hours.week.mon.0.1` → `hours.week.mon`), else the first key inside the path it names (a section:
 * `hours` → `hours.timezone`); the rest, and with `section` any issue outside it, go to `other`.
 * @param section what the keys are relative to, with its dot (`routing.`: `routing.rules.0` → `rules.0`)
 * @example
 * placeIssues([{ path: 'routing.mode', message: 'Invalid' }], ['mode'], 'routing.') // → { byField: { mode: ['Invalid'] }, other: [] }
 */
export function placeIssues(issues: readonly { path: string; message: string }[], keys: readonly string[], section = ''): PlacedIssues {
  const placed: PlacedIssues = { byField: {}, other: [] }
  for (const issue of issues) {
    const path = issue.path.startsWith(section) ? issue.path.slice(section.length) : null
    const owner =
      path === null
        ? undefined
        : (keys.filter((key) => path === key || path.startsWith(`${key}.`)).sort((a, b) => b.length - a.length)[0] ?? keys.find((key) => key.startsWith(`${path}.`)))
    if (owner !== undefined) (placed.byField[owner] ??= []).push(issue.message)
    else placed.other.push(issue)
  }
  return placed
}

export interface SavedFormOptions<View, Saved, Form> {
  api: ApiClient
  /** The resource: read with GET, saved with a PATCH of `patch`'s merge patch; it answers a View both times. */
  path: string
  /** The saved state before the first read. */
  initial: Saved
  /** The saved state an answer makes; `sent` is the draft a save sent, null for a read. */
  read: (view: View, sent: Form | null) => Saved
  /** The draft a saved state starts. */
  draftOf: (saved: Saved) => Form
  /** Whether the draft has changes to save. */
  changed: (saved: Saved, form: Form) => boolean
  /** The JSON Merge Patch (RFC 7396) that turns the saved state into the draft. */
  patch: (saved: Saved, form: Form) => unknown
  /** With each answer taken: the read's (sent null) and each save's (sent: the draft it sent). */
  onRead?: (view: View, sent: Form | null) => void
  /** The keys a refusal's issues are shown at (placeIssues); without, every issue is the form's own. */
  fields?: (form: Form) => readonly string[]
  /** What the keys are relative to, with its dot (`routing.`); see placeIssues. */
  section?: string
  /**
   * The issues name places an edit moves (the chatbot's JSON text): an edit or the next save clears
   * them and ends "refused". Otherwise they stay beside their fields until the next answer.
   */
  transientIssues?: boolean
  /** The status line's words. */
  words: { saved: string; unsaved: string }
}

export interface SavedForm<Saved, Form> {
  load: Load
  /** Reads again; `quiet` keeps the form shown meanwhile (after a restore). "Saved." ends. */
  reload: (quiet?: boolean) => Promise<void>
  saved: Saved
  form: Form
  edit: (change: (form: Form) => Form) => void
  /** Read, and the draft differs from what is saved. */
  dirty: boolean
  /** Dirty and no save under way (a site token's form shows no Save: the forms check canEdit). */
  canSave: boolean
  status: SaveStatus
  /** For the `role="status"` line beside Save: saved, unsaved or nothing. */
  statusText: string
  issues: PlacedIssues
  /** A failed save other than a refusal with issues (network, 409, 500…), for ErrorNotice. */
  failure: ApiFailure | null
  /** Sends the changes; as a form's onSubmit, it prevents the browser's own submit. */
  save: (event?: Event) => Promise<void>
  /** On the <form>: after a refusal its first field marked aria-invalid takes focus, so it is read out. */
  formRef: RefObject<HTMLFormElement | null>
}

/**
 * A config form's draft against what is saved, read and saved through the console's API client.
 * @example
 * const savedForm = useSavedForm<SiteConfigView, Routing | undefined, RoutingForm>({
 *   api, path: `/v1/admin/sites/${site}`, initial: undefined, read: (view) => view.config.routing,
 *   draftOf: formFromRouting, changed: isDirty, patch: routingPatch, fields: fieldKeys, section: 'routing.', words: s,
 * })
 * useLeaveGuard(savedForm.dirty ? s.leave : null) // in the form: see the top of this file
 * <form ref={savedForm.formRef} onSubmit={(e) => void savedForm.save(e)} noValidate>…
 */
export function useSavedForm<View, Saved, Form>(options: SavedFormOptions<View, Saved, Form>): SavedForm<Saved, Form> {
  const { api, path, initial, read, draftOf, onRead, transientIssues = false, words } = options
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [saved, setSaved] = useState(initial)
  const [form, setForm] = useState(() => draftOf(initial))
  const [issues, setIssues] = useState(NO_ISSUES)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [status, setStatus] = useState<SaveStatus>('idle')
  const formRef = useRef<HTMLFormElement>(null)

  const take = (view: View, sent: Form | null) => {
    const next = read(view, sent)
    setSaved(next)
    // An edit made while the save was under way is kept (the chatbot's editor stays open meanwhile).
    setForm((current) => (sent === null || current === sent ? draftOf(next) : current))
    setIssues(NO_ISSUES)
    onRead?.(view, sent)
  }

  const reload = async (quiet = false) => {
    setStatus('idle')
    if (!quiet) setLoad({ state: 'loading' })
    const result = await api.get<View>(path)
    if (!result.ok) return setLoad({ state: 'error', error: result.error })
    take(result.value, null)
    setLoad({ state: 'ready' })
  }
  useEffect(() => void reload(), [api, path])

  const dirty = load.state === 'ready' && options.changed(saved, form)
  const canSave = dirty && status !== 'saving'

  useEffect(() => {
    if (status === 'refused') formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [status, issues])

  const edit = (change: (form: Form) => Form) => {
    setForm(change)
    if (status === 'saved' || (transientIssues && status === 'refused')) setStatus('idle')
    if (transientIssues) setIssues(NO_ISSUES)
  }

  const save = async (event?: Event) => {
    event?.preventDefault()
    if (!canSave) return
    setStatus('saving')
    setFailure(null)
    if (transientIssues) setIssues(NO_ISSUES)
    const result = await api.send<View>('PATCH', path, options.patch(saved, form), { contentType: 'application/merge-patch+json' })
    if (result.ok) {
      take(result.value, form)
      setStatus('saved')
      return
    }
    const { error } = result
    if (error.kind === 'http' && error.status === 400 && error.issues && error.issues.length > 0) {
      setIssues(placeIssues(error.issues, options.fields?.(form) ?? [], options.section))
      setStatus('refused')
    } else {
      setFailure(error)
      setStatus('idle')
    }
  }

  const statusText = status === 'saved' && !dirty ? words.saved : dirty ? words.unsaved : ''
  return { load, reload, saved, form, edit, dirty, canSave, status, statusText, issues, failure, save, formRef }
}

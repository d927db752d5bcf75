// `#/targets`: a site's targets from GET /v1/admin/sites/:site (secrets redacted), each with
// "Send a test lead"; the operator adds, edits and removes them. A save is a JSON Merge Patch of
// the whole `targets` list (PATCH, operator only): redacted secrets sent back as read keep the
// stored ones, which the API matches by target id. The draft is checked with the API's
// TargetSchema first; a refused save stores nothing and puts each issue beside its field.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { FieldIssue } from '../../../../shared/api'
import type { ApiClient, ApiFailure } from '../api'
import { useLeaveGuard } from '../router'
import { ErrorNotice } from '../ui'
import { useTargetsStrings } from './strings'
import { TargetForm } from './target-form'
import { TARGET_TYPES, checkTargetDraft, issuesOfTarget, newTargetDraft, testContactKind } from './target-fields'
import type { TargetDraft, TargetType } from './target-fields'
import { sendTestLead, testLeadTo } from './test-lead-api'
import type { TestLeadAnswer } from './test-lead-api'
import { TestLeadResult } from './test-lead-result'

export interface TargetsPageProps {
  api: ApiClient
  site: string
  /** Site tokens see the targets and send test leads; only the operator's PATCH is accepted. */
  canEdit: boolean
}

interface SiteConfigView {
  site: string
  config: { targets?: TargetDraft[]; consent?: { text?: string } }
}

type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready' }
/** The target being edited: its index in the list, or a new one appended at the end. */
type Editing = { index: number | null; draft: TargetDraft; issues: FieldIssue[]; other: FieldIssue[] } | null
type Test = { state: 'sending' } | { state: 'sent'; answer: TestLeadAnswer } | { state: 'error'; error: ApiFailure }

/** The stable id deliveries use: explicit, or type and position (as the API names it). */
export const targetIdOf = (target: TargetDraft, index: number): string => (typeof target.id === 'string' ? target.id : `${target.type}-${index}`)

/** A line that tells targets of one type apart, without anything secret (URLs are read redacted). */
function summaryOf(target: TargetDraft): string {
  for (const key of ['url', 'baseUrl', 'webhookUrl', 'chatId', 'from', 'portalId']) {
    const value = target[key]
    if (typeof value === 'string' || typeof value === 'number') return String(value)
  }
  return ''
}

export function TargetsPage({ api, site, canEdit }: TargetsPageProps) {
  const s = useTargetsStrings()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [targets, setTargets] = useState<TargetDraft[]>([])
  const [editing, setEditing] = useState<Editing>(null)
  const [newType, setNewType] = useState<TargetType>('webhook')
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [tests, setTests] = useState<Record<string, Test>>({})
  /** The tester's own phone or email, per target that reaches the visitor. */
  const [contacts, setContacts] = useState<Record<string, string>>({})
  const [consentText, setConsentText] = useState<string | undefined>(undefined)
  const formRef = useRef<HTMLFormElement>(null)
  const path = `/v1/admin/sites/${encodeURIComponent(site)}`

  const fetchTargets = async () => {
    setLoad({ state: 'loading' })
    const result = await api.get<SiteConfigView>(path)
    if (!result.ok) return setLoad({ state: 'error', error: result.error })
    setTargets(result.value.config.targets ?? [])
    setConsentText(result.value.config.consent?.text)
    setLoad({ state: 'ready' })
  }
  useEffect(() => void fetchTargets(), [api, site])

  const original = editing?.index === null || editing === null ? undefined : targets[editing.index]
  const dirty = editing !== null && JSON.stringify(editing.draft) !== JSON.stringify(original)
  useLeaveGuard(dirty ? s.leave : null)

  // After a refused save the first field with a message takes focus, so it is read out.
  const refusals = editing ? editing.issues.length + editing.other.length : 0
  useEffect(() => {
    if (refusals === 0) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus()
  }, [refusals])

  const takenIds = (except: number | null) => targets.filter((_, i) => i !== except).map(targetIdOf)

  /** PATCHes the whole list; on 400 the edited target's issues go beside its fields. */
  const saveList = async (next: TargetDraft[], editedIndex: number | null) => {
    setSaving(true)
    setFailure(null)
    const result = await api.send<SiteConfigView>('PATCH', path, { targets: next }, { contentType: 'application/merge-patch+json' })
    setSaving(false)
    if (result.ok) {
      setTargets(result.value.config.targets ?? [])
      setEditing(null)
      setSaved(true)
      return
    }
    const { error } = result
    if (error.kind === 'http' && error.status === 400 && error.issues && editing && editedIndex !== null) {
      const mine = issuesOfTarget(error.issues, editedIndex)
      const other = error.issues.filter((i) => !i.path.startsWith(`targets.${editedIndex}.`))
      setEditing({ ...editing, issues: mine, other })
    } else setFailure(error)
  }

  const saveEdited = async (event: Event) => {
    event.preventDefault()
    if (!editing) return
    const issues = checkTargetDraft(editing.draft, original)
    const id = targetIdOf(editing.draft, editing.index ?? targets.length)
    if (takenIds(editing.index).includes(id)) issues.push({ path: 'id', code: 'invalid', message: s.idTaken(id) })
    if (issues.length > 0) return setEditing({ ...editing, issues, other: [] })
    const index = editing.index ?? targets.length
    const next = editing.index === null ? [...targets, editing.draft] : targets.map((t, i) => (i === editing.index ? editing.draft : t))
    await saveList(next, index)
  }

  const remove = async (index: number) => {
    const target = targets[index]
    if (!target || !confirm(s.confirmRemove(targetIdOf(target, index)))) return
    await saveList(
      targets.filter((_, i) => i !== index),
      null,
    )
  }

  const test = async (key: string, target?: TargetDraft) => {
    setTests((current) => ({ ...current, [key]: { state: 'sending' } }))
    const kind = target && testContactKind(target.type)
    const contact = (contacts[key] ?? '').trim()
    const lead = kind && contact !== '' ? testLeadTo(site, kind === 'email' ? { email: contact } : { phone: contact }, consentText) : undefined
    const result = await sendTestLead(api, site, target ? key : undefined, lead)
    setTests((current) => ({ ...current, [key]: result.ok ? { state: 'sent', answer: result.value } : { state: 'error', error: result.error } }))
  }

  const startEdit = (index: number | null, draft: TargetDraft) => {
    setSaved(false)
    setFailure(null)
    setEditing({ index, draft, issues: [], other: [] })
  }

  return (
    <section aria-labelledby="page-title" class="targets">
      <h1 id="page-title" tabIndex={-1}>
        {s.title} · {site}
      </h1>
      <p class="hint">{s.intro}</p>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void fetchTargets()} />}
      {load.state === 'ready' && (
        <>
          {!canEdit && <p class="notice info">{s.readOnly}</p>}
          {failure && <ErrorNotice error={failure} />}
          <p role="status" class="hint">
            {saved && editing === null ? s.saved : ''}
          </p>
          {targets.length === 0 ? (
            <p class="notice info">{s.none}</p>
          ) : (
            <>
              <p class="hint">{s.test.intro}</p>
              <TestButton label={s.test.sendAll} test={tests['*']} onClick={() => void test('*')} />
              <TestOutcome test={tests['*']} />
              <ul class="target-list">
                {targets.map((target, index) => {
                  const id = targetIdOf(target, index)
                  const contactKind = testContactKind(target.type)
                  return (
                    <li key={id} class="target-item">
                      <h2>
                        {id} <span class="hint">· {s.types[target.type] ?? target.type}</span>
                      </h2>
                      {summaryOf(target) && <p class="target-summary">{summaryOf(target)}</p>}
                      {contactKind && (
                        <div class="control target-test-contact">
                          <label for={`target-${index}-contact`}>{contactKind === 'email' ? s.test.yourEmail : s.test.yourPhone}</label>
                          <input
                            id={`target-${index}-contact`}
                            type="text"
                            inputMode={contactKind === 'email' ? 'email' : 'tel'}
                            autoComplete={contactKind === 'email' ? 'email' : 'tel'}
                            aria-describedby={`target-${index}-contact-hint`}
                            value={contacts[id] ?? ''}
                            onInput={(e) => setContacts((current) => ({ ...current, [id]: e.currentTarget.value }))}
                          />
                          <p id={`target-${index}-contact-hint`} class="hint">
                            {s.test.contactHint}
                          </p>
                        </div>
                      )}
                      <div class="target-actions">
                        <TestButton label={s.test.send} test={tests[id]} onClick={() => void test(id, target)} describedBy={`target-${index}-name`} />
                        {canEdit && (
                          <>
                            <button type="button" class="secondary" disabled={saving} onClick={() => startEdit(index, target)}>
                              {s.edit}
                            </button>
                            <button type="button" class="secondary" disabled={saving} onClick={() => void remove(index)}>
                              {s.remove}
                            </button>
                          </>
                        )}
                      </div>
                      <span id={`target-${index}-name`} hidden>
                        {id}
                      </span>
                      <TestOutcome test={tests[id]} />
                    </li>
                  )
                })}
              </ul>
            </>
          )}
          {canEdit && editing === null && (
            <div class="target-add">
              <label for="target-new-type">{s.addOfType}</label>
              <select id="target-new-type" value={newType} onChange={(e) => setNewType(e.currentTarget.value as TargetType)}>
                {TARGET_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {s.types[type]}
                  </option>
                ))}
              </select>
              <button type="button" disabled={targets.length >= 10} onClick={() => startEdit(null, newTargetDraft(newType, takenIds(null)))}>
                {s.add}
              </button>
            </div>
          )}
          {canEdit && editing && (
            <form ref={formRef} class="target-editor" onSubmit={(e) => void saveEdited(e)} noValidate>
              {(editing.issues.length > 0 || editing.other.length > 0) && (
                <div class="notice error" role="alert" tabIndex={-1}>
                  <p>{s.refused}</p>
                  {editing.other.length > 0 && (
                    <ul>
                      {editing.other.map((issue) => (
                        <li key={issue.path}>
                          <code>{issue.path}</code>: {issue.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              <TargetForm
                value={editing.draft}
                {...(original && { saved: original })}
                issues={editing.issues}
                onChange={(draft) => setEditing({ ...editing, draft })}
                typeEditable={editing.index === null}
                takenIds={takenIds(editing.index)}
                disabled={saving}
              />
              <div class="target-editor-actions">
                <button type="submit" disabled={saving}>
                  {saving ? s.saving : s.save}
                </button>
                <button type="button" class="secondary" disabled={saving} onClick={() => setEditing(null)}>
                  {s.cancel}
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  )
}

function TestButton({ label, test, onClick, describedBy }: { label: string; test: Test | undefined; onClick: () => void; describedBy?: string }) {
  const s = useTargetsStrings()
  const sending = test?.state === 'sending'
  return (
    <button type="button" class="secondary" disabled={sending} aria-describedby={describedBy} onClick={onClick}>
      {sending ? s.test.sending : label}
    </button>
  )
}

function TestOutcome({ test }: { test: Test | undefined }) {
  return (
    <div role="status" class="test-lead-outcome">
      {test?.state === 'sent' && <TestLeadResult answer={test.answer} />}
      {test?.state === 'error' && <ErrorNotice error={test.error} />}
    </div>
  )
}

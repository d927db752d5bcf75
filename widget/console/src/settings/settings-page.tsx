// A site's Settings: texts, consent, hours, replies, look, the exit offer and the chat invite as form
// fields, read from GET /v1/admin/sites/:site and saved as a JSON Merge Patch of the changed
// sections (PATCH, operator only). A refused save stores nothing and puts each of the API's issues
// beside its field; unsaved changes ask before the page is left.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import { useLeaveGuard } from '../router'
import { ErrorNotice } from '../ui'
import { FIELDS, SECTIONS, changedKeys, formFromConfig, patchOf, placeIssues } from './settings-form'
import type { FieldSpec, FormState, FormValue, PlacedIssues } from './settings-form'
import { useSettingsStrings } from './strings'

interface SiteConfigView {
  site: string
  config: Record<string, unknown>
}

type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready' }

export interface SettingsPageProps {
  api: ApiClient
  site: string
  /** Site tokens read the settings; only the operator's PATCH is accepted. */
  canEdit: boolean
}

const fieldId = (key: string) => `setting-${key.replaceAll('.', '-')}`

export function SettingsPage({ api, site, canEdit }: SettingsPageProps) {
  const s = useSettingsStrings()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [saved, setSaved] = useState<FormState>({})
  const [form, setForm] = useState<FormState>({})
  const [issues, setIssues] = useState<PlacedIssues>({ byField: {}, other: [] })
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'refused'>('idle')
  const formRef = useRef<HTMLFormElement>(null)
  const path = `/v1/admin/sites/${encodeURIComponent(site)}`

  const fetchConfig = async () => {
    setLoad({ state: 'loading' })
    const result = await api.get<SiteConfigView>(path)
    if (!result.ok) return setLoad({ state: 'error', error: result.error })
    const read = formFromConfig(result.value.config)
    setSaved(read)
    setForm(read)
    setLoad({ state: 'ready' })
  }
  useEffect(() => void fetchConfig(), [api, site])

  const dirty = load.state === 'ready' && changedKeys(saved, form).length > 0
  useLeaveGuard(dirty ? s.leave : null)

  // After a refused save the first field with a message takes focus, so it is read out.
  useEffect(() => {
    if (status !== 'refused') return
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
    first?.focus()
  }, [status, issues])

  const change = (key: string, value: FormValue) => {
    setForm((current) => ({ ...current, [key]: value }))
    if (status === 'saved') setStatus('idle')
  }

  const save = async (event: Event) => {
    event.preventDefault()
    if (!dirty) return
    setStatus('saving')
    setFailure(null)
    const result = await api.send<SiteConfigView>('PATCH', path, patchOf(saved, form), { contentType: 'application/merge-patch+json' })
    if (result.ok) {
      const read = formFromConfig(result.value.config)
      setSaved(read)
      setForm(read)
      setIssues({ byField: {}, other: [] })
      setStatus('saved')
      return
    }
    const { error } = result
    if (error.kind === 'http' && error.status === 400 && error.issues && error.issues.length > 0) {
      setIssues(placeIssues(error.issues))
      setStatus('refused')
    } else {
      setFailure(error)
      setStatus('idle')
    }
  }

  return (
    <section aria-labelledby="page-title" class="settings">
      <h1 id="page-title" tabIndex={-1}>
        {s.title} · {site}
      </h1>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void fetchConfig()} />}
      {load.state === 'ready' && (
        <form ref={formRef} onSubmit={(e) => void save(e)} noValidate>
          {!canEdit && <p class="notice info">{s.readOnly}</p>}
          {status === 'refused' && (
            <div class="notice error" role="alert">
              <p>{s.refused}</p>
              {issues.other.length > 0 && (
                <>
                  <p>{s.otherIssues}</p>
                  <ul>
                    {issues.other.map((issue) => (
                      <li key={issue.path}>
                        <code>{issue.path}</code>: {issue.message}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          {failure && <ErrorNotice error={failure} />}
          <fieldset disabled={!canEdit || status === 'saving'}>
            {SECTIONS.map((section) => (
              <fieldset key={section} class="settings-section">
                <legend>{s.sections[section]}</legend>
                {(section === 'reply' || section === 'replyOffHours') && <p class="hint">{s.hints.reply}</p>}
                {section === 'hours' && <p class="hint">{s.hints['hours.week']}</p>}
                {FIELDS[section].map((field) => (
                  <SettingField key={field.key} field={field} value={form[field.key] ?? ''} errors={issues.byField[field.key]} onChange={change} />
                ))}
              </fieldset>
            ))}
            {canEdit && (
              <div class="settings-actions">
                <button type="submit" disabled={!dirty || status === 'saving'}>
                  {status === 'saving' ? s.saving : s.save}
                </button>
                <p role="status" class="hint">
                  {status === 'saved' && !dirty ? s.saved : dirty ? s.unsaved : ''}
                </p>
              </div>
            )}
          </fieldset>
        </form>
      )}
    </section>
  )
}

export interface SettingFieldProps {
  field: FieldSpec
  value: FormValue
  errors: string[] | undefined
  onChange: (key: string, value: FormValue) => void
}

/** One field of the form, with its label, hint and the API's messages; the new-site wizard shows some too. */
export function SettingField({ field, value, errors, onChange }: SettingFieldProps) {
  const s = useSettingsStrings()
  const id = fieldId(field.key)
  const hint = s.hints[field.key as keyof typeof s.hints]
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined
  const common = { id, name: field.key, 'aria-invalid': errors ? ('true' as const) : undefined, 'aria-describedby': described }
  const label = s.labels[field.key] ?? field.key
  const text = typeof value === 'string' ? value : ''
  const after = (
    <>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {errors && (
        <p id={`${id}-error`} class="field-error">
          {errors.join(' ')}
        </p>
      )}
    </>
  )
  if (field.kind === 'checkbox') {
    return (
      <div class="control inline">
        <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(field.key, e.currentTarget.checked)} />
        <label for={id}>{label}</label>
        {after}
      </div>
    )
  }
  return (
    <div class="control">
      <label for={id}>{label}</label>
      {field.kind === 'textarea' ? (
        <textarea {...common} rows={2} value={text} onInput={(e) => onChange(field.key, e.currentTarget.value)} />
      ) : field.kind === 'select' ? (
        <select {...common} value={text} onChange={(e) => onChange(field.key, e.currentTarget.value)}>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option === '' ? s.default : (s.options[option] ?? option)}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === 'number' ? 'numeric' : undefined}
          value={text}
          onInput={(e) => onChange(field.key, e.currentTarget.value)}
        />
      )}
      {after}
    </div>
  )
}

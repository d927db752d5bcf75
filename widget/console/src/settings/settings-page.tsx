// A site's Settings: texts, consent, hours (with a time-zone picker), replies, look, the exit offer,
// the chat invite, analytics, spam, repeats, rate limits, captcha (its secret write-only) and
// retention as form fields, read from GET /v1/admin/sites/:site and saved as a JSON Merge Patch of
// the changed sections (PATCH, operator only). A refused save stores nothing and puts each of the
// API's issues beside its field; unsaved changes ask before the page is left. Below the form, the
// saved versions (a lazy panel: compare two, restore one).
import type { ComponentChildren } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import type { ApiClient } from '../api'
import { useLeaveGuard } from '../router'
import { useSavedForm } from '../saved-form'
import { ErrorNotice } from '../ui'
import { FIELDS, FIELD_KEYS, SECTIONS, browserTimeZone, changeField, changedKeys, formFromConfig, patchOf, storedSecretKey, timeZones } from './settings-form'
import type { FieldSpec, FormState, FormValue } from './settings-form'
import { useSettingsStrings } from './strings'
import { VersionsLoader } from './versions-loader'

interface SiteConfigView {
  site: string
  config: Record<string, unknown>
}

export interface SettingsPageProps {
  api: ApiClient
  site: string
  /** Site tokens read the settings; only the operator's PATCH is accepted. */
  canEdit: boolean
  /**
   * Shown beside the form with the draft: the config as last read (secrets redacted) and the form
   * as it is now (the live preview merges them: preview/draft-config.ts draftOf(stored, form)).
   */
  preview?: (draft: { stored: Record<string, unknown>; form: FormState }) => ComponentChildren
}

const fieldId = (key: string) => `setting-${key.replaceAll('.', '-')}`

export function SettingsPage({ api, site, canEdit, preview }: SettingsPageProps) {
  const s = useSettingsStrings()
  /** The config as last read (secrets redacted): with `form`, the draft `preview` gets. */
  const [stored, setStored] = useState<Record<string, unknown>>({})
  const [showVersions, setShowVersions] = useState(false)
  /** Bumped by every save and restore, so the versions list reads again. */
  const [savedAt, setSavedAt] = useState(0)
  const savedForm = useSavedForm<SiteConfigView, FormState, FormState>({
    api,
    path: `/v1/admin/sites/${encodeURIComponent(site)}`,
    initial: {},
    read: (view) => formFromConfig(view.config),
    draftOf: (saved) => saved,
    changed: (saved, form) => changedKeys(saved, form).length > 0,
    patch: patchOf,
    onRead: (view, sent) => {
      setStored(view.config)
      if (sent !== null) setSavedAt((n) => n + 1)
    },
    fields: () => FIELD_KEYS,
    words: s,
  })
  const { load, form, issues, status, dirty } = savedForm
  useLeaveGuard(dirty ? s.leave : null)

  const zone = useMemo(browserTimeZone, [])
  const change = (key: string, value: FormValue) => savedForm.edit((current) => changeField(current, key, value, zone))

  return (
    <section aria-labelledby="page-title" class="settings">
      <h1 id="page-title" tabIndex={-1}>
        {s.title} · {site}
      </h1>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void savedForm.reload()} />}
      {load.state === 'ready' && (
        <form ref={savedForm.formRef} onSubmit={(e) => void savedForm.save(e)} noValidate>
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
          {savedForm.failure && <ErrorNotice error={savedForm.failure} />}
          <fieldset disabled={!canEdit || status === 'saving'}>
            {SECTIONS.map((section) => (
              <fieldset key={section} class="settings-section">
                <legend>{s.sections[section]}</legend>
                {(section === 'reply' || section === 'replyOffHours') && <p class="hint">{s.hints.reply}</p>}
                {section === 'hours' && <p class="hint">{s.hints['hours.week']}</p>}
                {section === 'rateLimits' && <p class="hint">{s.hints.rateLimits}</p>}
                {FIELDS[section].map((field) => (
                  <SettingField
                    key={field.key}
                    field={field}
                    value={form[field.key] ?? ''}
                    storedSecret={field.kind === 'secret' ? String(form[storedSecretKey(field.key)] ?? '') : undefined}
                    errors={issues.byField[field.key]}
                    onChange={change}
                  />
                ))}
              </fieldset>
            ))}
            {canEdit && (
              <div class="settings-actions">
                <button type="submit" disabled={!savedForm.canSave}>
                  {status === 'saving' ? s.saving : s.save}
                </button>
                <p role="status" class="hint">
                  {savedForm.statusText}
                </p>
              </div>
            )}
          </fieldset>
        </form>
      )}
      {load.state === 'ready' && preview?.({ stored, form })}
      {load.state === 'ready' && (
        <div class="settings-versions">
          <button type="button" class="secondary" aria-expanded={showVersions} aria-controls="settings-versions" onClick={() => setShowVersions((open) => !open)}>
            {showVersions ? s.hideVersions : s.showVersions}
          </button>
          <div id="settings-versions">
            {showVersions && (
              <VersionsLoader
                api={api}
                site={site}
                canEdit={canEdit}
                dirty={dirty}
                savedAt={savedAt}
                onRestored={async () => {
                  setSavedAt((n) => n + 1)
                  // Quiet: the form stays while the config is read again, so the panel keeps its notice.
                  await savedForm.reload(true)
                }}
              />
            )}
          </div>
        </div>
      )}
    </section>
  )
}

export interface SettingFieldProps {
  field: FieldSpec
  value: FormValue
  errors: string[] | undefined
  onChange: (key: string, value: FormValue) => void
  /** For a secret: the stored one as reads show it (`•••0AA`), or '' when none is set. */
  storedSecret?: string | undefined
}

/** One field of the form, with its label, hint and the API's messages; the new-site wizard shows some too. */
export function SettingField({ field, value, errors, onChange, storedSecret }: SettingFieldProps) {
  const s = useSettingsStrings()
  const id = fieldId(field.key)
  const hint = field.kind === 'secret' ? (storedSecret ? s.secret.set(storedSecret) : s.secret.unset) : s.hints[field.key as keyof typeof s.hints]
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
              {option === '' ? (field.key === 'captcha.provider' ? s.none : s.default) : (s.options[option] ?? option)}
            </option>
          ))}
        </select>
      ) : field.kind === 'secret' ? (
        // Write-only: the field starts empty and only a typed secret is sent.
        <input
          {...common}
          type="password"
          autocomplete="new-password"
          placeholder={storedSecret ? s.secret.placeholder : undefined}
          value={text}
          onInput={(e) => onChange(field.key, e.currentTarget.value)}
        />
      ) : field.kind === 'timezone' ? (
        <>
          <input
            {...common}
            type="text"
            list={`${id}-zones`}
            autocomplete="off"
            placeholder={browserTimeZone() || undefined}
            value={text}
            onInput={(e) => onChange(field.key, e.currentTarget.value)}
          />
          <TimeZoneList id={`${id}-zones`} />
        </>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === 'number' ? 'numeric' : undefined}
          placeholder={field.placeholder}
          value={text}
          onInput={(e) => onChange(field.key, e.currentTarget.value)}
        />
      )}
      {after}
    </div>
  )
}

/** The browser's IANA zones for the picker's search (a datalist filters as one types). */
function TimeZoneList({ id }: { id: string }) {
  const zones = useMemo(timeZones, [])
  return (
    <datalist id={id}>
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  )
}

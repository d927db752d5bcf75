// The Team page's routing editor: managers (name, phone, Telegram and CRM user ids), the routing mode,
// rules (conditions → managers), SLA minutes per temperature and the head of sales. Read from
// GET /v1/admin/sites/:site and saved as a JSON Merge Patch of `routing` with the lists sent whole
// (PATCH, operator only; a site token sees the team read-only); a refused save stores nothing and
// puts each of the API's issues beside its field; unsaved changes ask before the page is left.
import type { ComponentChildren } from 'preact'
import { LEAD_SOURCES } from '../../../../shared/schemas/lead'
import type { LeadSource } from '../../../../shared/schemas/lead'
import type { Manager, Routing } from '../../../../shared/schemas/routing'
import type { ApiClient } from '../api'
import { useLeaveGuard } from '../router'
import { useSavedForm } from '../saved-form'
import { ErrorNotice } from '../ui'
import { TEMPERATURES, fieldKeys, formFromRouting, isDirty, managersOf, nextManagerId, routingPatch } from './routing-form'
import type { ManagerRow, RoutingForm, RoutingMode, RuleRow, Temperature } from './routing-form'
import { useTeamStrings } from './strings'

interface SiteConfigView {
  site: string
  config: { routing?: Routing }
}

export interface RoutingEditorProps {
  api: ApiClient
  site: string
  /** Site tokens read the team; only the operator's PATCH is accepted. */
  canEdit: boolean
  /** The saved managers, after a load or a save: the token form offers them. */
  onManagers?: (managers: Manager[]) => void
}

const fid = (key: string) => `team-${key.replaceAll('.', '-')}`

const emptyRule = (): RuleRow => ({ temperature: [], source: [], page: '', answerQuestion: '', answerIn: '', managers: [] })

export function RoutingEditor({ api, site, canEdit, onManagers }: RoutingEditorProps) {
  const s = useTeamStrings()
  const savedForm = useSavedForm<SiteConfigView, Routing | undefined, RoutingForm>({
    api,
    path: `/v1/admin/sites/${encodeURIComponent(site)}`,
    initial: undefined,
    read: (view) => view.config.routing,
    draftOf: formFromRouting,
    changed: isDirty,
    patch: routingPatch,
    onRead: (view) => onManagers?.(managersOf(view.config.routing)),
    // The API names routing's fields from the config's root: `routing.managers.0.phone`.
    fields: fieldKeys,
    section: 'routing.',
    words: s,
  })
  const { form, issues, status, dirty, edit } = savedForm
  useLeaveGuard(dirty ? s.leave : null)

  const editManager = (i: number, change: Partial<ManagerRow>) => edit((f) => ({ ...f, managers: f.managers.map((m, j) => (j === i ? { ...m, ...change } : m)) }))
  const editRule = (i: number, change: Partial<RuleRow>) => edit((f) => ({ ...f, rules: f.rules.map((r, j) => (j === i ? { ...r, ...change } : r)) }))
  const editSla = (change: Partial<RoutingForm['sla']>) => edit((f) => ({ ...f, sla: { ...f.sla, ...change } }))

  const errorsOf = (key: string) => issues.byField[key]
  const listed = form.managers.filter((m) => m.id.trim() !== '')
  const nameOf = (m: ManagerRow, i: number) => (m.name.trim() === '' ? s.manager(i + 1) : m.name)

  if (savedForm.load.state === 'loading') return <p class="loading">…</p>
  if (savedForm.load.state === 'error') return <ErrorNotice error={savedForm.load.error} onRetry={() => void savedForm.reload()} />

  return (
    <form ref={savedForm.formRef} class="routing" onSubmit={(e) => void savedForm.save(e)} noValidate aria-labelledby="team-routing">
      <h2 id="team-routing">{s.routing}</h2>
      <p class="hint">{s.routingIntro}</p>
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
        <fieldset class="settings-section">
          <legend>{s.managers}</legend>
          <ErrorText id={fid('managers')} errors={errorsOf('managers')} />
          {form.managers.length === 0 && <p>{s.noManagers}</p>}
          {form.managers.map((m, i) => (
            <fieldset key={i} class="team-manager">
              <legend>{nameOf(m, i)}</legend>
              <TextField k={`managers.${i}.name`} label={s.name} value={m.name} errors={errorsOf(`managers.${i}.name`)} onInput={(name) => editManager(i, { name })} />
              <TextField
                k={`managers.${i}.id`}
                label={s.id}
                hint={s.idHint}
                value={m.id}
                readOnly={m.saved}
                errors={errorsOf(`managers.${i}.id`)}
                onInput={(id) => editManager(i, { id })}
              />
              <TextField
                k={`managers.${i}.phone`}
                label={s.phone}
                hint={s.phoneFieldHint}
                type="tel"
                value={m.phone}
                errors={errorsOf(`managers.${i}.phone`)}
                onInput={(phone) => editManager(i, { phone })}
              />
              <TextField
                k={`managers.${i}.telegramUserId`}
                label={s.telegramUserId}
                hint={s.telegramHint}
                numeric
                value={m.telegramUserId}
                errors={errorsOf(`managers.${i}.telegramUserId`)}
                onInput={(telegramUserId) => editManager(i, { telegramUserId })}
              />
              <TextField
                k={`managers.${i}.bitrixUserId`}
                label={s.bitrixUserId}
                numeric
                value={m.bitrixUserId}
                errors={errorsOf(`managers.${i}.bitrixUserId`)}
                onInput={(bitrixUserId) => editManager(i, { bitrixUserId })}
              />
              <TextField
                k={`managers.${i}.amocrmUserId`}
                label={s.amocrmUserId}
                numeric
                value={m.amocrmUserId}
                errors={errorsOf(`managers.${i}.amocrmUserId`)}
                onInput={(amocrmUserId) => editManager(i, { amocrmUserId })}
              />
              {canEdit && (
                <button type="button" class="secondary" onClick={() => edit((f) => ({ ...f, managers: f.managers.filter((_, j) => j !== i) }))}>
                  {s.removeManager(nameOf(m, i))}
                </button>
              )}
            </fieldset>
          ))}
          <p class="hint">{s.phoneHint}</p>
          {canEdit && (
            <button
              type="button"
              onClick={() =>
                edit((f) => ({
                  ...f,
                  managers: [...f.managers, { saved: false, id: nextManagerId(f.managers), name: '', phone: '', telegramUserId: '', bitrixUserId: '', amocrmUserId: '' }],
                }))
              }
            >
              {s.addManager}
            </button>
          )}
        </fieldset>

        <fieldset class="settings-section">
          <legend>{s.mode}</legend>
          <ErrorText id={fid('mode')} errors={errorsOf('mode')} />
          {(['round_robin', 'first_come'] as const).map((mode: RoutingMode) => (
            <div key={mode} class="control inline">
              <input type="radio" id={fid(`mode-${mode}`)} name="team-mode" checked={form.mode === mode} onChange={() => edit((f) => ({ ...f, mode }))} />
              <label for={fid(`mode-${mode}`)}>{s.modes[mode]}</label>
            </div>
          ))}
        </fieldset>

        <fieldset class="settings-section">
          <legend>{s.rules}</legend>
          <ErrorText id={fid('rules')} errors={errorsOf('rules')} />
          {form.rules.length === 0 ? <p>{s.noRules}</p> : <p class="hint">{s.conditionsHint}</p>}
          {form.rules.map((r, i) => {
            const stale = r.managers.filter((id) => !listed.some((m) => m.id === id))
            return (
              <fieldset key={i} class="team-rule">
                <legend>{s.rule(i + 1)}</legend>
                <CheckGroup
                  k={`rules.${i}.when.temperature`}
                  legend={s.temperature}
                  options={TEMPERATURES.map((t) => ({ value: t, label: s.temperatures[t] }))}
                  checked={r.temperature}
                  errors={errorsOf(`rules.${i}.when.temperature`)}
                  onChange={(temperature) => editRule(i, { temperature: temperature as Temperature[] })}
                />
                <CheckGroup
                  k={`rules.${i}.when.source`}
                  legend={s.source}
                  options={LEAD_SOURCES.map((source) => ({ value: source, label: s.sources[source] }))}
                  checked={r.source}
                  errors={errorsOf(`rules.${i}.when.source`)}
                  onChange={(source) => editRule(i, { source: source as LeadSource[] })}
                />
                <TextField
                  k={`rules.${i}.when.page`}
                  label={s.page}
                  hint={s.pageHint}
                  value={r.page}
                  errors={errorsOf(`rules.${i}.when.page`)}
                  onInput={(page) => editRule(i, { page })}
                />
                <TextField
                  k={`rules.${i}.when.answer`}
                  label={s.answerQuestion}
                  value={r.answerQuestion}
                  errors={errorsOf(`rules.${i}.when.answer`)}
                  onInput={(answerQuestion) => editRule(i, { answerQuestion })}
                />
                <TextField
                  k={`rules.${i}.when.answer.in`}
                  label={s.answerIn}
                  hint={s.answerHint}
                  value={r.answerIn}
                  errors={errorsOf(`rules.${i}.when.answer.in`)}
                  onInput={(answerIn) => editRule(i, { answerIn })}
                />
                <CheckGroup
                  k={`rules.${i}.managers`}
                  legend={s.ruleManagers}
                  options={[...listed.map((m, j) => ({ value: m.id, label: nameOf(m, j) })), ...stale.map((id) => ({ value: id, label: s.notListed(id) }))]}
                  checked={r.managers}
                  errors={errorsOf(`rules.${i}.managers`)}
                  onChange={(managers) => editRule(i, { managers })}
                />
                {canEdit && (
                  <button type="button" class="secondary" onClick={() => edit((f) => ({ ...f, rules: f.rules.filter((_, j) => j !== i) }))}>
                    {s.removeRule(i + 1)}
                  </button>
                )}
              </fieldset>
            )
          })}
          {canEdit && (
            <button type="button" onClick={() => edit((f) => ({ ...f, rules: [...f.rules, emptyRule()] }))}>
              {s.addRule}
            </button>
          )}
        </fieldset>

        <fieldset class="settings-section">
          <legend>{s.sla}</legend>
          <ErrorText id={fid('sla')} errors={errorsOf('sla')} />
          <div class="control inline">
            <input type="checkbox" id={fid('sla-on')} checked={form.slaOn} onChange={(e) => edit((f) => ({ ...f, slaOn: e.currentTarget.checked }))} />
            <label for={fid('sla-on')}>{s.slaOn}</label>
          </div>
          {form.slaOn && (
            <>
              {TEMPERATURES.map((t) => (
                <TextField
                  key={t}
                  k={`sla.minutes.${t}`}
                  label={s.slaMinutes(s.temperatures[t])}
                  numeric
                  value={form.sla[t]}
                  errors={errorsOf(`sla.minutes.${t}`)}
                  onInput={(value) => editSla({ [t]: value })}
                />
              ))}
              <Control k="sla.headOfSales" label={s.headOfSales} hint={s.headOfSalesHint} errors={errorsOf('sla.headOfSales')}>
                {(common) => (
                  <select {...common} value={form.sla.headOfSales} onChange={(e) => editSla({ headOfSales: e.currentTarget.value })}>
                    <option value="">{s.noHead}</option>
                    {listed.map((m, j) => (
                      <option key={m.id} value={m.id}>
                        {nameOf(m, j)}
                      </option>
                    ))}
                    {form.sla.headOfSales !== '' && !listed.some((m) => m.id === form.sla.headOfSales) && (
                      <option value={form.sla.headOfSales}>{s.notListed(form.sla.headOfSales)}</option>
                    )}
                  </select>
                )}
              </Control>
              <TextField
                k="sla.maxEscalations"
                label={s.maxEscalations}
                hint={s.maxEscalationsHint}
                numeric
                value={form.sla.maxEscalations}
                errors={errorsOf('sla.maxEscalations')}
                onInput={(maxEscalations) => editSla({ maxEscalations })}
              />
            </>
          )}
        </fieldset>

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
  )
}

function ErrorText({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors) return null
  return (
    <p id={`${id}-error`} class="field-error">
      {errors.join(' ')}
    </p>
  )
}

interface CommonProps {
  id: string
  'aria-invalid': 'true' | undefined
  'aria-describedby': string | undefined
}

function Control({
  k,
  label,
  hint,
  errors,
  children,
}: {
  k: string
  label: string
  hint?: string | undefined
  errors?: string[] | undefined
  children: (common: CommonProps) => ComponentChildren
}) {
  const id = fid(k)
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div class="control">
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': errors ? 'true' : undefined, 'aria-describedby': described })}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <ErrorText id={id} errors={errors} />
    </div>
  )
}

interface TextFieldProps {
  k: string
  label: string
  hint?: string
  value: string
  numeric?: boolean
  type?: 'text' | 'tel'
  readOnly?: boolean
  errors?: string[] | undefined
  onInput: (value: string) => void
}

function TextField({ k, label, hint, value, numeric = false, type = 'text', readOnly = false, errors, onInput }: TextFieldProps) {
  return (
    <Control k={k} label={label} hint={hint} errors={errors}>
      {(common) =>
        type === 'tel' ? (
          // A manager's number, not the signed-in operator's own: no autofill.
          <input {...common} type="tel" autoComplete="off" readOnly={readOnly} value={value} onInput={(e) => onInput(e.currentTarget.value)} />
        ) : (
          <input {...common} type="text" inputMode={numeric ? 'numeric' : undefined} readOnly={readOnly} value={value} onInput={(e) => onInput(e.currentTarget.value)} />
        )
      }
    </Control>
  )
}

interface CheckGroupProps {
  k: string
  legend: string
  options: { value: string; label: string }[]
  checked: readonly string[]
  errors: string[] | undefined
  onChange: (checked: string[]) => void
}

function CheckGroup({ k, legend, options, checked, errors, onChange }: CheckGroupProps) {
  const id = fid(k)
  const toggle = (value: string, on: boolean) => onChange(on ? [...checked, value] : checked.filter((v) => v !== value))
  return (
    <fieldset class="check-group" aria-describedby={errors ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <span key={option.value} class="control inline">
          <input
            type="checkbox"
            id={`${id}-${option.value}`}
            checked={checked.includes(option.value)}
            aria-invalid={errors ? 'true' : undefined}
            aria-describedby={errors ? `${id}-error` : undefined}
            onChange={(e) => toggle(option.value, e.currentTarget.checked)}
          />
          <label for={`${id}-${option.value}`}>{option.label}</label>
        </span>
      ))}
      <ErrorText id={id} errors={errors} />
    </fieldset>
  )
}

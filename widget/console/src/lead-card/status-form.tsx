// Moves a lead through its lifecycle or adds a note (PATCH /v1/admin/leads/:id). Junk takes a
// reason, which is asked for here before anything is sent; the worker checks the same rule.
import { useState } from 'preact/hooks'
import { JUNK_REASON_LABELS, STATUS_LABELS } from '../../../../shared/lead-status-labels'
import { JUNK_REASONS, LEAD_STATUSES, NOTE_MAX_LENGTH } from '../../../../shared/schemas/lead-status'
import type { JunkReason, LeadStatus, LeadStatusChange } from '../../../../shared/schemas/lead-status'
import type { ApiResult } from '../api'
import { useStrings } from '../i18n'
import { errorText } from '../ui'

export interface StatusFormProps {
  status: LeadStatus
  reason: JunkReason | null
  /** An erased lead's status no longer changes. */
  disabled?: boolean
  onSubmit: (change: LeadStatusChange) => Promise<ApiResult<unknown>>
}

type Problem = { field: 'reason' | 'form'; text: string } | null

/**
 * What to send, or why not: junk needs a reason, other statuses never carry one, and a form that
 * changes nothing sends nothing.
 */
export function statusChangeOf(
  form: { status: LeadStatus; reason: JunkReason | ''; note: string },
  current: { status: LeadStatus; reason: JunkReason | null },
): { ok: true; change: LeadStatusChange } | { ok: false; problem: 'reason_required' | 'nothing_to_save' } {
  const note = form.note.trim()
  if (form.status === 'junk' && form.reason === '') return { ok: false, problem: 'reason_required' }
  const reason = form.status === 'junk' ? (form.reason as JunkReason) : undefined
  if (form.status === current.status && (reason ?? null) === current.reason && note === '') return { ok: false, problem: 'nothing_to_save' }
  return { ok: true, change: { status: form.status, ...(reason && { reason }), ...(note && { note }) } }
}

export function StatusForm({ status, reason, disabled = false, onSubmit }: StatusFormProps) {
  const { t, locale } = useStrings()
  const [chosen, setChosen] = useState<LeadStatus>(status)
  const [why, setWhy] = useState<JunkReason | ''>(reason ?? '')
  const [note, setNote] = useState('')
  const [problem, setProblem] = useState<Problem>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setSaved(false)
    const checked = statusChangeOf({ status: chosen, reason: why, note }, { status, reason })
    if (!checked.ok) {
      setProblem(checked.problem === 'reason_required' ? { field: 'reason', text: t.reasonRequired } : { field: 'form', text: t.nothingToSave })
      if (checked.problem === 'reason_required') document.getElementById('status-reason')?.focus()
      return
    }
    setProblem(null)
    setSaving(true)
    const result = await onSubmit(checked.change)
    setSaving(false)
    if (result.ok) {
      setNote('')
      setSaved(true)
      return
    }
    const text = errorText(result.error, t)
    setProblem({ field: result.error.kind === 'http' && result.error.code === 'reason_required' ? 'reason' : 'form', text })
  }

  const reasonProblem = problem?.field === 'reason' ? problem.text : null
  return (
    <form class="status-form" onSubmit={submit} noValidate aria-labelledby="status-form-title">
      <h3 id="status-form-title">{t.changeStatus}</h3>
      <fieldset disabled={disabled || saving}>
        <div class="control">
          <label for="status-select">{t.status}</label>
          <select
            id="status-select"
            value={chosen}
            onChange={(e) => {
              setChosen(e.currentTarget.value as LeadStatus)
              setProblem(null)
              setSaved(false)
            }}
          >
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[locale][s]}
              </option>
            ))}
          </select>
        </div>
        {chosen === 'junk' && (
          <div class="control">
            <label for="status-reason">{t.reason}</label>
            <select
              id="status-reason"
              value={why}
              required
              aria-invalid={reasonProblem !== null}
              aria-describedby={reasonProblem !== null ? 'status-reason-error' : undefined}
              onChange={(e) => {
                setWhy(e.currentTarget.value as JunkReason | '')
                setProblem(null)
              }}
            >
              <option value="">{t.chooseReason}</option>
              {JUNK_REASONS.map((r) => (
                <option key={r} value={r}>
                  {JUNK_REASON_LABELS[locale][r]}
                </option>
              ))}
            </select>
            {reasonProblem !== null && (
              <p id="status-reason-error" class="field-error" role="alert">
                {reasonProblem}
              </p>
            )}
          </div>
        )}
        <div class="control">
          <label for="status-note">{t.note}</label>
          <textarea id="status-note" rows={3} maxLength={NOTE_MAX_LENGTH} value={note} aria-describedby="status-note-hint" onInput={(e) => setNote(e.currentTarget.value)} />
          <p id="status-note-hint" class="hint">
            {t.noteHint}
          </p>
        </div>
        {problem?.field === 'form' && (
          <p class="field-error" role="alert">
            {problem.text}
          </p>
        )}
        <button type="submit">{saving ? t.saving : t.save}</button>
        <p class="saved" role="status">
          {saved ? t.saved : ''}
        </p>
      </fieldset>
    </form>
  )
}

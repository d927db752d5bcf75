// One target's fields, rendered from its type's field description (target-fields.ts): secrets
// write-only ("•••• set", replaced by typing, kept when left empty), errors beside their field.
// A controlled form: the caller holds the draft and its issues (checkTargetDraft, or the API's
// issues under `targets.<i>.` through issuesOfTarget), so the wizard and the Targets page share it.
//
// Props:
// - `value`: the target as a JSON object (as the admin API reads it, secrets redacted; or newTargetDraft(type, ids)).
// - `saved`: the same target as last read, when it is stored: its redacted secrets count as kept.
// - `issues`: problems with paths inside the target (`url`, `provider.apiKey`); those naming no field are listed on top.
// - `onChange(next)`: every edit, with the whole next draft.
// - `idPrefix`: prefix of element ids (default "target"), when several forms share a page.
// - `typeEditable`: show the type picker (a new target); changing it starts a fresh draft of that type.
// - `takenIds`: other targets' ids, for the id a fresh draft gets.
// - `disabled`: read-only.
//
// @example
// <TargetForm value={draft} issues={checkTargetDraft(draft)} onChange={setDraft} typeEditable takenIds={[]} />
import { useState } from 'preact/hooks'
import type { FieldIssue } from '../../../../shared/api'
import { useTargetsStrings } from './strings'
import { TARGET_FIELDS, TARGET_TYPES, fieldApplies, fieldOf, fieldText, fieldValue, isKeptSecret, newTargetDraft, newWebhookSecret, valueAt, withValueAt } from './target-fields'
import type { TargetDraft, TargetField, TargetType } from './target-fields'

export interface TargetFormProps {
  value: TargetDraft
  saved?: TargetDraft
  issues: readonly FieldIssue[]
  onChange: (next: TargetDraft) => void
  idPrefix?: string
  typeEditable?: boolean
  takenIds?: readonly string[]
  disabled?: boolean
}

const ID_FIELD: TargetField = { path: 'id', kind: 'text' }

/** Messages by field path; issues naming no field of the type go to `other`. */
export function placeTargetIssues(type: TargetType, issues: readonly FieldIssue[]): { byField: Record<string, string[]>; other: FieldIssue[] } {
  const byField: Record<string, string[]> = {}
  const other: FieldIssue[] = []
  for (const issue of issues) {
    const field = fieldOf(type, issue.path)
    if (field) (byField[field.path] ??= []).push(field.path === issue.path ? issue.message : `${issue.path.slice(field.path.length + 1)}: ${issue.message}`)
    else other.push(issue)
  }
  return { byField, other }
}

export function TargetForm({ value, saved, issues, onChange, idPrefix = 'target', typeEditable = false, takenIds = [], disabled = false }: TargetFormProps) {
  const s = useTargetsStrings()
  const placed = placeTargetIssues(value.type, issues)
  const fields = [ID_FIELD, ...TARGET_FIELDS[value.type].filter((field) => fieldApplies(field, value))]
  const typeId = `${idPrefix}-type`
  return (
    <fieldset class="target-form" disabled={disabled}>
      <legend>{s.types[value.type]}</legend>
      {placed.other.length > 0 && (
        <div class="notice error" role="alert">
          <p>{s.otherIssues}</p>
          <ul>
            {placed.other.map((issue) => (
              <li key={issue.path}>
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {typeEditable && (
        <div class="control">
          <label for={typeId}>{s.type}</label>
          <select id={typeId} value={value.type} onChange={(e) => onChange(newTargetDraft(e.currentTarget.value as TargetType, takenIds))}>
            {TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {s.types[type]}
              </option>
            ))}
          </select>
        </div>
      )}
      {fields.map((field) => (
        <TargetFieldControl
          key={field.path}
          field={field}
          id={`${idPrefix}-${field.path.replaceAll('.', '-')}`}
          draft={value}
          kept={saved !== undefined && isKeptSecret(value, saved, field.path)}
          stored={saved !== undefined && field.kind === 'secret' && typeof valueAt(saved, field.path) === 'string'}
          errors={placed.byField[field.path]}
          onChange={onChange}
          restore={() => onChange(withValueAt(value, field.path, valueAt(saved, field.path)))}
        />
      ))}
    </fieldset>
  )
}

interface FieldControlProps {
  field: TargetField
  id: string
  draft: TargetDraft
  /** A stored secret, unchanged: the input stays empty with "•••• set". */
  kept: boolean
  /** The target has a stored value here, so emptying the input keeps it. */
  stored: boolean
  errors: string[] | undefined
  onChange: (next: TargetDraft) => void
  restore: () => void
}

function TargetFieldControl({ field, id, draft, kept, stored, errors, onChange, restore }: FieldControlProps) {
  const s = useTargetsStrings()
  const label = s.labels[field.path] ?? field.path
  const hint = kept ? s.secretSet : s.hints[field.path]
  const described = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined
  const common = { id, name: field.path, 'aria-invalid': errors ? ('true' as const) : undefined, 'aria-describedby': described }
  const raw = valueAt(draft, field.path)
  const shown = fieldText(field, raw)
  const set = (input: string | boolean) => onChange(withValueAt(draft, field.path, fieldValue(field, input)))
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
        <input type="checkbox" {...common} checked={shown === true} onChange={(e) => set(e.currentTarget.checked)} />
        <label for={id}>{label}</label>
        {after}
      </div>
    )
  }
  const text = typeof shown === 'string' ? shown : ''
  return (
    <div class="control">
      <label for={id}>{label}</label>
      {field.kind === 'json' ? (
        <JsonText common={common} value={raw} text={text} onInput={set} />
      ) : field.kind === 'select' ? (
        <select {...common} value={text} onChange={(e) => set(e.currentTarget.value)}>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option === '' ? s.default : (s.options[option] ?? option)}
            </option>
          ))}
        </select>
      ) : field.kind === 'secret' ? (
        <div class="secret-input">
          <input
            {...common}
            type="text"
            autoComplete="off"
            spellcheck={false}
            placeholder={kept ? s.secretPlaceholder : undefined}
            value={kept ? '' : text}
            // Empty again: the stored secret stays (the API keeps it for its redacted form).
            onInput={(e) => (e.currentTarget.value === '' && stored ? restore() : set(e.currentTarget.value))}
          />
          {field.path === 'secret' && draft.type === 'webhook' && (
            <button type="button" class="secondary" onClick={() => set(newWebhookSecret())}>
              {s.generate}
            </button>
          )}
        </div>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === 'number' ? 'numeric' : field.kind === 'url' ? 'url' : undefined}
          spellcheck={false}
          value={text}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
      {after}
    </div>
  )
}

interface JsonTextProps {
  common: { id: string; name: string; 'aria-invalid': 'true' | undefined; 'aria-describedby': string | undefined }
  value: unknown
  text: string
  onInput: (text: string) => void
}

/**
 * A JSON part as typed: the text is kept while it means the draft's value, so re-formatting never
 * moves the cursor; another value from outside (a fresh draft) replaces it.
 */
function JsonText({ common, value, text, onInput }: JsonTextProps) {
  const [typed, setTyped] = useState(text)
  const means = (candidate: string) => {
    try {
      return JSON.stringify(JSON.parse(candidate)) === JSON.stringify(value)
    } catch {
      return candidate === value || (candidate.trim() === '' && value === undefined)
    }
  }
  const shown = means(typed) ? typed : text
  return (
    <textarea
      {...common}
      rows={4}
      spellcheck={false}
      value={shown}
      onInput={(e) => {
        setTyped(e.currentTarget.value)
        onInput(e.currentTarget.value)
      }}
    />
  )
}

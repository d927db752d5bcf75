// Wizard step 2, texts, consent and working hours: the Settings page's own fields for those
// sections (settings-form.ts and SettingField), so the wizard and Settings never disagree.
import { SettingField } from '../settings/settings-page'
import { FIELDS } from '../settings/settings-form'
import type { PlacedIssues } from '../saved-form'
import type { FormState, FormValue } from '../settings/settings-form'
import { useSettingsStrings } from '../settings/strings'
import { TEXT_SECTIONS } from './wizard-model'

export interface TextsStepProps {
  texts: FormState
  issues: PlacedIssues
  onChange: (key: string, value: FormValue) => void
}

export function TextsStep({ texts, issues, onChange }: TextsStepProps) {
  const s = useSettingsStrings()
  return (
    <>
      {TEXT_SECTIONS.map((section) => (
        <fieldset key={section} class="settings-section">
          <legend>{s.sections[section]}</legend>
          {section === 'hours' && <p class="hint">{s.hints['hours.week']}</p>}
          {section === 'reply' && <p class="hint">{s.hints.reply}</p>}
          {FIELDS[section].map((field) => (
            <SettingField key={field.key} field={field} value={texts[field.key] ?? ''} errors={issues.byField[field.key]} onChange={onChange} />
          ))}
        </fieldset>
      ))}
      {issues.other.length > 0 && (
        <ul class="field-error">
          {issues.other.map((issue) => (
            <li key={issue.path}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

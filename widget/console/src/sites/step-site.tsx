// Wizard step 1, the site: its key, allowed origins, country and the widget's language, each with
// its hint and, after a refused "Next", the API's message at the field.
import type { JSX } from 'preact'
import { LOCALES } from '../../../../shared/locales'
import type { SiteDraft } from './wizard-model'
import { useSitesStrings } from './strings'
import { useWizardStrings } from './wizard-strings'

export type SiteFields = Pick<SiteDraft, 'key' | 'origins' | 'country' | 'locale'>

export interface SiteStepProps {
  draft: SiteFields
  /** Messages by field: `site` (the key), `origins`, `country`, `locale`. */
  errors: Record<string, string[]>
  onChange: (change: Partial<SiteFields>) => void
}

interface ControlProps {
  id: string
  label: string
  hint?: string | undefined
  errors: string[] | undefined
  children: (common: { id: string; 'aria-invalid': 'true' | undefined; 'aria-describedby': string | undefined }) => JSX.Element
}

/** A labelled control with its hint and errors tied to it by aria-describedby. */
export function Control({ id, label, hint, errors, children }: ControlProps) {
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
      {errors && (
        <p id={`${id}-error`} class="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}

export function SiteStep({ draft, errors, onChange }: SiteStepProps) {
  const w = useWizardStrings()
  const { locales } = useSitesStrings()
  return (
    <>
      <Control id="new-site-key" label={w.key} hint={w.keyHint} errors={errors.site}>
        {(common) => (
          <input
            {...common}
            name="site"
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellcheck={false}
            value={draft.key}
            onInput={(e) => onChange({ key: e.currentTarget.value.trim() })}
          />
        )}
      </Control>
      <Control id="new-site-origins" label={w.origins} hint={w.originsHint} errors={errors.origins}>
        {(common) => (
          <textarea
            {...common}
            name="origins"
            rows={3}
            autoCapitalize="none"
            spellcheck={false}
            value={draft.origins}
            onInput={(e) => onChange({ origins: e.currentTarget.value })}
          />
        )}
      </Control>
      <Control id="new-site-country" label={w.country} hint={w.countryHint} errors={errors.country}>
        {(common) => (
          <input
            {...common}
            name="country"
            type="text"
            class="short"
            maxLength={2}
            autoComplete="off"
            value={draft.country}
            onInput={(e) => onChange({ country: e.currentTarget.value.toUpperCase() })}
          />
        )}
      </Control>
      <Control id="new-site-locale" label={w.locale} errors={errors.locale}>
        {(common) => (
          <select {...common} name="locale" value={draft.locale} onChange={(e) => onChange({ locale: e.currentTarget.value as SiteDraft['locale'] })}>
            {LOCALES.map((locale) => (
              <option key={locale} value={locale}>
                {locales[locale] ?? locale}
              </option>
            ))}
          </select>
        )}
      </Control>
    </>
  )
}

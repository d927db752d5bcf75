// The phone input of every form that asks for one (the callback form, the chat's contact step), so
// both format and check numbers alike: the country picker in the visitor's language with the
// site's likely countries first, formatting as the visitor types, the picker following a typed
// `+…` or `00…` number, and the length check when the visitor leaves the field.
import { useEffect, useState } from 'preact/hooks'
import type * as PhoneModule from '../callback-form/phone'
import { CONTACT_INPUTS, TextField } from './field'
import type { Strings } from './i18n'

/** The lazily loaded phone chunk (the site's countries' metadata comes from the worker). */
export type PhoneLib = typeof PhoneModule

/**
 * The phone chunk once it has arrived, `null` until then (or when it cannot load: offline after
 * the page loaded). Without `load` the field stays plain text.
 */
export function usePhoneLib(load: (() => Promise<PhoneLib>) | undefined): PhoneLib | null {
  const [lib, setLib] = useState<PhoneLib | null>(null)
  useEffect(() => {
    let alive = true
    load?.()
      .then((loaded) => alive && setLib(loaded))
      // No phone chunk: the plain field and the digit count still work.
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [])
  return lib
}

export interface PhoneFieldProps {
  /** Unique in the shadow root; the picker gets `${id}-country`. */
  id: string
  label: string
  strings: Pick<Strings, 'country' | 'phoneInvalid'>
  /** The visitor's language, for the country names. */
  locale: string
  lib: PhoneLib | null
  /** The picker's value: what the visitor picked or typed, the site's country at first. */
  country: string
  onCountry(code: string): void
  /** Listed first in the picker, in this order: the site's country, then its likely ones. */
  countries: readonly string[]
  error?: string | undefined
  /** The visitor left the field with a number that cannot be one of `country`. */
  onInvalid(message: string): void
  defaultValue?: string | undefined
  required?: boolean
}

export function PhoneField(props: PhoneFieldProps) {
  const { id, label, strings, locale, lib, country, onCountry, countries, onInvalid } = props
  // Only the site's countries are shipped: sorting them on each render costs nothing.
  const options = lib?.listCountries(locale, countries) ?? []

  const onInput = (event: Event) => {
    if (!lib) return
    const input = event.currentTarget as HTMLInputElement
    // Reformat only while typing at the end: rewriting the value mid-edit would move the caret.
    if (input.selectionStart === input.value.length) {
      input.value = lib.formatPhone(input.value, country)
    }
    const typed = lib.countryOf(input.value)
    if (typed && typed !== country) onCountry(typed)
  }

  // An impossible number is flagged when the visitor leaves the field, not only on submit. The
  // message's space under the field is kept (`reserve`), so it appearing on blur moves nothing
  // the visitor may be clicking at that moment (the consent box below, say).
  const onBlur = (event: FocusEvent) => {
    const input = event.currentTarget as HTMLInputElement
    if (lib && input.value.trim() && !lib.possibleNumber(input.value, country)) onInvalid(strings.phoneInvalid)
  }

  return (
    <TextField
      id={id}
      label={label}
      {...CONTACT_INPUTS.phone}
      required={props.required}
      onInput={onInput}
      onBlur={onBlur}
      defaultValue={props.defaultValue}
      error={props.error}
      reserve={strings.phoneInvalid}
      before={
        options.length > 0 && (
          <select
            id={`${id}-country`}
            class="field country"
            aria-label={strings.country}
            value={country}
            onChange={(event) => onCountry((event.currentTarget as HTMLSelectElement).value)}
          >
            {options.map(({ code, callingCode, name }) => (
              <option key={code} value={code}>{`${name} +${callingCode}`}</option>
            ))}
          </select>
        )
      }
    />
  )
}

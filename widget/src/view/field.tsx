// One labelled text field with its inline error, the same in the callback form, the exit offer and
// the chat's contact step: the label is tied to the input, and an error is announced as the
// input's description, so a screen reader reads it when the field gets focus.
import type { ComponentChildren, PartialInputHTMLAttributes } from 'preact'

export interface TextFieldProps extends Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'id' | 'class' | 'type' | 'label' | 'list' | 'role'> {
  /** Unique in the shadow root; the error gets `${id}-error`. */
  id: string
  label: string
  type?: 'text' | 'tel' | 'email'
  /** The message under the field; none when the value is fine (or not checked yet). */
  error?: string | undefined
  /**
   * On the input's row, before it (the phone's country picker). The row stays when this is `null`,
   * so the picker arriving later does not rebuild the input the visitor is typing in.
   */
  before?: ComponentChildren
  /**
   * A message whose room stays under the field while there is no error, so an error appearing
   * (the phone's on blur) does not move what is below the field under the visitor's pointer.
   */
  reserve?: string | undefined
}

/**
 * The visitor's contact inputs, the same in every form: keyboard, autofill and the lengths the
 * worker accepts (`ContactSchema` in shared/schemas/lead.ts).
 */
export const CONTACT_INPUTS = {
  phone: { name: 'phone', type: 'tel', autocomplete: 'tel', inputMode: 'tel', maxLength: 40 },
  email: { name: 'email', type: 'email', autocomplete: 'email', maxLength: 254 },
  name: { name: 'name', autocomplete: 'name', maxLength: 200 },
} as const

export function TextField({ id, label, error, before, reserve, type = 'text', ...input }: TextFieldProps) {
  const errorId = `${id}-error`
  const common = {
    ...input,
    id,
    class: 'field',
    'aria-invalid': Boolean(error),
    'aria-describedby': error ? errorId : undefined,
  }
  // Spelled out per type: Preact types each input type with its own allowed roles.
  const field = type === 'tel' ? <input {...common} type="tel" /> : type === 'email' ? <input {...common} type="email" /> : <input {...common} type="text" />
  return (
    <>
      <label for={id}>{label}</label>
      {before !== undefined ? (
        <div class="row">
          {before}
          {field}
        </div>
      ) : (
        field
      )}
      {reserve === undefined ? (
        error && (
          <p id={errorId} class="error">
            {error}
          </p>
        )
      ) : (
        // One grid cell for both: as tall as the longer of the error and the reserved message.
        <div class="slot">
          {error && (
            <p id={errorId} class="error">
              {error}
            </p>
          )}
          <p class="error ghost" aria-hidden="true">
            {reserve}
          </p>
        </div>
      )}
    </>
  )
}

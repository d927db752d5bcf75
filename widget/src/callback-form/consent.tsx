// The consent checkbox: never pre-ticked, labelled with the site's text; a long legal text shows
// its first line and expands on request, so it does not make the dialog huge.
import { useState } from 'preact/hooks'
import type { Strings } from '../view/i18n'

/** Texts up to this long (and on one line) are shown whole. */
const SHORT = 160

/** The first line, or the first sentence-ish chunk of a one-line text. */
export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  if (line.length <= SHORT) return line
  const cut = line.lastIndexOf(' ', SHORT)
  return `${line.slice(0, cut > 0 ? cut : SHORT)}…`
}

export interface ConsentProps {
  text: string
  strings: Strings
  invalid: Record<string, unknown>
  /** Unique in the shadow root: the exit offer can be mounted next to the callback form. */
  id?: string
  /** Ticked by the visitor before (the chat's contact step coming back after a refusal); never by us. */
  ticked?: boolean | undefined
}

export function Consent({ text, strings, invalid, id = 'lc-consent', ticked }: ConsentProps) {
  const [expanded, setExpanded] = useState(false)
  const short = firstLine(text)
  const long = short !== text
  return (
    <>
      <div class="consent">
        <input id={id} name="consent" type="checkbox" required defaultChecked={ticked} {...invalid} />
        <label for={id}>{short}</label>
      </div>
      {long && (
        <>
          <button type="button" class="more" aria-expanded={expanded} aria-controls={`${id}-full`} onClick={() => setExpanded(!expanded)}>
            {expanded ? strings.consentLess : strings.consentMore}
          </button>
          <div id={`${id}-full`} class="consent-full" hidden={!expanded}>
            {text}
          </div>
        </>
      )}
    </>
  )
}

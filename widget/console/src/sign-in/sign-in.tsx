// The sign-in page: the operator token or a site token, exchanged once for an HttpOnly session
// cookie (POST /v1/console/session). The token lives in the password field only: not in state
// that outlives the form, not in a URL, not in storage, and the field is cleared after a try.
import type { ConsoleSessionBody } from '../../../../shared/console-api'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import { formatWait } from '../format'
import type { Strings } from '../i18n'
import { useStrings } from '../i18n'
import { errorText } from '../ui'
import type { Locale } from '../../../../shared/locales'

/** Why the page is shown, when it is not the first visit. */
export type SignInNotice = 'session_expired' | 'unauthorized' | 'signed_out' | null

export interface SignInProps {
  api: Pick<ApiClient, 'signIn'>
  notice: SignInNotice
  onSignedIn: (session: ConsoleSessionBody) => void
}

function signInError(error: ApiFailure, t: Strings, locale: Locale): string {
  if (error.kind === 'http') {
    if (error.status === 401) return t.wrongToken
    if (error.status === 429) return error.retryAfterSeconds ? t.tooManyAttempts(formatWait(error.retryAfterSeconds, locale)) : t.tooManyAttemptsLater
    if (error.code === 'csrf_failed') return t.signInFromConsole
    if (error.status === 400) return t.tokenRequired
  }
  return errorText(error, t)
}

export function SignIn({ api, notice, onSignedIn }: SignInProps) {
  const { t, locale } = useStrings()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [tries, setTries] = useState(0)
  const field = useRef<HTMLInputElement>(null)
  const noticeText = notice === 'session_expired' ? t.sessionExpired : notice === 'unauthorized' ? t.signedOutByServer : notice === 'signed_out' ? t.signedOut : null

  // On arrival and after every failed try, the caret is back in the field.
  useEffect(() => field.current?.focus(), [tries])

  const submit = async (event: Event) => {
    event.preventDefault()
    const input = field.current
    const token = input?.value.trim() ?? ''
    if (token === '') {
      setError(t.tokenRequired)
      setTries((n) => n + 1)
      return
    }
    setBusy(true)
    setError(null)
    const result = await api.signIn(token)
    if (input) input.value = ''
    setBusy(false)
    if (result.ok) {
      onSignedIn(result.value)
      return
    }
    setError(signInError(result.error, t, locale))
    setTries((n) => n + 1)
  }

  return (
    <main id="main" class="sign-in">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t.signInTitle}</h1>
        {noticeText && (
          <p class="notice info" role="status">
            {noticeText}
          </p>
        )}
        <label for="token">{t.tokenLabel}</label>
        <input
          ref={field}
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          required
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'token-error token-hint' : 'token-hint'}
          readOnly={busy}
        />
        <p id="token-hint" class="hint">
          {t.tokenHint}
        </p>
        {error !== null && (
          <p id="token-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  )
}

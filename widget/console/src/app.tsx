// The console: who is signed in (GET /v1/console/session on load), the sign-in page when nobody
// is or the session ended, and the pages behind a header with the sections, the operator's site
// switcher, the language and sign-out.
import type { JSX } from 'preact'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { ConsoleScope, ConsoleSessionBody } from '../../../shared/console-api'
import type { ApiClient, ApiFailure, Fetch } from './api'
import { createApiClient } from './api'
import { ChatbotRoute } from './chatbot/chatbot-route'
import { DeliveriesPage } from './deliveries/deliveries-page'
import { EmbedPage } from './embed/embed-page'
import { LanguageContext, STRINGS, pickLanguage, rememberLanguage, storedLanguage, useStrings } from './i18n'
import type { Locale } from './i18n'
import { LeadCard } from './lead-card/lead-card'
import { Inbox } from './leads/inbox'
import type { PollOptions } from './leads/poll'
import { Report } from './report/report'
import { hrefOf, useRoute } from './router'
import { forgetSignedIn, rememberSignedIn, sessionEndNotice } from './session-memory'
import { SettingsPage } from './settings/settings-page'
import { LivePreview } from './preview'
import { NewSitePage } from './sites/new-site'
import { SitesPage } from './sites/sites-page'
import { SignIn } from './sign-in/sign-in'
import { TeamRoute } from './team/team-route'
import { TargetsRoute } from './targets/targets-route'
import type { SignInNotice } from './sign-in/sign-in'
import { forgetSites, noteChange, siteOf, useManagers, useSiteList } from './site'
import { SiteSwitcher } from './site-switcher'
import { SiteWarnings } from './site-warnings'
import { ErrorNotice } from './ui'

type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed_in'; session: ConsoleSessionBody }
  | { kind: 'signed_out'; notice: SignInNotice }
  /** The server could not be asked: a page with the reason and a retry, never a blank one. */
  | { kind: 'unreachable'; error: ApiFailure }

export interface AppProps {
  fetch?: Fetch
  /** Tests poll faster. */
  poll?: PollOptions
}

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]
}

export function App({ fetch, poll }: AppProps) {
  const [locale, setLocale] = useState<Locale>(() => pickLanguage(browserLanguages(), storedLanguage()))
  const [state, setState] = useState<SessionState>({ kind: 'checking' })
  const api = useMemo(
    () =>
      createApiClient({
        ...(fetch && { fetch }),
        onChanged: noteChange,
        onSessionEnd: (code) => {
          forgetSites()
          setState({ kind: 'signed_out', notice: sessionEndNotice(code, 'unauthorized') })
        },
      }),
    [],
  )
  const language = useMemo(() => ({ locale, t: STRINGS[locale] }), [locale])

  useEffect(() => {
    document.documentElement.lang = locale
    document.title = `${STRINGS[locale].appName} · ${STRINGS[locale].nav.leads}`
  }, [locale])

  const signedIn = (session: ConsoleSessionBody) => {
    rememberSignedIn(session.expiresAt)
    setState({ kind: 'signed_in', session })
  }

  const check = async () => {
    setState({ kind: 'checking' })
    const result = await api.currentSession()
    if (result.ok) return signedIn(result.value)
    if (result.error.kind === 'http' && result.error.status === 401) {
      // No session: expired if this browser was signed in until now (the cookie is gone by then).
      return setState({ kind: 'signed_out', notice: sessionEndNotice(result.error.code, null) })
    }
    setState({ kind: 'unreachable', error: result.error })
  }
  useEffect(() => void check(), [])

  // At expiresAt the next request would get 401 anyway; asking then shows sign-in in an idle tab too
  // (with "expired": the browser has dropped the cookie by then, the remembered end time says why).
  const expiresAt = state.kind === 'signed_in' ? Date.parse(state.session.expiresAt) : NaN
  useEffect(() => {
    if (!Number.isFinite(expiresAt)) return
    const timer = setTimeout(() => void check(), Math.min(Math.max(0, expiresAt - Date.now()) + 1000, 2 ** 31 - 1))
    return () => clearTimeout(timer)
  }, [expiresAt])

  const switchLanguage = () => {
    const next = locale === 'ru' ? 'en' : 'ru'
    rememberLanguage(next)
    setLocale(next)
  }

  let body: JSX.Element
  if (state.kind === 'checking') body = <p class="loading page-loading">{language.t.loading}</p>
  else if (state.kind === 'unreachable')
    body = (
      <main id="main" class="sign-in">
        <div class="card">
          <h1>{language.t.appName}</h1>
          <ErrorNotice error={state.error} onRetry={() => void check()} />
        </div>
      </main>
    )
  else if (state.kind === 'signed_out') body = <SignIn api={api} notice={state.notice} onSignedIn={signedIn} />
  else
    body = (
      <Console
        api={api}
        session={state.session}
        poll={poll}
        onSwitchLanguage={switchLanguage}
        onSignedOut={() => {
          forgetSites()
          forgetSignedIn()
          setState({ kind: 'signed_out', notice: 'signed_out' })
        }}
      />
    )

  return (
    <LanguageContext.Provider value={language}>
      {state.kind !== 'signed_in' && (
        <div class="top-bar minimal">
          <LanguageButton onSwitch={switchLanguage} />
        </div>
      )}
      {body}
    </LanguageContext.Provider>
  )
}

function LanguageButton({ onSwitch }: { onSwitch: () => void }) {
  const { t } = useStrings()
  return (
    <button type="button" class="link language" lang={t === STRINGS.en ? 'ru' : 'en'} aria-label={t.switchLanguageLabel} onClick={onSwitch}>
      {t.switchLanguage}
    </button>
  )
}

function whoText(scope: ConsoleScope, t: (typeof STRINGS)['en']): string {
  if (scope.kind === 'operator') return t.signedInAs.operator
  return scope.managerName || scope.managerId
    ? `${t.signedInAs.manager(scope.managerName ?? scope.managerId ?? '')} · ${t.signedInAs.site(scope.site)}`
    : t.signedInAs.site(scope.site)
}

interface ConsoleProps {
  api: ApiClient
  session: ConsoleSessionBody
  poll: PollOptions | undefined
  onSwitchLanguage: () => void
  onSignedOut: () => void
}

function Console({ api, session, poll, onSwitchLanguage, onSignedOut }: ConsoleProps) {
  const { t } = useStrings()
  const route = useRoute()
  const { scope } = session
  const site = siteOf(scope, route.params)
  const managers = useManagers(api, site)
  const sites = useSiteList(api, scope.kind === 'operator')
  const [signOutError, setSignOutError] = useState<ApiFailure | null>(null)
  const main = useRef<HTMLElement>(null)
  const page = `${route.page}/${route.id ?? ''}`
  const first = useRef(true)

  // A new page moves focus to its heading, as a page load would; filter changes do not.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    ;(main.current?.querySelector('h1') ?? main.current)?.focus()
    scrollTo(0, 0)
  }, [page])

  useEffect(() => {
    const name = route.page === 'lead' ? t.lead : t.nav[route.page]
    document.title = `${name} · ${t.appName}`
  }, [route.page, t])

  const signOut = async () => {
    setSignOutError(null)
    const result = await api.signOut()
    if (result.ok) onSignedOut()
    else setSignOutError(result.error)
  }
  const siteParams = scope.kind === 'operator' && site ? { site } : {}
  // Site tokens read the team (no tokens: they can neither read nor make them); Sites is the operator's.
  const sections =
    scope.kind === 'operator'
      ? (['leads', 'report', 'deliveries', 'settings', 'targets', 'embed', 'chatbot', 'team', 'sites'] as const)
      : (['leads', 'report', 'deliveries', 'settings', 'targets', 'embed', 'chatbot', 'team'] as const)
  const needsSite = route.page !== 'leads' && route.page !== 'lead' && route.page !== 'sites' && site === ''

  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the click only keeps the hash for the router */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The hash is the router's: skip by moving focus, not by changing it.
          e.preventDefault()
          main.current?.focus()
        }}
      >
        {t.skipToContent}
      </a>
      <header class="top-bar">
        <p class="brand">
          <a href={hrefOf('leads', siteParams)}>{t.appName}</a>
        </p>
        <nav aria-label={t.mainNav}>
          <ul>
            {sections.map((s) => (
              <li key={s}>
                <a href={hrefOf(s, siteParams)} aria-current={route.page === s || (s === 'leads' && route.page === 'lead') ? 'page' : undefined}>
                  {t.nav[s]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          {scope.kind === 'operator' && <SiteSwitcher api={api} route={route} list={sites} />}
          <span class="who">{whoText(scope, t)}</span>
          <LanguageButton onSwitch={onSwitchLanguage} />
          <button type="button" class="secondary" onClick={signOut}>
            {t.signOut}
          </button>
        </div>
      </header>
      {signOutError && <ErrorNotice error={signOutError} />}
      <main id="main" ref={main} tabIndex={-1}>
        <SiteWarnings api={api} site={site} />
        {needsSite ? (
          <section aria-labelledby="page-title">
            <h1 id="page-title" tabIndex={-1}>
              {route.page === 'report' ? t.reportTitle : route.page === 'deliveries' ? t.deliveriesTitle : route.page === 'lead' ? t.lead : t.nav[route.page]}
            </h1>
            <p class="notice info">{sites.state === 'error' ? t.chooseSite : t.chooseSiteFromList}</p>
          </section>
        ) : route.page === 'lead' && route.id ? (
          <LeadCard api={api} id={route.id} scope={scope} managers={managers} />
        ) : route.page === 'report' ? (
          <Report api={api} site={site} params={route.params} />
        ) : route.page === 'settings' ? (
          <SettingsPage key={site} api={api} site={site} canEdit={scope.kind === 'operator'} preview={(draft) => <LivePreview api={api} site={site} {...draft} />} />
        ) : route.page === 'targets' ? (
          <TargetsRoute key={site} api={api} site={site} canEdit={scope.kind === 'operator'} />
        ) : route.page === 'team' ? (
          <TeamRoute key={site} api={api} site={site} managers={managers} canEdit={scope.kind === 'operator'} />
        ) : route.page === 'sites' ? (
          route.id === 'new' && scope.kind === 'operator' ? (
            <NewSitePage api={api} />
          ) : (
            <SitesPage api={api} canCreate={scope.kind === 'operator'} />
          )
        ) : route.page === 'chatbot' ? (
          <ChatbotRoute key={site} api={api} site={site} canEdit={scope.kind === 'operator'} />
        ) : route.page === 'embed' ? (
          <EmbedPage site={site} api={api} />
        ) : route.page === 'deliveries' ? (
          <DeliveriesPage api={api} site={site} params={route.params} keepSite={scope.kind === 'operator'} />
        ) : (
          <Inbox api={api} scope={scope} site={site} params={route.params} managers={managers} {...(poll && { poll })} />
        )}
      </main>
    </>
  )
}

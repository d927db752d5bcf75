// Team: the site's managers, routing rules, SLA and head of sales (routing-editor; read-only for a
// site token), and the site's tokens (operator only). Make one, optionally for a named manager (their takes and
// status changes are recorded as theirs); the new token is shown once, in this page's memory only,
// with a copy button, and is gone once dismissed or the page is left. The list shows label,
// manager and when, never a secret; revoke ends the token and its console sessions.
import { useEffect, useState } from 'preact/hooks'
import type { SiteTokenSummary } from '../../../../shared/console-api'
import type { Manager } from '../../../../shared/schemas/routing'
import type { ApiClient, ApiFailure } from '../api'
import { CopyButton } from '../copy-button'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import type { Locale } from '../i18n'
import { managerName } from '../site'
import { ErrorNotice, TableScroll } from '../ui'
import { RoutingEditor } from './routing-editor'

const WORDS = {
  en: {
    title: 'Team',
    tokens: 'Site tokens',
    tokensIntro:
      'A site token signs in to this site’s console and reads its leads through the API, nothing else. A manager’s token records takes and status changes as that manager.',
    label: 'Label',
    labelHint: 'What it is for, e.g. “Olga’s phone” or “CRM export”.',
    manager: 'Manager',
    noManager: 'No manager (the site owner)',
    create: 'Create token',
    creating: 'Creating…',
    newToken: 'The new token',
    shownOnce: 'Copy it now: it is shown only this once and cannot be read again. Anyone with it can sign in as this token.',
    copyToken: 'Copy the token',
    done: 'I have copied it',
    created: 'Created',
    none: 'No tokens yet.',
    revoke: 'Revoke',
    revokeLabel: (label: string) => `Revoke ${label}`,
    confirmRevoke: (label: string) => `Revoke ${label}? Everyone signed in with it is signed out.`,
    revoked: 'The token is revoked.',
    unnamed: 'token',
  },
  ru: {
    title: 'Команда',
    tokens: 'Токены сайта',
    tokensIntro:
      'Токен сайта входит в консоль этого сайта и читает его заявки через API, больше ничего. Токен менеджера записывает взятие заявок и смену статусов от имени этого менеджера.',
    label: 'Название',
    labelHint: 'Для чего он, например «Телефон Ольги» или «Выгрузка в CRM».',
    manager: 'Менеджер',
    noManager: 'Без менеджера (владелец сайта)',
    create: 'Создать токен',
    creating: 'Создаём…',
    newToken: 'Новый токен',
    shownOnce: 'Скопируйте его сейчас: он показывается только один раз и больше не читается. Кто знает токен, входит под ним.',
    copyToken: 'Копировать токен',
    done: 'Я скопировал',
    created: 'Создан',
    none: 'Токенов пока нет.',
    revoke: 'Отозвать',
    revokeLabel: (label: string) => `Отозвать ${label}`,
    confirmRevoke: (label: string) => `Отозвать ${label}? Все, кто вошёл с ним, выйдут.`,
    revoked: 'Токен отозван.',
    unnamed: 'токен',
  },
} satisfies Record<Locale, unknown>

interface TokenList {
  tokens: SiteTokenSummary[]
}

type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready'; tokens: SiteTokenSummary[] }

export interface TeamPageProps {
  api: ApiClient
  site: string
  managers: readonly Manager[]
  /** The operator edits the team and manages tokens; a site token reads the team only. */
  canEdit: boolean
}

export function TeamPage({ api, site, managers: known, canEdit }: TeamPageProps) {
  const { locale } = useStrings()
  // The routing editor's saved managers, once it has read them: a manager just added can own a token.
  const [saved, setSaved] = useState<readonly Manager[] | null>(null)
  return (
    <section aria-labelledby="page-title" class="team">
      <h1 id="page-title" tabIndex={-1}>
        {WORDS[locale].title} · {site}
      </h1>
      <RoutingEditor api={api} site={site} canEdit={canEdit} onManagers={setSaved} />
      {canEdit && <SiteTokens api={api} site={site} managers={saved ?? known} />}
    </section>
  )
}

/** The site's tokens: the operator's only (the API refuses a site token's listing). */
function SiteTokens({ api, site, managers }: { api: ApiClient; site: string; managers: readonly Manager[] }) {
  const { locale } = useStrings()
  const w = WORDS[locale]
  const path = `/v1/admin/sites/${encodeURIComponent(site)}/tokens`
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [label, setLabel] = useState('')
  const [managerId, setManagerId] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  // The only copy of the new token: component state, never the URL, storage or a log.
  const [fresh, setFresh] = useState<string | null>(null)
  const [notice, setNotice] = useState('')

  const fetchTokens = async () => {
    const result = await api.get<TokenList>(path)
    setLoad(result.ok ? { state: 'ready', tokens: result.value.tokens } : { state: 'error', error: result.error })
  }
  useEffect(() => void fetchTokens(), [api, site])

  const create = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setFailure(null)
    setNotice('')
    const result = await api.send<{ token: string }>('POST', path, { label: label.trim() === '' ? null : label.trim(), managerId: managerId === '' ? null : managerId })
    setBusy(false)
    if (!result.ok) return setFailure(result.error)
    setFresh(result.value.token)
    setLabel('')
    setManagerId('')
    void fetchTokens()
  }

  const revoke = async (token: SiteTokenSummary) => {
    const name = token.label ?? `${w.unnamed} ${token.id}`
    if (!confirm(w.confirmRevoke(name))) return
    setFailure(null)
    const result = await api.send('DELETE', `${path}/${encodeURIComponent(token.id)}`)
    if (!result.ok) return setFailure(result.error)
    setNotice(w.revoked)
    void fetchTokens()
  }

  return (
    <section aria-labelledby="team-tokens" class="team-tokens">
      <h2 id="team-tokens">{w.tokens}</h2>
      <p class="hint">{w.tokensIntro}</p>
      {fresh !== null && (
        <div class="notice info fresh-token" role="alert">
          <label for="new-token">{w.newToken}</label>
          <input id="new-token" class="code" readOnly value={fresh} autocomplete="off" spellcheck={false} />
          <p>{w.shownOnce}</p>
          <CopyButton text={fresh} fieldId="new-token" label={w.copyToken} />{' '}
          <button type="button" onClick={() => setFresh(null)}>
            {w.done}
          </button>
        </div>
      )}
      <form class="token-form" onSubmit={(e) => void create(e)}>
        <div class="control">
          <label for="token-label">{w.label}</label>
          <input id="token-label" maxLength={100} value={label} aria-describedby="token-label-hint" onInput={(e) => setLabel(e.currentTarget.value)} />
          <p id="token-label-hint" class="hint">
            {w.labelHint}
          </p>
        </div>
        <div class="control">
          <label for="token-manager">{w.manager}</label>
          <select id="token-manager" value={managerId} onChange={(e) => setManagerId(e.currentTarget.value)}>
            <option value="">{w.noManager}</option>
            {managers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? w.creating : w.create}
        </button>
      </form>
      {failure && <ErrorNotice error={failure} />}
      <p role="status" class="hint">
        {notice}
      </p>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void fetchTokens()} />}
      {load.state === 'ready' &&
        (load.tokens.length === 0 ? (
          <p>{w.none}</p>
        ) : (
          <TableScroll label={w.tokens}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{w.label}</th>
                  <th scope="col">{w.manager}</th>
                  <th scope="col">{w.created}</th>
                  <th scope="col">
                    <span class="sr-only">{w.revoke}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {load.tokens.map((token) => {
                  const name = token.label ?? `${w.unnamed} ${token.id}`
                  return (
                    <tr key={token.id}>
                      <th scope="row">{name}</th>
                      <td>{token.managerId ? managerName(managers, token.managerId) : '—'}</td>
                      <td>{formatDateTime(token.createdAt, locale)}</td>
                      <td>
                        <button type="button" class="secondary" aria-label={w.revokeLabel(name)} onClick={() => void revoke(token)}>
                          {w.revoke}
                        </button>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </TableScroll>
        ))}
    </section>
  )
}

// "Is the tag live?" on the Embed page: for each of the site's allowed origins, when the widget last
// loaded there ("3 min ago") and how often today, or that it never did, from
// GET /v1/admin/sites/:site/tag-status, with a refresh button for after the tag is pasted.
import { useEffect, useState } from 'preact/hooks'
import type { TagStatus } from '../../../../shared/console-api'
import { ruPlural } from '../../../../shared/ru-plural'
import type { ApiClient, ApiFailure } from '../api'
import { formatDateTime, formatDuration } from '../format'
import { useStrings } from '../i18n'
import type { Locale } from '../i18n'
import { ErrorNotice } from '../ui'

const WORDS = {
  en: {
    title: 'Is the tag live?',
    intro: 'When the widget last loaded on each allowed origin. Only the origin and a count are kept, nothing about visitors; a load may take a minute to show.',
    origin: 'Origin',
    lastLoaded: (ago: string) => `last loaded ${ago} ago`,
    justNow: 'last loaded just now',
    never: 'never loaded — check the tag',
    today: (n: number) => `${n} ${n === 1 ? 'load' : 'loads'} today (UTC)`,
    noOrigins: 'The site has no allowed origins yet: add them in Settings or the API.',
    refresh: 'Refresh',
    refreshing: 'Refreshing…',
  },
  ru: {
    title: 'Тег работает?',
    intro:
      'Когда виджет последний раз загрузился на каждом разрешённом адресе. Хранятся только адрес и число загрузок, ничего о посетителях; загрузка может появиться через минуту.',
    origin: 'Адрес',
    lastLoaded: (ago: string) => `загружался ${ago} назад`,
    justNow: 'загружался только что',
    never: 'ни разу не загружался — проверьте тег',
    today: (n: number) => `${n} ${ruPlural(n, 'загрузка', 'загрузки', 'загрузок')} сегодня (UTC)`,
    noOrigins: 'У сайта пока нет разрешённых адресов: добавьте их в настройках или через API.',
    refresh: 'Обновить',
    refreshing: 'Обновляем…',
  },
} satisfies Record<Locale, unknown>

type Load = { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready'; status: TagStatus }

export interface TagStatusPanelProps {
  api: ApiClient
  site: string
  /** The clock "ago" is measured on; tests pass their own. */
  now?: () => number
}

export function TagStatusPanel({ api, site, now = Date.now }: TagStatusPanelProps) {
  const { locale } = useStrings()
  const w = WORDS[locale]
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [busy, setBusy] = useState(false)

  const fetchStatus = async () => {
    setBusy(true)
    const result = await api.get<TagStatus>(`/v1/admin/sites/${encodeURIComponent(site)}/tag-status`)
    setBusy(false)
    setLoad(result.ok ? { state: 'ready', status: result.value } : { state: 'error', error: result.error })
  }
  useEffect(() => void fetchStatus(), [api, site])

  const ago = (iso: string) => {
    const ms = now() - Date.parse(iso)
    return ms < 60_000 ? w.justNow : w.lastLoaded(formatDuration(ms, locale))
  }

  return (
    <section class="tag-status" aria-labelledby="tag-status-title">
      <h2 id="tag-status-title">{w.title}</h2>
      <p class="hint">{w.intro}</p>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void fetchStatus()} />}
      {load.state === 'ready' &&
        (load.status.origins.length === 0 ? (
          <p>{w.noOrigins}</p>
        ) : (
          <ul class="tag-origins" aria-live="polite">
            {load.status.origins.map((o) => (
              <li key={o.origin} class={o.lastLoadedAt === null ? 'tag-never' : 'tag-live'}>
                <code>{o.origin}</code>{' '}
                {o.lastLoadedAt === null ? (
                  <strong>{w.never}</strong>
                ) : (
                  <>
                    <time dateTime={o.lastLoadedAt} title={formatDateTime(o.lastLoadedAt, locale)}>
                      {ago(o.lastLoadedAt)}
                    </time>
                    {' · '}
                    {w.today(o.loadsToday)}
                  </>
                )}
              </li>
            ))}
          </ul>
        ))}
      <button type="button" class="secondary" disabled={busy} onClick={() => void fetchStatus()}>
        {busy && load.state !== 'loading' ? w.refreshing : w.refresh}
      </button>
    </section>
  )
}

// The Versions panel of Settings: every saved config by who and when, a comparison of any two
// (the API's diff by path; a secret only as changed or not) and a restore in one click after a
// confirm, which saves the old config again as a new version; the page then reloads its form.
// A chunk of its own, loaded when the panel is first opened (versions-loader.tsx).
import { useEffect, useState } from 'preact/hooks'
import type { ConfigChangeBody, ConfigDiffBody, ConfigRestoreBody, ConfigVersionListBody, ConfigVersionSummaryBody } from '../../../../shared/config-versions-api'
import type { ApiClient, ApiFailure } from '../api'
import { formatDateTime } from '../format'
import { useStrings } from '../i18n'
import { ErrorNotice, TableScroll } from '../ui'
import { useVersionsStrings } from './versions-strings'
import type { VersionsStrings } from './versions-strings'

export interface VersionsPanelProps {
  api: ApiClient
  site: string
  /** The operator restores; a site token only reads. */
  canEdit: boolean
  /** The form has unsaved changes, which a restore throws away: the confirm says so. */
  dirty: boolean
  /** Changes whenever the page saved, so the list shows the new version. */
  savedAt: number
  /** After a restore: the page reads the config again (resolves once the form shows it). */
  onRestored: () => Promise<void>
}

type Diff = { state: 'idle' } | { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ready'; body: ConfigDiffBody }

const PAGE = 20

/** A value as one short line: JSON, so a string reads in quotes and an object as itself. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 160 ? `${text.slice(0, 159)}…` : text
}

export function VersionsPanel({ api, site, canEdit, dirty, savedAt, onRestored }: VersionsPanelProps) {
  const s = useVersionsStrings()
  const { locale } = useStrings()
  const [versions, setVersions] = useState<ConfigVersionSummaryBody[]>([])
  const [nextBefore, setNextBefore] = useState<number | null>(null)
  const [kept, setKept] = useState(100)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [pair, setPair] = useState<[number, number] | null>(null)
  const [diff, setDiff] = useState<Diff>({ state: 'idle' })
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const base = `/v1/admin/sites/${encodeURIComponent(site)}/versions`

  const fetchPage = async (before: number | null) => {
    setFailure(null)
    const result = await api.get<ConfigVersionListBody>(base, { limit: String(PAGE), before: before === null ? undefined : String(before) })
    if (!result.ok) return setFailure(result.error)
    const page = result.value.versions
    setVersions((current) => (before === null ? page : [...current, ...page]))
    setNextBefore(result.value.nextBefore)
    setKept(result.value.kept)
    // The newest two, compared, unless the user picked a pair that still exists.
    if (before === null) setPair(page.length >= 2 ? [page[1]!.version, page[0]!.version] : null)
  }
  useEffect(() => void fetchPage(null), [api, site, savedAt])

  useEffect(() => {
    if (!pair) return setDiff({ state: 'idle' })
    let live = true
    setDiff({ state: 'loading' })
    void api.get<ConfigDiffBody>(`${base}/${pair[0]}/diff/${pair[1]}`).then((result) => {
      if (live) setDiff(result.ok ? { state: 'ready', body: result.value } : { state: 'error', error: result.error })
    })
    return () => {
      live = false
    }
  }, [api, base, pair?.[0], pair?.[1]])

  const restore = async (n: number) => {
    if (!confirm(dirty ? s.confirmRestoreDirty(n) : s.confirmRestore(n))) return
    setBusy(true)
    setNotice('')
    setFailure(null)
    const result = await api.send<ConfigRestoreBody>('POST', `${base}/${n}/restore`)
    setBusy(false)
    if (!result.ok) return setFailure(result.error)
    // The notice says the form shows the restored config: only once it does.
    await onRestored()
    setNotice(s.restored(n, result.value.version.version))
  }

  const who = (v: ConfigVersionSummaryBody) => (v.savedBy.kind === 'site_token' ? v.savedBy.name : s.by[v.savedBy.kind])
  const label = (v: ConfigVersionSummaryBody) => s.option(v.version, formatDateTime(v.savedAt, locale), who(v))

  return (
    <section aria-labelledby="versions-title" class="versions">
      <h2 id="versions-title">{s.title}</h2>
      <p class="hint">{s.intro(kept)}</p>
      <p role="status" class="hint">
        {notice}
      </p>
      {failure && <ErrorNotice error={failure} />}
      {versions.length > 0 && (
        <TableScroll label={s.title}>
          {/* Named by aria-label, not an sr-only caption: an absolutely placed hidden text inside a scroller widens the page. */}
          <table aria-label={s.title}>
            <thead>
              <tr>
                <th scope="col">{s.version}</th>
                <th scope="col">{s.when}</th>
                <th scope="col">{s.who}</th>
                {canEdit && <th scope="col">{s.restore}</th>}
              </tr>
            </thead>
            <tbody>
              {versions.map((v, i) => (
                <tr key={v.version}>
                  <td>
                    v{v.version}
                    {v.restoredFrom !== null && <span class="hint"> · {s.restoredFrom(v.restoredFrom)}</span>}
                  </td>
                  <td>{formatDateTime(v.savedAt, locale)}</td>
                  <td>{who(v)}</td>
                  {canEdit && (
                    <td>
                      {/* The newest is the live config: restoring it would change nothing. */}
                      {i > 0 && (
                        <button type="button" class="secondary" aria-label={s.restoreLabel(v.version)} disabled={busy} onClick={() => void restore(v.version)}>
                          {s.restore}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {nextBefore !== null && (
        <button type="button" class="secondary" onClick={() => void fetchPage(nextBefore)}>
          {s.more}
        </button>
      )}
      {versions.length === 1 && <p class="hint">{s.one}</p>}
      {pair && (
        <div class="versions-compare">
          <div class="control">
            <label for="versions-from">{s.from}</label>
            <select id="versions-from" value={String(pair[0])} onChange={(e) => setPair([Number(e.currentTarget.value), pair[1]])}>
              {versions.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {label(v)}
                </option>
              ))}
            </select>
          </div>
          <div class="control">
            <label for="versions-to">{s.to}</label>
            <select id="versions-to" value={String(pair[1])} onChange={(e) => setPair([pair[0], Number(e.currentTarget.value)])}>
              {versions.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {label(v)}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {diff.state === 'loading' && <p class="loading">…</p>}
      {diff.state === 'error' && <ErrorNotice error={diff.error} />}
      {diff.state === 'ready' && <DiffView body={diff.body} s={s} />}
    </section>
  )
}

function DiffView({ body, s }: { body: ConfigDiffBody; s: VersionsStrings }) {
  const unchangedSecrets = body.secrets.filter((secret) => !secret.changed)
  return (
    <div class="versions-diff">
      <h3>{s.changes(body.from, body.to)}</h3>
      {body.changes.length === 0 ? (
        <p>{s.noChanges}</p>
      ) : (
        <ul class="diff-list">
          {body.changes.map((change) => (
            <li key={change.path} class={`diff-${change.kind}`}>
              <code>{change.path}</code> <ChangeText change={change} s={s} />
            </li>
          ))}
        </ul>
      )}
      {unchangedSecrets.length > 0 && (
        <p class="hint">
          {s.secrets}: {unchangedSecrets.map((secret) => secret.path).join(', ')} — {s.secretUnchanged}
        </p>
      )}
    </div>
  )
}

function ChangeText({ change, s }: { change: ConfigChangeBody; s: VersionsStrings }) {
  if (change.secret) return <span class="diff-kind">{s.secretChanged}</span>
  return (
    <>
      <span class="diff-kind">{s.kinds[change.kind]}</span>
      {change.kind !== 'added' && <del>{shown(change.before)}</del>}
      {change.kind === 'changed' && ' → '}
      {change.kind !== 'removed' && <ins>{shown(change.after)}</ins>}
    </>
  )
}

// Campaign spend in the report: the cost columns of the source-quality table (rows by source or
// campaign), and the CSV upload that feeds them (POST /v1/admin/sites/:site/spend with { csv }).
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api'
import type { StatsRow } from '../api-types'
import { useStrings } from '../i18n'

const WORDS = {
  en: {
    cost: 'Spend',
    perLead: 'Per lead',
    perQualified: 'Per qualified',
    perWon: 'Per won',
    upload: 'Import spend (CSV)',
    uploadHint: 'Columns: date, utm_source, utm_campaign, cost, currency. A file with a bad row imports nothing.',
    imported: (n: number) => `Imported ${n} day(s) of spend.`,
    refused: 'Nothing was imported:',
    failed: 'The import failed; try again.',
  },
  ru: {
    cost: 'Расход',
    perLead: 'За заявку',
    perQualified: 'За квалиф.',
    perWon: 'За сделку',
    upload: 'Загрузить расходы (CSV)',
    uploadHint: 'Колонки: date, utm_source, utm_campaign, cost, currency. Файл с ошибочной строкой не загружается целиком.',
    imported: (n: number) => `Загружено дней расходов: ${n}.`,
    refused: 'Ничего не загружено:',
    failed: 'Загрузка не удалась, попробуйте ещё раз.',
  },
}

export type SpendRow = NonNullable<StatsRow['spend']>[number]
export type SpendColumn = 'cost' | 'perLead' | 'perQualified' | 'perWon'
export const SPEND_COLUMNS: readonly SpendColumn[] = ['cost', 'perLead', 'perQualified', 'perWon']

export function useSpendWords() {
  const { locale } = useStrings()
  return WORDS[locale]
}

/** One currency per line: "12 500 ₽", "—" for no spend or nothing to divide by. */
export function SpendCell({ spend, column }: { spend: SpendRow[] | undefined; column: SpendColumn }) {
  const { locale } = useStrings()
  if (!spend || spend.length === 0) return <>—</>
  const money = (value: number | null, currency: string) =>
    value === null ? '—' : new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 2 }).format(value)
  return (
    <>
      {spend.map((s, i) => (
        <span key={s.currency} class="money">
          {i > 0 && <br />}
          {money(s[column], s.currency)}
        </span>
      ))}
    </>
  )
}

/** The upload: the file's text goes as JSON { csv }, so the CSRF token and errors work as everywhere. */
export function SpendUpload({ api, site, onImported }: { api: ApiClient; site: string; onImported: () => void }) {
  const w = useSpendWords()
  const [message, setMessage] = useState<{ ok: boolean; text: string; lines: string[] } | null>(null)
  const upload = async (file: File | undefined) => {
    if (!file) return
    const result = await api.send<{ imported: number }>('POST', `/v1/admin/sites/${encodeURIComponent(site)}/spend`, { csv: await file.text() })
    if (result.ok) {
      setMessage({ ok: true, text: w.imported(result.value.imported), lines: [] })
      onImported()
    } else if (result.error.kind === 'http' && result.error.issues) {
      setMessage({ ok: false, text: w.refused, lines: result.error.issues.map((i) => `${i.path}: ${i.message}`) })
    } else setMessage({ ok: false, text: w.failed, lines: [] })
  }
  return (
    <div class="spend-upload">
      <label for="spend-file">{w.upload}</label>
      <input id="spend-file" type="file" accept=".csv,text/csv" onChange={(e) => void upload(e.currentTarget.files?.[0])} />
      <p class="hint">{w.uploadHint}</p>
      {message && (
        <div role="status" class={message.ok ? 'ok' : 'error'}>
          <p>{message.text}</p>
          {message.lines.length > 0 && (
            <ul>
              {message.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}

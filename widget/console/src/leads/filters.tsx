// The inbox filters: every control writes its value into the hash (replacing the entry, so the
// back button leaves the inbox rather than undoing filters), and the list follows the hash.
import { JUNK_REASONS, LEAD_STATUSES } from '../../../../shared/schemas/lead-status'
import { JUNK_REASON_LABELS, STATUS_LABELS } from '../../../../shared/lead-status-labels'
import { LEAD_SOURCES } from '../../../../shared/schemas/lead'
import type { Manager } from '../../../../shared/schemas/routing'
import { useStrings } from '../i18n'
import { PERIOD_DAYS } from './query'
import type { FilterKey } from './query'

export interface FiltersProps {
  params: URLSearchParams
  managers: readonly Manager[]
  onChange: (key: FilterKey | 'period', value: string) => void
}

function Select({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  // A value from a link (the report's "qualified,won") that no option names still shows.
  const all = value !== '' && !options.some(([v]) => v === value) ? [...options, [value, value] as [string, string]] : options
  return (
    <div class="control">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {all.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}

function Text({ id, label, value, maxLength, onChange }: { id: string; label: string; value: string; maxLength: number; onChange: (value: string) => void }) {
  return (
    <div class="control">
      <label for={id}>{label}</label>
      {/* change, not input: one request when the field is left or Enter is pressed, not one per key */}
      <input id={id} type="text" value={value} maxLength={maxLength} onChange={(e) => onChange(e.currentTarget.value.trim())} />
    </div>
  )
}

export function Filters({ params, managers, onChange }: FiltersProps) {
  const { t, locale } = useStrings()
  const get = (key: string) => params.get(key) ?? ''
  const yesNo: [string, string][] = [
    ['', t.any],
    ['true', t.yes],
    ['false', t.no],
  ]
  const period = get('from') || get('to') ? 'custom' : get('period')
  const statusOptions: [string, string][] = [['', t.any], ...LEAD_STATUSES.map((s): [string, string] => [s, STATUS_LABELS[locale][s]])]
  // The report's "qualified" column counts won leads too; its links ask for both.
  statusOptions.splice(4, 0, ['qualified,won', `${STATUS_LABELS[locale].qualified} + ${STATUS_LABELS[locale].won}`])
  return (
    <div class="filter-grid">
      <Select
        id="f-period"
        label={t.period}
        value={period}
        options={[
          ['', t.periodAll],
          ...PERIOD_DAYS.map((n): [string, string] => [String(n), t.periodDays(n)]),
          ...(period === 'custom' ? [['custom', t.periodCustom] as [string, string]] : []),
        ]}
        onChange={(v) => v !== 'custom' && onChange('period', v)}
      />
      <Select
        id="f-source"
        label={t.sourceType}
        value={get('source')}
        options={[['', t.any], ...LEAD_SOURCES.map((s): [string, string] => [s, t.sources[s]])]}
        onChange={(v) => onChange('source', v)}
      />
      <Select
        id="f-temperature"
        label={t.temperature}
        value={get('temperature')}
        options={[['', t.any], ...(['hot', 'warm', 'cold'] as const).map((s): [string, string] => [s, t.temperatures[s]])]}
        onChange={(v) => onChange('temperature', v)}
      />
      <Select id="f-status" label={t.status} value={get('status')} options={statusOptions} onChange={(v) => onChange('status', v)} />
      {(get('status') === 'junk' || get('junkReason') !== '') && (
        <Select
          id="f-junk-reason"
          label={t.junkReason}
          value={get('junkReason')}
          options={[['', t.any], ...JUNK_REASONS.map((r): [string, string] => [r, JUNK_REASON_LABELS[locale][r]])]}
          onChange={(v) => onChange('junkReason', v)}
        />
      )}
      <Select id="f-spam" label={t.spam} value={get('spam')} options={yesNo} onChange={(v) => onChange('spam', v)} />
      <Select id="f-repeat" label={t.repeat} value={get('duplicate')} options={yesNo} onChange={(v) => onChange('duplicate', v)} />
      {managers.length > 0 && (
        <Select
          id="f-manager"
          label={t.manager}
          value={get('manager')}
          options={[['', t.any], ...managers.map((m): [string, string] => [m.id, m.name])]}
          onChange={(v) => onChange('manager', v)}
        />
      )}
      <Text id="f-campaign" label={t.campaign} value={get('campaign')} maxLength={200} onChange={(v) => onChange('campaign', v)} />
      <Text id="f-utm-source" label={t.utmSource} value={get('utmSource')} maxLength={200} onChange={(v) => onChange('utmSource', v)} />
    </div>
  )
}

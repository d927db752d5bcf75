// Speed to lead in the report (GET /v1/admin/stats `speedToLead`): how long leads waited for a
// manager's first action, the share answered within the SLA, per manager, per source and per hour
// of the day the lead came in.
import type { SpeedFigures, SpeedToLeadReport } from '../api-types'
import { formatDuration, formatPercent } from '../format'
import { useStrings } from '../i18n'
import { TableScroll } from '../ui'

const WORDS = {
  en: {
    title: 'Speed to lead',
    summary: (answered: number, leads: number) => `${answered} of ${leads} leads got a first action.`,
    median: 'Median',
    p90: '90 % within',
    withinSla: 'Within the SLA',
    noSla: 'No SLA set for this site.',
    byManager: 'By manager',
    bySource: 'By source',
    byHour: (zone: string) => `By hour the lead came in (${zone})`,
    manager: 'Manager',
    source: 'Source',
    hour: 'Hour',
    leads: 'Leads',
    answered: 'Answered',
    nobody: 'Not assigned',
    truncated: 'Over the newest 50 000 leads of the period.',
  },
  ru: {
    title: 'Скорость реакции',
    summary: (answered: number, leads: number) => `Первое действие получили ${answered} из ${leads} заявок.`,
    median: 'Медиана',
    p90: '90 % быстрее',
    withinSla: 'В пределах SLA',
    noSla: 'Для сайта не задан SLA.',
    byManager: 'По менеджерам',
    bySource: 'По источникам',
    byHour: (zone: string) => `По часу поступления заявки (${zone})`,
    manager: 'Менеджер',
    source: 'Источник',
    hour: 'Час',
    leads: 'Заявки',
    answered: 'С действием',
    nobody: 'Не назначен',
    truncated: 'По последним 50 000 заявкам периода.',
  },
}

export function SpeedToLead({ speed }: { speed: SpeedToLeadReport }) {
  const { t, locale } = useStrings()
  const w = WORDS[locale]
  const time = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, locale))
  const sla = (f: SpeedFigures) => (f.withinSla === null || f.withinSla.decided === 0 ? '—' : formatPercent(f.withinSla.percent, locale))
  const table = (label: string, head: string, rows: { key: string; name: string; figures: SpeedFigures }[]) => (
    <TableScroll label={label}>
      <table class="speed">
        <caption>
          <span>{label}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{w.leads}</th>
            <th scope="col">{w.answered}</th>
            <th scope="col">{w.median}</th>
            <th scope="col">{w.p90}</th>
            <th scope="col">{w.withinSla}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, name, figures }) => (
            <tr key={key}>
              <th scope="row">{name}</th>
              <td>{figures.leads}</td>
              <td>{figures.answered}</td>
              <td>{time(figures.medianMs)}</td>
              <td>{time(figures.p90Ms)}</td>
              <td>{sla(figures)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
  return (
    <section class="speed-to-lead" aria-labelledby="speed-title">
      <h2 id="speed-title">{w.title}</h2>
      <p>
        {w.summary(speed.answered, speed.leads)} {w.median}: <strong>{time(speed.medianMs)}</strong>, {w.p90}: <strong>{time(speed.p90Ms)}</strong>.{' '}
        {speed.withinSla === null ? (
          w.noSla
        ) : (
          <>
            {w.withinSla}: <strong>{sla(speed)}</strong> ({speed.withinSla.within} / {speed.withinSla.decided}).
          </>
        )}
      </p>
      {speed.truncated && <p class="hint">{w.truncated}</p>}
      {table(
        w.byManager,
        w.manager,
        speed.byManager.map((m) => ({ key: m.managerId ?? '', name: m.managerId ?? w.nobody, figures: m })),
      )}
      {table(
        w.bySource,
        w.source,
        speed.bySource.map((s) => ({ key: s.source, name: t.sources[s.source], figures: s })),
      )}
      {table(
        w.byHour(speed.timeZone),
        w.hour,
        speed.byHour.filter((h) => h.leads > 0).map((h) => ({ key: String(h.hour), name: `${String(h.hour).padStart(2, '0')}:00`, figures: h })),
      )}
    </section>
  )
}

// Analytics hooks: widget events go to the page's GTM dataLayer and to a Yandex.Metrica goal,
// when the page has them. Never throws: a broken counter must not break the widget.
import type { AnalyticsSettings } from '../../../shared/schemas/widget-settings'

export type AnalyticsEvent = 'widget_opened' | 'lead_submitted' | 'exit_intent_shown' | 'chat_invite_shown'

declare global {
  interface Window {
    dataLayer?: unknown[]
    ym?: (counter: number, method: 'reachGoal', goal: string, params?: object) => void
  }
}

/**
 * @example
 * track({ ymCounter: 123 }, 'lead_submitted', { source: 'callback' })
 * // dataLayer.push({ event: 'leadcatcher.lead_submitted', source: 'callback' })
 * // ym(123, 'reachGoal', 'leadcatcher_lead_submitted_callback', { source: 'callback' })
 */
export function track(settings: AnalyticsSettings | null | undefined, event: AnalyticsEvent, params: Record<string, string> = {}): void {
  try {
    if (settings?.dataLayer !== false && Array.isArray(window.dataLayer)) {
      window.dataLayer.push({ event: `leadcatcher.${event}`, ...params })
    }
    if (settings?.ymCounter && typeof window.ym === 'function') {
      // One goal per source, so a Metrica goal can be set up for callbacks alone.
      const goal = ['leadcatcher', event, params.source].filter(Boolean).join('_')
      window.ym(settings.ymCounter, 'reachGoal', goal, params)
    }
  } catch (error) {
    console.error('[leadcatcher] analytics', error)
  }
}

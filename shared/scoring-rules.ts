// A site's scoring rules: the defaults with the site's overrides laid over them, field by field, so
// an override the site leaves out keeps its default (docs/configuration.md#tuning-it-for-a-site).
// Shared so the console's chatbot simulator scores a lead as the server will.
import { DEFAULT_SCORING } from './score'
import type { ScoringRules } from './score'
import type { SiteConfig } from './schemas/site-config'

export function scoringRulesFor(config: Pick<SiteConfig, 'scoring'>): ScoringRules {
  const site = config.scoring
  if (!site) return DEFAULT_SCORING
  const d = DEFAULT_SCORING
  return {
    base: site.base ?? d.base,
    source: {
      callback: site.source?.callback ?? d.source.callback,
      chat: site.source?.chat ?? d.source.chat,
      form: site.source?.form ?? d.source.form,
      exit_intent: site.source?.exit_intent ?? d.source.exit_intent,
    },
    name: site.name ?? d.name,
    phone: site.phone ?? d.phone,
    email: site.email ?? d.email,
    returningVisitor: site.returningVisitor ?? d.returningVisitor,
    engagedPages: site.engagedPages ?? d.engagedPages,
    scheduledCallback: site.scheduledCallback ?? d.scheduledCallback,
    // A site's answer rules replace the defaults as a whole: they are about its own questions.
    answers: site.answers ?? d.answers,
    hot: site.hot ?? d.hot,
    warm: site.warm ?? d.warm,
  }
}

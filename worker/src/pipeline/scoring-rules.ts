// A site's scoring rules: the defaults with the site's overrides laid over them.
import { DEFAULT_SCORING } from '../../../shared/score'
import type { ScoringRules } from '../../../shared/score'
import type { SiteConfig } from '../../../shared/schemas/site-config'

export function scoringRulesFor(config: SiteConfig): ScoringRules {
  const overrides = config.scoring
  if (!overrides) return DEFAULT_SCORING
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined))
  return {
    ...DEFAULT_SCORING,
    ...defined({ ...overrides, source: undefined }),
    source: { ...DEFAULT_SCORING.source, ...defined(overrides.source ?? {}) },
  } as ScoringRules
}

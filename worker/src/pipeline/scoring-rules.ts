// A site's scoring rules, now in shared/scoring-rules.ts so the console's chatbot simulator scores a
// lead as the server does; kept here for the pipeline's imports.
export { scoringRulesFor } from '../../../shared/scoring-rules'

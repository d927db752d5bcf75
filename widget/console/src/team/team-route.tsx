// The Team page's stand-in in the console's first load: the routing editor and the tokens come in
// their own chunk on first visit.
import { lazyPage } from '../lazy-page'
import type { TeamPageProps } from './team-page'

export const TeamRoute = lazyPage<TeamPageProps>(
  () => import('./team-page').then((module) => module.TeamPage),
  (t) => t.nav.team,
)

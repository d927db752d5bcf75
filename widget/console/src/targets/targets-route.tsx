// The Targets page's stand-in in the console's first load: the editor, every target type's schema
// and the test-lead view come in their own chunk on first visit.
import { lazyPage } from '../lazy-page'
import type { TargetsPageProps } from './targets-page'

export const TargetsRoute = lazyPage<TargetsPageProps>(
  () => import('./targets-page').then((module) => module.TargetsPage),
  (t) => t.nav.targets,
)

// The Versions panel's words, Russian and English: the list, the comparison and the restore. In
// the panel's chunk only; the button that opens it is worded in strings.ts.
import { useStrings } from '../i18n'
import type { ConfigAuthorBody } from '../../../../shared/config-versions-api'
import type { DiffKind } from '../../../../shared/config-diff'

const en = {
  title: 'Versions',
  intro: (kept: number) => `Every save is kept as a version (the newest ${kept}). Pick two to see what changed; restore one to save it again as a new version.`,
  version: 'Version',
  when: 'Saved',
  who: 'By',
  restoredFrom: (n: number) => `restores v${n}`,
  restore: 'Restore',
  restoreLabel: (n: number) => `Restore version ${n}`,
  confirmRestore: (n: number) => `Save version ${n} again as the site's config? The current one stays in the list.`,
  confirmRestoreDirty: (n: number) => `Save version ${n} again as the site's config? Your unsaved changes in the form will be lost.`,
  restored: (n: number, made: number) => `Version ${n} restored as version ${made}; the form shows it.`,
  more: 'Older versions',
  from: 'Compare',
  to: 'with',
  option: (n: number, when: string, who: string) => `v${n} · ${when} · ${who}`,
  noChanges: 'These two versions are the same.',
  changes: (from: number, to: number) => `From v${from} to v${to}`,
  kinds: { added: 'added', removed: 'removed', changed: 'changed' } satisfies Record<DiffKind, string>,
  secretChanged: 'secret changed',
  secrets: 'Secrets',
  secretUnchanged: 'unchanged',
  one: 'Only one version so far: save a change to compare.',
  by: { admin_token: 'admin token', console_session: 'console', site_token: 'site token', system: 'system' } satisfies Record<ConfigAuthorBody['kind'], string>,
}

export type VersionsStrings = typeof en

const ru: VersionsStrings = {
  title: 'Версии',
  intro: (kept) => `Каждое сохранение хранится как версия (последние ${kept}). Выберите две, чтобы увидеть разницу; восстановленная версия сохраняется заново как новая.`,
  version: 'Версия',
  when: 'Сохранена',
  who: 'Кем',
  restoredFrom: (n) => `восстанавливает v${n}`,
  restore: 'Восстановить',
  restoreLabel: (n) => `Восстановить версию ${n}`,
  confirmRestore: (n) => `Сохранить версию ${n} как текущую настройку сайта? Текущая останется в списке.`,
  confirmRestoreDirty: (n) => `Сохранить версию ${n} как текущую настройку сайта? Несохранённые изменения в форме пропадут.`,
  restored: (n, made) => `Версия ${n} восстановлена как версия ${made}; форма показывает её.`,
  more: 'Более старые версии',
  from: 'Сравнить',
  to: 'с',
  option: (n, when, who) => `v${n} · ${when} · ${who}`,
  noChanges: 'Эти версии одинаковы.',
  changes: (from, to) => `От v${from} к v${to}`,
  kinds: { added: 'добавлено', removed: 'удалено', changed: 'изменено' },
  secretChanged: 'секрет изменён',
  secrets: 'Секреты',
  secretUnchanged: 'без изменений',
  one: 'Пока одна версия: сохраните изменение, чтобы сравнить.',
  by: { admin_token: 'токен администратора', console_session: 'консоль', site_token: 'токен сайта', system: 'система' },
}

export const VERSIONS_STRINGS = { en, ru }

export function useVersionsStrings(): VersionsStrings {
  return VERSIONS_STRINGS[useStrings().locale]
}

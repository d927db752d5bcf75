// The live preview's words, Russian and English: its title, the size, language and open controls,
// why a part cannot open, and what became of a test lead sent from the preview.
import { useStrings } from '../i18n'
import type { PreviewPart } from './protocol'

const en = {
  title: 'Live preview',
  intro: 'The real widget on the settings as they are in the form, saved or not. A lead sent here is a test lead: it goes to the site’s targets and counts in no stats.',
  loading: 'Loading the preview…',
  loadFailed: 'The preview did not load. Reload the page to try again.',
  frameTitle: 'Widget preview',
  size: 'Size',
  desktop: 'Desktop',
  phone: 'Phone (360 px)',
  language: 'Widget language',
  languages: { ru: 'Русский', en: 'English' },
  open: 'Open',
  parts: { callback: 'Callback form', exit: 'Exit offer', invite: 'Chat invite', chat: 'Chat' } satisfies Record<PreviewPart, string>,
  off: {
    exit: 'Turn the exit offer on to preview it.',
    invite: 'The chat invite needs the invite turned on and a chatbot flow.',
    chat: 'The site has no chatbot flow.',
  },
  stale: (paths: string) => `The preview shows the last valid draft: fix ${paths}.`,
  sending: 'Sending the test lead…',
  sent: (id: string) => `Test lead ${id} stored.`,
  deliveries: (n: number) => (n === 0 ? 'The site has no targets it went to.' : `Delivery attempts: ${n}.`),
  notSent: (message: string) => `The test lead was not stored: ${message}`,
}

type PreviewStrings = typeof en

const ru: PreviewStrings = {
  title: 'Предпросмотр',
  intro: 'Настоящий виджет с настройками, как они сейчас в форме, сохранёнными или нет. Заявка отсюда — тестовая: уходит в назначения сайта и не попадает в статистику.',
  loading: 'Загружаем предпросмотр…',
  loadFailed: 'Предпросмотр не загрузился. Обновите страницу, чтобы попробовать снова.',
  frameTitle: 'Предпросмотр виджета',
  size: 'Размер',
  desktop: 'Компьютер',
  phone: 'Телефон (360 px)',
  language: 'Язык виджета',
  languages: { ru: 'Русский', en: 'English' },
  open: 'Открыть',
  parts: { callback: 'Форма звонка', exit: 'Предложение при уходе', invite: 'Приглашение в чат', chat: 'Чат' },
  off: {
    exit: 'Включите предложение при уходе, чтобы его увидеть.',
    invite: 'Для приглашения в чат нужно включить приглашение и задать сценарий чат-бота.',
    chat: 'У сайта нет сценария чат-бота.',
  },
  stale: (paths: string) => `Предпросмотр показывает последний верный черновик: исправьте ${paths}.`,
  sending: 'Отправляем тестовую заявку…',
  sent: (id: string) => `Тестовая заявка ${id} сохранена.`,
  deliveries: (n: number) => (n === 0 ? 'Назначений, куда она ушла, нет.' : `Попыток доставки: ${n}.`),
  notSent: (message: string) => `Тестовая заявка не сохранена: ${message}`,
}

export const PREVIEW_STRINGS = { en, ru }

export function usePreviewStrings(): PreviewStrings {
  return PREVIEW_STRINGS[useStrings().locale]
}

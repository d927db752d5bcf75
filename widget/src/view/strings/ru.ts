// The widget's Russian texts: a chunk of their own, loaded for a Russian-speaking visitor only, so
// the app on first use carries one language (load-strings.ts); the chat imports both (i18n.ts).
import { RU_ERRORS, secondsRu } from '../../../../shared/messages/ru'
import type { Strings } from '../i18n'
import { LAUNCHER } from '../../loader/locale'

export const RU: Strings = {
  launcher: LAUNCHER.ru,
  title: 'Обратный звонок',
  close: 'Закрыть',
  phone: 'Телефон',
  country: 'Страна',
  consentMore: 'Подробнее',
  consentLess: 'Свернуть',
  callWithin: (seconds) => `Перезвоним в течение ${secondsRu(seconds)}.`,
  calling: (clock) => `Уже звоним вам: ${clock}`,
  callingOver: 'Звонка ещё нет? Менеджер перезвонит в ближайшие минуты: ваш номер у нас.',
  offHours: 'Сейчас мы не работаем. Выберите, когда вам позвонить:',
  closed: 'Сейчас мы не работаем. Оставьте номер — перезвоним, как только начнём работу.',
  slot: 'Время звонка',
  queued: 'Заявка сохранена: отправим её, как только появится интернет.',
  contact: 'Телефон или e-mail',
  contactMissing: 'Укажите телефон или e-mail.',
  dismiss: 'Нет, спасибо',
  chat: 'Чат',
  chatInvite: 'Есть вопрос? Спросите в чате — бот ответит сразу.',
  chatInviteOpen: 'Открыть чат',
  name: 'Имя (необязательно)',
  honeypot: 'Не заполняйте это поле',
  submit: 'Жду звонка',
  sending: 'Отправляем…',
  phoneMissing: 'Укажите, пожалуйста, номер телефона.',
  offline: 'Не удалось отправить: нет связи. Проверьте интернет и нажмите «Жду звонка» ещё раз.',
  failed: 'Не удалось отправить заявку. Попробуйте ещё раз чуть позже.',
  // Texts the worker can answer with too come from shared/messages, so both sides say the same.
  phoneInvalid: RU_ERRORS.invalid_phone,
  consentMissing: RU_ERRORS.consent_required,
  rateLimited: RU_ERRORS.rate_limited,
}

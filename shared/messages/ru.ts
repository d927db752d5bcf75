// The Russian visitor texts of shared/messages.ts, in a module of their own so the widget's Russian
// strings chunk carries no English (and the English one no Russian).
import type { VisitorErrorCode } from '../messages'

export const RU_ERRORS: Record<VisitorErrorCode, string> = {
  contact_required: 'Оставьте, пожалуйста, телефон или e-mail.',
  invalid_phone: 'Похоже, в номере телефона ошибка. Проверьте его, пожалуйста.',
  invalid_email: 'Похоже, в адресе e-mail ошибка. Проверьте его, пожалуйста.',
  consent_required: 'Подтвердите, пожалуйста, согласие на обработку персональных данных.',
  validation_failed: 'Некоторые поля заполнены неверно.',
  rate_limited: 'Слишком много запросов. Попробуйте ещё раз через минуту.',
}

export const RU_DEFAULT_REPLY = 'Спасибо! Мы скоро перезвоним.'

/** "в течение N секунд" takes the genitive: 1, 21, 31… секунды; every other number секунд. */
export function secondsRu(seconds: number): string {
  return `${seconds} ${seconds % 10 === 1 && seconds % 100 !== 11 ? 'секунды' : 'секунд'}`
}

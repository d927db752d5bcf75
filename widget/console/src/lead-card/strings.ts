// The lead card's call timeline in Russian and English: what each step of an automatic call says
// (a manager rung, answered or not, the visitor's leg, the outcome, a scheduled call, the SMS).
import { useStrings } from '../i18n'

export type CallStateName = 'skipped' | 'scheduled' | 'ringing_manager' | 'calling_you' | 'connected' | 'missed' | 'failed'

const en = {
  title: 'Calls',
  loading: 'Loading the calls…',
  call: (n: number) => `Call ${n}`,
  states: {
    skipped: 'not dialled',
    scheduled: 'scheduled',
    ringing_manager: 'ringing the managers',
    calling_you: 'calling the visitor',
    connected: 'connected',
    missed: 'missed',
    failed: 'failed',
  } satisfies Record<CallStateName, string>,
  scheduledFor: (at: string) => `Scheduled for ${at}`,
  manager: 'the manager',
  events: {
    started: 'Auto-dial started',
    ringing: (who: string) => `Ringing ${who}`,
    answered: (who: string) => `${who} answered`,
    notAnswered: (who: string) => `${who} did not answer`,
    visitorAnswered: 'The visitor answered',
    visitorMissed: 'The visitor did not answer',
    connected: 'Connected: the manager and the visitor are talking',
    missed: 'Missed',
    failed: 'The call failed',
    skipped: 'Not dialled',
    capped: 'Not dialled: over a call cap',
    sms: 'SMS to the visitor',
    replayed: 'Called again (a fresh round)',
  },
  rang: (d: string) => `rang ${d}`,
  after: (d: string) => `after ${d}`,
  sinceStart: 'since the start',
  detail: 'Provider',
}

export type CallStrings = typeof en

const ru: CallStrings = {
  title: 'Звонки',
  loading: 'Загружаем звонки…',
  call: (n: number) => `Звонок ${n}`,
  states: {
    skipped: 'не набирали',
    scheduled: 'запланирован',
    ringing_manager: 'звоним менеджерам',
    calling_you: 'звоним клиенту',
    connected: 'соединили',
    missed: 'не дозвонились',
    failed: 'ошибка',
  },
  scheduledFor: (at: string) => `Запланирован на ${at}`,
  manager: 'менеджер',
  events: {
    started: 'Автодозвон начат',
    ringing: (who: string) => `Звоним: ${who}`,
    answered: (who: string) => `${who}: ответил(а)`,
    notAnswered: (who: string) => `${who}: не ответил(а)`,
    visitorAnswered: 'Клиент ответил',
    visitorMissed: 'Клиент не ответил',
    connected: 'Соединили: менеджер говорит с клиентом',
    missed: 'Не дозвонились',
    failed: 'Звонок не удался',
    skipped: 'Не набирали',
    capped: 'Не набирали: превышен лимит звонков',
    sms: 'SMS клиенту',
    replayed: 'Позвонили ещё раз (новый круг)',
  },
  rang: (d: string) => `звонил ${d}`,
  after: (d: string) => `через ${d}`,
  sinceStart: 'от начала',
  detail: 'Провайдер',
}

export const CALL_STRINGS = { en, ru }

export function useCallStrings(): CallStrings {
  return CALL_STRINGS[useStrings().locale]
}

// Tests for the engine over the three demo flows: every branch, exact scores and reasons, refusals.
import { describe, expect, it } from 'vitest'
import { scoreLead } from '../score'
import { handoffPrefill, localize, startFlow, stepFlow } from './engine'
import type { FlowState } from './engine'
import { matchFaq } from './faq'
import { replayFlow, withFlowScore } from './replay'
import type { Flow } from './schema'
import { PHONE, demoFlow, walk } from './testing'
import type { WalkInput } from './testing'

const realty = demoFlow('realty')
const school = demoFlow('english-school')
const travel = demoFlow('travel')

const lastBot = (state: FlowState) => state.messages.filter((m) => m.from === 'bot').at(-1)?.text

/** Fails when some node of the flow is on none of the given conversations' paths. */
function expectEveryNodeReached(flow: Flow, states: FlowState[]) {
  const reached = new Set(states.flatMap((s) => s.path))
  expect(flow.nodes.map((n) => n.id).filter((id) => !reached.has(id))).toEqual([])
}

describe('the realty flow', () => {
  const hotBuyer = ['buy', '2', 'new', '5_10m', '20_50', 'now', PHONE] as const
  const undecided = ['buy', 'studio', 'any', 'unknown', 'none', 'just_looking', PHONE] as const
  const later = ['buy', '3', 'resale', '10_20m', 'under_20', 'later', PHONE] as const
  const sellNow = ['sell', 'flat', 'now', PHONE] as const
  const sellLater = ['sell', 'land', 'later', PHONE] as const
  const questions = ['question', 'Do you help with a mortgage?', 'more', 'Where do I park?', 'sell', 'house', 'now', PHONE]

  it('scores a buyer with a concrete budget and timing and a big down payment', () => {
    const state = walk(realty, [...hotBuyer])
    expect(state.status).toBe('ended')
    expect(state.answers).toEqual({
      intent: 'buy',
      rooms: '2',
      market: 'new',
      budget: '5_10m',
      down_payment: '20_50',
      timing: 'now',
    })
    expect(state.contact).toEqual({ phone: '+7 912 345-67-89', name: 'Anna' })
    expect(state.reasons).toEqual([
      {
        rule: 'flow.score_hot',
        points: 20,
        text: 'concrete budget and buying within a month',
        texts: { ru: 'конкретный бюджет и покупка в течение месяца', en: 'concrete budget and buying within a month' },
      },
      { rule: 'flow.score_down', points: 10, text: 'down payment of 20% or more', texts: { ru: 'первоначальный взнос от 20%', en: 'down payment of 20% or more' } },
    ])
    expect(state.score).toBe(30)
    expect(lastBot(state)).toBe('Thank you! An agent will call you within 15 minutes during working hours.')
  })

  it('takes points off an undecided budget and a visitor who is just looking', () => {
    const state = walk(realty, [...undecided])
    expect(state.reasons.map((r) => [r.rule, r.points])).toEqual([
      ['flow.score_no_budget', -10],
      ['flow.score_looking', -10],
    ])
    expect(state.score).toBe(-20)
  })

  it('adds nothing for a concrete budget bought later with a small down payment', () => {
    const state = walk(realty, [...later])
    expect(state.reasons).toEqual([])
    expect(state.path).toContain('hot_check')
    expect(state.path).toContain('down_check')
  })

  it('scores an urgent seller and not a seller in no hurry', () => {
    expect(walk(realty, [...sellNow]).reasons).toEqual([
      { rule: 'flow.score_sell', points: 15, text: 'wants to sell within a month', texts: { ru: 'хочет продать в течение месяца', en: 'wants to sell within a month' } },
    ])
    const relaxed = walk(realty, [...sellLater])
    expect(relaxed.answers).toEqual({ intent: 'sell', property: 'land', timing: 'later' })
    expect(relaxed.score).toBe(0)
  })

  it('answers FAQ questions by key word, falls back on unknown ones, and goes on', () => {
    const state = walk(realty, questions)
    const bot = state.messages.filter((m) => m.from === 'bot' && m.node === 'question').map((m) => m.text)
    expect(bot).toEqual([
      'Go ahead and ask!',
      'Yes: we apply to several banks at once; approval usually takes 2–3 days.',
      'Go ahead and ask!',
      'An agent will answer that best: leave your number and they will call you.',
    ])
    expect(state.answers.question).toBe('Where do I park?')
    expect(state.status).toBe('ended')
  })

  it('reaches every node over these conversations', () => {
    expectEveryNodeReached(
      realty,
      [hotBuyer, undecided, later, sellNow, sellLater, questions].map((inputs) => walk(realty, inputs)),
    )
  })

  it('ends hot on the server for a hot buyer, warm for a later one and cold for one just looking', () => {
    const serverScore = (inputs: readonly WalkInput[], contact: { phone: string; name?: string }) => {
      const state = walk(realty, inputs)
      const base = scoreLead({ source: 'chat', contact, answers: state.answers })
      return withFlowScore(base, replayFlow(realty, state.answers))
    }
    const phone = '+79123456789'
    expect(serverScore(hotBuyer, { phone })).toMatchObject({ score: 100, temperature: 'hot' })
    expect(serverScore(undecided, { phone, name: 'Anna' })).toMatchObject({
      score: 5,
      temperature: 'cold',
    })
    expect(serverScore(later, { phone })).toMatchObject({ score: 55, temperature: 'warm' })
  })

  it('speaks Russian when asked to, and the visitor sees the button label they chose', () => {
    let state = startFlow(realty, { locale: 'ru' })
    expect(state.messages.map((m) => m.text)).toEqual([
      'Здравствуйте! Задам пару вопросов, чтобы подобрать варианты. Если удобнее поговорить — нажмите «Позвоните мне».',
      'Вы хотите купить или продать?',
    ])
    state = stepFlow(realty, state, { type: 'answer', value: 'buy' }, { locale: 'ru' })
    expect(state.messages.slice(-2)).toEqual([
      { from: 'visitor', text: 'Купить', node: 'intent' },
      { from: 'bot', text: 'Сколько комнат нужно?', node: 'rooms' },
    ])
  })
})

describe('the english school flow', () => {
  const adult = ['trial', 'adults', 'intermediate', ['weekend', 'evening'], { type: 'contact', email: 'Anna@Example.COM' }] as const
  const child = ['trial', 'kids', 'beginner', ['morning'], PHONE] as const
  const questionThenTrial = ['question', 'What is the price?', 'trial', 'teens', 'advanced', ['afternoon'], PHONE] as const
  const questionThenCall = ['question', 'Можно заниматься онлайн?', 'call'] as const
  const questionThenNotNow = ['question', 'How much are the lessons?', 'not_now', PHONE] as const

  it('books an adult trial lesson with the promised reply and an email only', () => {
    const state = walk(school, [...adult])
    expect(state.answers).toEqual({
      goal: 'trial',
      age_group: 'adults',
      level: 'intermediate',
      preferred_time: ['evening', 'weekend'],
    })
    expect(state.contact).toEqual({ email: 'Anna@example.com' })
    expect(state.reasons).toEqual([
      { rule: 'flow.trial', points: 15, text: 'wants a free trial lesson', texts: { ru: 'хочет бесплатный пробный урок', en: 'wants a free trial lesson' } },
      {
        rule: 'flow.group_ready',
        points: 15,
        text: 'can join an existing group at once',
        texts: { ru: 'может сразу присоединиться к группе', en: 'can join an existing group at once' },
      },
    ])
    expect(lastBot(state)).toBe("Thank you! We'll call within one working hour to agree the time.")
    expect(state.messages.find((m) => m.node === 'time' && m.from === 'visitor')?.text).toBe('Evenings, Weekends')
  })

  it('tells parents about the first lesson and gives a beginner no group points', () => {
    const state = walk(school, [...child])
    expect(state.score).toBe(15)
    expect(state.messages.some((m) => m.node === 'parents')).toBe(true)
  })

  it('hands off to the callback form from the FAQ, with what the visitor asked as the message', () => {
    const state = walk(school, [...questionThenCall], { locale: 'ru' })
    expect(state.status).toBe('handoff')
    expect(state.messages.filter((m) => m.node === 'question').map((m) => m.text)).toEqual([
      'Напишите ваш вопрос.',
      'Можно заниматься онлайн?',
      'Да, все курсы есть онлайн в Zoom в то же время, что и в классе.',
    ])
    expect(handoffPrefill(state)).toEqual({
      message: 'goal: question; question: Можно заниматься онлайн?; after_question: call',
    })
  })

  it('takes points off a visitor not ready for a trial and promises the timetable, not a call', () => {
    const state = walk(school, [...questionThenNotNow])
    expect(state.status).toBe('ended')
    expect(state.reasons).toEqual([
      { rule: 'flow.not_ready', points: -15, text: 'not ready for a trial lesson yet', texts: { ru: 'пока не готов(а) к пробному уроку', en: 'not ready for a trial lesson yet' } },
    ])
    expect(lastBot(state)).toBe('Thank you! We will send you the timetable and prices within a working day.')
  })

  it('reaches every node over these conversations', () => {
    expectEveryNodeReached(
      school,
      [adult, child, questionThenTrial, questionThenCall, questionThenNotNow].map((inputs) => walk(school, inputs)),
    )
  })
})

describe('the travel flow', () => {
  const standard = ['Turkey', '10–20 June', 2, 150000, PHONE] as const
  const group = ['Italy', 'sometime in summer', '8', '100 000', { type: 'contact', email: 'team@example.com' }] as const
  const premium = ['Maldives', 'May 2027', '2', '450 000', PHONE] as const

  it('routes an ordinary request to the standard queue', () => {
    const state = walk(travel, [...standard])
    expect(state.answers).toEqual({
      destination: 'Turkey',
      dates: '10–20 June',
      travellers: 2,
      budget: 150000,
    })
    expect(state.vars).toEqual({ route: 'standard' })
    expect(state.reasons).toEqual([
      { rule: 'flow.concrete_dates', points: 15, text: 'named concrete dates', texts: { ru: 'назвал(а) конкретные даты', en: 'named concrete dates' } },
    ])
  })

  it('marks a group of six or more for a senior manager', () => {
    const state = walk(travel, [...group])
    expect(state.answers.travellers).toBe(8)
    expect(state.answers.budget).toBe(100000)
    expect(state.vars).toEqual({ route: 'senior' })
    expect(state.reasons).toEqual([
      { rule: 'flow.group_score', points: 15, text: 'group of 6 or more travellers', texts: { ru: 'группа от 6 человек', en: 'group of 6 or more travellers' } },
    ])
  })

  it('marks an expensive request for a senior manager', () => {
    const state = walk(travel, [...premium])
    expect(state.vars).toEqual({ route: 'senior' })
    expect(state.score).toBe(30)
    expect(state.reasons.map((r) => r.rule)).toEqual(['flow.concrete_dates', 'flow.premium_score'])
  })

  it('reaches every node over these conversations', () => {
    expectEveryNodeReached(
      travel,
      [standard, group, premium].map((inputs) => walk(travel, inputs)),
    )
  })

  it('asks again, with the reason, for a wrong number, a number out of range or an empty text', () => {
    let state = walk(travel, ['Turkey', 'June'])
    for (const [value, error] of [
      ['many', 'not_a_number'],
      [0, 'out_of_range'],
      ['  ', 'empty'],
    ] as const) {
      state = stepFlow(travel, state, { type: 'answer', value })
      expect([state.at, state.error]).toEqual(['travellers', error])
    }
    state = stepFlow(travel, state, { type: 'answer', value: '3' })
    expect([state.at, state.error]).toEqual(['budget', null])
  })
})

describe('stepFlow', () => {
  it('refuses a button that is not offered and an empty multi-choice', () => {
    const state = walk(realty, [])
    expect(stepFlow(realty, state, { type: 'answer', value: 'rent' }).error).toBe('choose_option')
    const atTime = walk(school, ['trial', 'adults', 'beginner'])
    expect(stepFlow(school, atTime, { type: 'answer', value: [] }).error).toBe('choose_option')
    expect(stepFlow(school, atTime, { type: 'answer', value: ['morning', 'night'] }).error).toBe('choose_option')
  })

  it('checks the contact like the callback form does, with the phone check it is given', () => {
    const atContact = walk(school, ['trial', 'adults', 'beginner', ['morning']])
    const step = (event: Parameters<typeof stepFlow>[2]) =>
      stepFlow(school, atContact, event, {
        checkPhone: (raw) => (raw.startsWith('+7') ? raw : null),
      }).error
    expect(step({ type: 'contact' })).toBe('contact_missing')
    expect(step({ type: 'contact', phone: '12' })).toBe('phone_invalid')
    expect(step({ type: 'contact', phone: '8 912 345 67 89' })).toBe('phone_invalid')
    expect(step({ type: 'contact', email: 'anna@' })).toBe('email_invalid')
    expect(step({ type: 'contact', phone: '+7 912 345 67 89' })).toBeNull()
    // The realty contact asks for a phone only: an email alone is no contact there.
    const realtyContact = walk(realty, ['sell', 'flat', 'later'])
    expect(stepFlow(realty, realtyContact, { type: 'contact', email: 'anna@example.com' }).error).toBe('contact_missing')
  })

  it('hands off at any moment and then ignores further events', () => {
    const state = walk(realty, ['buy', '2'])
    const handedOff = stepFlow(realty, state, { type: 'handoff' })
    expect(handedOff.status).toBe('handoff')
    expect(stepFlow(realty, handedOff, { type: 'answer', value: 'new' })).toBe(handedOff)
    expect(handoffPrefill(handedOff)).toEqual({ message: 'intent: buy; rooms: 2' })
  })

  it('never changes the state it is given', () => {
    const state = walk(realty, ['buy'])
    const before = structuredClone(state)
    stepFlow(realty, state, { type: 'answer', value: '2' })
    stepFlow(realty, state, { type: 'answer', value: 'nonsense' })
    expect(state).toEqual(before)
  })

  it('stops as broken instead of spinning in an unvalidated loop', () => {
    const flow: Flow = {
      id: 'spin',
      start: 'a',
      nodes: [
        { id: 'a', type: 'score', points: 1, reason: 'again', next: 'b' },
        { id: 'b', type: 'message', text: 'Hi', next: 'a' },
      ],
    }
    const state = startFlow(flow)
    expect(state.status).toBe('broken')
    expect(state.path).toHaveLength(200)
  })
})

describe('replayFlow', () => {
  it('recomputes the score, reasons and route from the answers alone', () => {
    const state = walk(travel, ['Italy', 'summer', 8, 100000, PHONE])
    const replay = replayFlow(travel, state.answers)
    expect(replay).toMatchObject({
      status: 'ended',
      score: state.score,
      reasons: state.reasons,
      vars: { route: 'senior' },
    })
    expect(replay.path).toEqual(state.path)
  })

  it('stops at an answer the flow does not offer and keeps only the points earned before it', () => {
    const replay = replayFlow(realty, {
      intent: 'buy',
      rooms: '2',
      market: 'new',
      budget: '5_10m',
      down_payment: '20_50',
      timing: 'yesterday',
    })
    expect(replay).toMatchObject({ status: 'invalid', at: 'timing', score: 0, reasons: [] })
  })

  it('says incomplete when an answer the path needs is missing, and ignores extra keys', () => {
    const replay = replayFlow(realty, {
      intent: 'sell',
      property: 'flat',
      score: 100,
      budget: 'over_20m',
    })
    expect(replay).toMatchObject({ status: 'incomplete', at: 'sell_timing', score: 0 })
    expect(replay.answers).toEqual({ intent: 'sell', property: 'flat' })
  })

  it('does not loop on a stored answer that leads back to the same question', () => {
    const replay = replayFlow(realty, {
      intent: 'question',
      question: 'mortgage?',
      after_question: 'more',
    })
    expect(replay.status).toBe('incomplete')
  })

  it('lets a spam verdict win over flow points', () => {
    const base = scoreLead({
      source: 'chat',
      contact: { phone: '+79123456789' },
      spam: ['honeypot'],
    })
    expect(withFlowScore(base, { reasons: [{ rule: 'flow.x', points: 50, text: 'x' }] })).toBe(base)
  })
})

describe('matchFaq and localize', () => {
  it('matches word beginnings, synonyms, and prefers the entry with more hits', () => {
    const entries = realty.faq ?? []
    expect(matchFaq('Какая комиссия?', entries)?.id).toBe('commission')
    expect(matchFaq('Сколько берёте за услуги?', entries, realty.synonyms)?.id).toBe('commission')
    expect(matchFaq('Сколько берёте за услуги?', entries)).toBeNull()
    expect(matchFaq('ипотека или кредит, и какая комиссия', entries)?.id).toBe('mortgage')
    expect(matchFaq('Hello', entries)).toBeNull()
  })

  it('falls back to the other locale when a text has only one', () => {
    expect(localize({ ru: 'Привет' }, 'en')).toBe('Привет')
    expect(localize({ en: 'Hi' }, 'ru')).toBe('Hi')
    expect(localize('Hi', 'ru')).toBe('Hi')
  })
})

// The answers as the visitor saw them: questions and clicked labels in their language, by the path.
import { describe, expect, it } from 'vitest'
import { answerLabels, answerLine } from './answer-labels'
import { handoffPrefill } from './engine'
import { replayFlow } from './replay'
import { PHONE, demoFlow, walk } from './testing'

const realty = demoFlow('realty')
const school = demoFlow('english-school')

describe('answerLabels', () => {
  it('gives each code the question and the label the visitor clicked, in their language', () => {
    const answers = { intent: 'buy', budget: 'under_5m', down_payment: 'none', timing: 'just_looking' }
    expect(answerLabels(realty, answers, 'ru')).toEqual({
      intent: { question: 'Вы хотите купить или продать?', answer: 'Купить' },
      budget: { question: 'Какой у вас бюджет?', answer: 'до 5 млн ₽' },
      down_payment: { question: 'Какой первоначальный взнос готовы внести?', answer: 'Без взноса' },
      timing: { question: 'Когда планируете покупку?', answer: 'Просто смотрю' },
    })
    expect(answerLabels(realty, { budget: 'under_5m' }, 'en').budget).toEqual({ question: 'What is your budget?', answer: 'under 5M ₽' })
  })

  it('joins several choices, keeps typed text and unknown values as they are, and skips keys no question asks', () => {
    const labels = answerLabels(school, { preferred_time: ['evening', 'weekend', 'night'], question: 'Можно онлайн?', 'var.route': 'senior', ghost: 'x' }, 'ru')
    expect(labels).toEqual({
      preferred_time: { question: 'Когда удобно заниматься? Можно выбрать несколько.', answer: 'Вечером, В выходные, night' },
      question: { question: 'Напишите ваш вопрос.', answer: 'Можно онлайн?' },
    })
  })

  it('writes a number as the visitor’s language does', () => {
    const travel = demoFlow('travel')
    expect(answerLabels(travel, { budget: 150000, travellers: 2 }, 'ru')).toEqual({
      budget: { question: 'Бюджет на человека, ₽?', answer: '150\u00a0000' },
      travellers: { question: 'Сколько человек поедет?', answer: '2' },
    })
    expect(answerLabels(travel, { budget: 150000 }, 'en').budget?.answer).toBe('150,000')
  })

  it('takes the question on the path when two share a key (a seller’s timing is not a buyer’s)', () => {
    const seller = walk(realty, ['sell', 'flat', 'now', PHONE])
    expect(answerLabels(realty, seller.answers, 'ru', seller.path).timing).toEqual({ question: 'Когда хотите продать?', answer: 'Как можно скорее' })
    expect(answerLabels(realty, seller.answers, 'ru', replayFlow(realty, seller.answers).path).timing?.question).toBe('Когда хотите продать?')
    const buyer = walk(realty, ['buy', '2', 'new', '5_10m', '20_50', 'now', PHONE])
    expect(answerLabels(realty, buyer.answers, 'ru', buyer.path).timing).toEqual({ question: 'Когда планируете покупку?', answer: 'Прямо сейчас' })
  })

  it('makes the "call me instead" message of labels, and keeps codes only without them', () => {
    const state = walk(realty, ['buy', '2'], { locale: 'ru' })
    const labels = answerLabels(realty, state.answers, 'ru', state.path)
    expect(handoffPrefill(state, labels).message).toBe('Вы хотите купить или продать? — Купить; Сколько комнат нужно? — 2')
    expect(handoffPrefill(state).message).toBe('intent: buy; rooms: 2')
    expect(answerLine(labels.intent!)).toBe('Вы хотите купить или продать? — Купить')
  })
})

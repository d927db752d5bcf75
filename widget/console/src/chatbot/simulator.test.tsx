// The simulator: a demo flow played to the end in the chat's own words ends on the lead's score as
// the server computes it (the site's rules plus the flow's points), its reasons and variables; a wrong answer gets the chat's message and the node asks again; restart
// starts over; "call me instead" ends on the hand-off.
import { cleanup, fireEvent, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { demoFlow } from '../../../../shared/flow/testing'
import { scoringRulesFor } from '../../../../shared/scoring-rules'
import { renderIn } from '../testing'
import { Simulator } from './simulator'

afterEach(cleanup)

const travel = demoFlow('travel')

function answer(label: RegExp, value: string, send = 'Send') {
  fireEvent.input(screen.getByRole('textbox', { name: label }), { target: { value } })
  fireEvent.click(screen.getByRole('button', { name: send }))
}

describe('the simulator', () => {
  it('plays the travel flow to the end and shows its score, reasons and variables', () => {
    renderIn('en', <Simulator flow={travel} locale="en" />)
    const log = screen.getByRole('list', { name: 'Chat' })
    expect(within(log).getByText('Hello! Four questions and we will find you a tour.')).toBeTruthy()
    answer(/Where would you like to go/, 'Turkey')
    answer(/When\? Dates or a month/, '10–20 June')
    answer(/How many travellers/, '8')
    answer(/Budget per person/, '120 000')
    fireEvent.input(screen.getByLabelText('Phone'), { target: { value: '+7 912 555-44-33' } })
    fireEvent.input(screen.getByLabelText('Name (optional)'), { target: { value: 'Anna' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))

    expect(within(log).getByText('Thank you! A manager will send you options by the end of the working day.')).toBeTruthy()
    expect(within(log).getByText('Anna, +7 912 555-44-33')).toBeTruthy()
    const result = screen.getByRole('region', { name: 'Result' })
    expect(within(result).getByText('The conversation ended.')).toBeTruthy()
    // The server's score for this chat lead: the default rules (10 + chat 15 + name 5 + phone 15 + a budget 15) and the flow's +30.
    expect(result.querySelector('.sim-score')?.textContent).toBe('90')
    expect(within(result).getByText('Hot')).toBeTruthy()
    expect([...result.querySelectorAll('.sim-reasons li')].map((li) => li.textContent)).toEqual([
      '+10 left a request',
      '+15 talked to the chatbot',
      '+5 gave a name',
      '+15 left a valid phone number',
      '+15 named a budget',
      '+15 named concrete dates',
      '+15 group of 6 or more travellers',
    ])
    expect(result.querySelector('.sim-flow-points')?.textContent).toBe('+30')
    expect([...result.querySelectorAll('.sim-flow-reasons li')].map((li) => li.textContent)).toEqual([
      '+15 named concrete dates flow.concrete_dates',
      '+15 group of 6 or more travellers flow.group_score',
    ])
    expect([...result.querySelectorAll('.sim-vars li')].map((li) => li.textContent)).toEqual(['route = "senior"'])
    expect(result.querySelector('.sim-answers')?.textContent).toContain('travellers: 8')
    expect(result.querySelector('.sim-path')?.textContent).toBe(
      'hello → destination → dates → travellers → budget → dates_check → concrete_dates → route → group → group_score → contact → end',
    )
  })

  it('says what the chat says for a wrong answer, and the question waits', () => {
    renderIn('en', <Simulator flow={travel} locale="en" />)
    answer(/Where would you like to go/, 'Turkey')
    answer(/When\? Dates or a month/, 'July')
    answer(/How many travellers/, 'many')
    expect(screen.getByRole('alert').textContent).toBe('Please answer with a number.')
    expect(screen.getByRole('textbox', { name: /How many travellers/ })).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Result' })).toBeNull()
  })

  it('speaks Russian when switched, and restarts from the first message', () => {
    renderIn('en', <Simulator flow={travel} locale="en" />)
    answer(/Where would you like to go/, 'Turkey')
    fireEvent.change(screen.getByLabelText('Language of the chat'), { target: { value: 'ru' } })
    expect(screen.getByText('Здравствуйте! Подберём тур — ответьте на четыре вопроса.')).toBeTruthy()
    expect(screen.queryByText('Turkey')).toBeNull()
    answer(/Куда хотите поехать/, 'Турция', 'Отправить')
    expect(screen.getByText('Турция')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }))
    expect(screen.queryByText('Турция')).toBeNull()
    expect(screen.getByRole('textbox', { name: /Куда хотите поехать/ })).toBeTruthy()
  })

  it('ends on the hand-off when the visitor asks to be called instead', () => {
    renderIn('en', <Simulator flow={demoFlow('realty')} locale="en" />)
    fireEvent.click(screen.getByRole('button', { name: 'Call me instead' }))
    expect(screen.getByText('Leave your number in the call-back form and we will call you.')).toBeTruthy()
    const result = screen.getByRole('region', { name: 'Result' })
    expect(within(result).getByText('The visitor went to the call-back form.')).toBeTruthy()
    expect(within(result).getByText(/scored as a call-back, without the flow’s points/)).toBeTruthy()
    expect(result.querySelector('.sim-score')).toBeNull()
    expect(within(result).getByText('No score node on this path.')).toBeTruthy()
  })

  it('scores the lead with the site’s own rules: its points and its thresholds', () => {
    const rules = scoringRulesFor({ scoring: { base: 0, phone: 0, name: 0, source: { chat: 0 }, hot: 90, warm: 20 } })
    renderIn('en', <Simulator flow={travel} locale="en" rules={rules} />)
    answer(/Where would you like to go/, 'Turkey')
    answer(/When\? Dates or a month/, '10–20 June')
    answer(/How many travellers/, '8')
    answer(/Budget per person/, '120 000')
    fireEvent.input(screen.getByLabelText('Phone'), { target: { value: '+7 912 555-44-33' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    const result = screen.getByRole('region', { name: 'Result' })
    // Only the default answer rule (a budget, +15) and the flow's +30 are left.
    expect(result.querySelector('.sim-score')?.textContent).toBe('45')
    expect(within(result).getByText('Warm')).toBeTruthy()
  })
})

// Tests for the flow CLI as a site owner runs it: a real `node scripts/flow.mjs` with piped stdin.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function flow(args: string[], input = '') {
  const result = spawnSync(process.execPath, ['scripts/flow.mjs', ...args], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('npm run flow -- check', () => {
  it('accepts the three demo flows', () => {
    const { code, stdout, stderr } = flow(['check', 'demo/flows/realty.json', 'demo/flows/english-school.json', 'demo/flows/travel.json'])
    expect(stderr).toBe('')
    expect(stdout).toBe('demo/flows/realty.json: OK (21 nodes)\ndemo/flows/english-school.json: OK (18 nodes)\ndemo/flows/travel.json: OK (15 nodes)\n')
    expect(code).toBe(0)
  })

  it('prints every problem of a broken flow by node and exits 1', () => {
    const { code, stdout } = flow(['check', 'shared/flow/fixtures/broken.json'])
    expect(code).toBe(1)
    expect(stdout.split('\n').slice(0, 6)).toEqual([
      'shared/flow/fixtures/broken.json: 5 problems',
      '  duplicate_id: node "end": the id is used more than once',
      '  unknown_node: node "hello": goes to "nowhere", which does not exist',
      '  end_without_contact: node "quick_end": a path reaches this end without a contact node (end it with a handoff, or ask for a contact first)',
      '  unreachable: node "orphan": no path from "hello" leads here',
      '  cycle_without_exit: node "again": the loop again → echo has no way out',
    ])
  })

  it('exits 1 on a file that is not JSON', () => {
    const { code, stdout } = flow(['check', 'README.md'])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^README\.md: 1 problem\n {2}json: cannot read it as JSON/)
  })
})

describe('npm run flow -- play', () => {
  it('walks the realty flow from piped answers and prints a hot lead with its reasons', () => {
    const answers = ['buy', '2', 'New building', '5_10m', '3', '1', '8 912 345 67 89, Anna', ''].join('\n')
    const { code, stdout } = flow(['play', 'demo/flows/realty.json', '--locale', 'en', '--json'], answers)
    expect(code).toBe(0)
    const outcome = JSON.parse(stdout) as {
      status: string
      lead: {
        source: string
        contact: object
        answers: object
        transcript: { from: string; text: string }[]
      }
      score: number
      temperature: string
      reasons: { rule: string; points: number }[]
    }
    expect(outcome.status).toBe('ended')
    expect(outcome.lead.source).toBe('chat')
    expect(outcome.lead.contact).toEqual({ phone: '8 912 345 67 89', name: 'Anna' })
    expect(outcome.lead.answers).toEqual({
      intent: 'buy',
      rooms: '2',
      market: 'new',
      budget: '5_10m',
      down_payment: '20_50',
      timing: 'now',
    })
    expect(outcome.lead.transcript.at(-1)).toEqual({
      from: 'bot',
      text: 'Thank you! An agent will call you within 15 minutes during working hours.',
    })
    expect([outcome.score, outcome.temperature]).toEqual([100, 'hot'])
    expect(outcome.reasons.map((r) => `${r.rule} ${r.points}`)).toEqual([
      'base 10',
      'source.chat 15',
      'contact.name 5',
      'contact.phone 15',
      'answer.budget 15',
      'answer.timing 20',
      'flow.score_hot 20',
      'flow.score_down 10',
    ])
  })

  it('shows the conversation, asks again after a wrong answer, and tags a group for a senior manager', () => {
    const answers = ['Italy', 'July', 'a lot', '8', '90 000', '12345', 'team@example.com'].join('\n')
    const { code, stdout } = flow(['play', 'demo/flows/travel.json', '--locale', 'en'], answers)
    expect(code).toBe(0)
    expect(stdout).toContain('bot: How many travellers?')
    expect(stdout).toContain('you: a lot\nbot: Please answer with a number. (not_a_number)')
    expect(stdout).toContain('bot: That phone number does not look right. (phone_invalid)')
    expect(stdout).toContain('"var.route": "senior"')
    expect(stdout).toContain('Score: 60 (warm)')
    expect(stdout).toContain('  +15  flow.group_score: group of 6 or more travellers')
  })

  it('switches to the callback form on /call and exits 1 when input ends mid-flow', () => {
    const handoff = flow(['play', 'demo/flows/english-school.json', '--json'], 'trial\nadults\n/call\n')
    expect(handoff.code).toBe(0)
    expect(JSON.parse(handoff.stdout)).toMatchObject({
      status: 'handoff',
      prefill: { message: 'goal: trial; age_group: adults' },
    })
    const stopped = flow(['play', 'demo/flows/english-school.json'], 'trial\n')
    expect(stopped.code).toBe(1)
    expect(stopped.stdout).toContain('Input ended while node "age" was waiting for an answer.')
  })
})

describe('npm run flow -- schema --check', () => {
  it('finds the committed JSON Schema up to date', () => {
    expect(flow(['schema', '--check'])).toMatchObject({ code: 0, stdout: '' })
  })
})

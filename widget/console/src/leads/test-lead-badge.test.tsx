// A test lead (Targets' "send a test lead", the live preview) reads as one in the inbox, so nobody
// calls the made-up person back; a real lead has no such badge.
import { cleanup, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { leadView, renderIn } from '../testing'
import { LeadRow } from './lead-row'

afterEach(cleanup)

describe('the inbox row of a test lead', () => {
  it('carries a Test badge, and a real lead none', () => {
    render(<LeadRow lead={leadView({ test: true })} showSite={false} keepSite={false} fresh={false} />)
    expect(screen.getByText('Test').className).toBe('badge test')
    cleanup()
    render(<LeadRow lead={leadView()} showSite={false} keepSite={false} fresh={false} />)
    expect(screen.queryByText('Test')).toBeNull()
  })

  it('says Тест in a Russian console', () => {
    renderIn('ru', <LeadRow lead={leadView({ test: true })} showSite={false} keepSite={false} fresh={false} />)
    expect(screen.getByText('Тест')).toBeTruthy()
  })
})

// The status form: junk needs a reason before anything is sent, other statuses never carry one,
// a form that changes nothing sends nothing, and the worker's refusals are said in words.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiResult } from '../api'
import { StatusForm, statusChangeOf } from './status-form'

afterEach(cleanup)

const ok = async (): Promise<ApiResult<unknown>> => ({ ok: true, value: {} })

function form(onSubmit = vi.fn(ok), props: Partial<Parameters<typeof StatusForm>[0]> = {}) {
  render(<StatusForm status="in_work" reason={null} onSubmit={onSubmit} {...props} />)
  const choose = (status: string) => fireEvent.change(screen.getByLabelText('Status'), { target: { value: status } })
  const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }))
  return { onSubmit, choose, save }
}

describe('the status form', () => {
  it('asks for a reason when the lead is junk, and sends nothing without one', async () => {
    const { onSubmit, choose, save } = form()
    expect(screen.queryByLabelText('Reason')).toBeNull()
    choose('junk')
    const reason = screen.getByLabelText('Reason')
    save()
    expect((await screen.findByRole('alert')).textContent).toBe('A junk lead needs a reason.')
    expect(reason.getAttribute('aria-invalid')).toBe('true')
    expect(reason.getAttribute('aria-describedby')).toBe('status-reason-error')
    expect(document.activeElement).toBe(reason)
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('sends junk with its reason and the note', async () => {
    const { onSubmit, choose, save } = form()
    choose('junk')
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'wrong_number' } })
    fireEvent.input(screen.getByLabelText('Note'), { target: { value: '  Номер не существует ' } })
    save()
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ status: 'junk', reason: 'wrong_number', note: 'Номер не существует' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('')
  })

  it('drops the reason when the status moves off junk', async () => {
    const { onSubmit, choose, save } = form(vi.fn(ok), { status: 'junk', reason: 'spam' })
    choose('qualified')
    save()
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ status: 'qualified' }))
  })

  it('says there is nothing to save for the same status without a note', async () => {
    const { onSubmit, save } = form()
    save()
    expect((await screen.findByRole('alert')).textContent).toBe('Nothing to save: choose another status or write a note.')
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('shows the worker’s refusal in words', async () => {
    const refused = vi.fn(async (): Promise<ApiResult<unknown>> => ({ ok: false, error: { kind: 'http', status: 409, code: 'lead_erased', message: 'erased' } }))
    const { choose, save } = form(refused)
    choose('won')
    save()
    expect((await screen.findByRole('alert')).textContent).toBe('The lead was erased; its status can no longer change.')
  })

  it('is disabled for an erased lead', () => {
    form(vi.fn(ok), { disabled: true })
    expect(screen.getByLabelText('Status').matches(':disabled')).toBe(true)
    expect(screen.getByRole('button', { name: 'Save' }).matches(':disabled')).toBe(true)
  })
})

describe('statusChangeOf', () => {
  it('applies the rules of PATCH /v1/admin/leads/:id', () => {
    const current = { status: 'new' as const, reason: null }
    expect(statusChangeOf({ status: 'junk', reason: '', note: '' }, current)).toEqual({ ok: false, problem: 'reason_required' })
    expect(statusChangeOf({ status: 'new', reason: '', note: ' ' }, current)).toEqual({ ok: false, problem: 'nothing_to_save' })
    expect(statusChangeOf({ status: 'new', reason: '', note: 'called, no answer' }, current)).toEqual({ ok: true, change: { status: 'new', note: 'called, no answer' } })
    // The reason a junk lead has is not sent again with another status, even if the select kept it.
    expect(statusChangeOf({ status: 'won', reason: 'spam', note: '' }, current)).toEqual({ ok: true, change: { status: 'won' } })
    expect(statusChangeOf({ status: 'junk', reason: 'other', note: '' }, { status: 'junk', reason: 'spam' })).toEqual({ ok: true, change: { status: 'junk', reason: 'other' } })
  })
})

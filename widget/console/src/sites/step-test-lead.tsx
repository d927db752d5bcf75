// Wizard step 5: one test lead sent to every target of the new site for real (the Targets page's
// sendTestLead), and each target's outcome in its TestLeadResult: status, HTTP status, an excerpt
// of the answer and how long it took.
import { useState } from 'preact/hooks'
import type { ApiClient, ApiFailure } from '../api'
import { sendTestLead } from '../targets/test-lead-api'
import type { TestLeadAnswer } from '../targets/test-lead-api'
import { TestLeadResult } from '../targets/test-lead-result'
import { ErrorNotice } from '../ui'
import { useWizardStrings } from './wizard-strings'

type State = { state: 'idle' } | { state: 'sending' } | { state: 'sent'; answer: TestLeadAnswer } | { state: 'error'; error: ApiFailure }

export function TestLeadStep({ api, site }: { api: ApiClient; site: string }) {
  const w = useWizardStrings()
  const [state, setState] = useState<State>({ state: 'idle' })
  const send = async () => {
    setState({ state: 'sending' })
    const result = await sendTestLead(api, site)
    setState(result.ok ? { state: 'sent', answer: result.value } : { state: 'error', error: result.error })
  }
  return (
    <>
      <p>{w.testIntro}</p>
      <button type="button" onClick={() => void send()} disabled={state.state === 'sending'}>
        {state.state === 'sending' ? w.sending : w.sendTest}
      </button>
      {state.state === 'error' && <ErrorNotice error={state.error} />}
      <div role="status" class="test-lead-outcome">
        {state.state === 'sent' && <TestLeadResult answer={state.answer} />}
      </div>
    </>
  )
}

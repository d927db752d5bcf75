// The new-site wizard (`#/sites/new`, operator only), five steps: the site; texts, consent and
// hours; where leads go; the tag to paste; a test lead. Each "Next" checks the draft with the API's
// schema and puts every problem at its field; nothing is stored until step 3 is left with a valid
// draft, when one PUT /v1/admin/sites/:key creates the site. A key that exists is refused at the
// field (asked on step 1, and the PUT is create-only with `If-None-Match: *`): the wizard never
// replaces a site.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { FieldIssue } from '../../../../shared/api'
import type { ApiClient, ApiFailure } from '../api'
import { EmbedInstructions } from '../embed/embed-page'
import { useStrings } from '../i18n'
import { hrefOf, useLeaveGuard } from '../router'
import { browserTimeZone, changeField } from '../settings/settings-form'
import type { FormValue } from '../settings/settings-form'
import { ErrorNotice } from '../ui'
import { SiteStep } from './step-site'
import type { SiteFields } from './step-site'
import type { TargetDraft } from '../targets/target-fields'
import { TargetsStep, firstTarget } from './step-targets'
import { TestLeadStep } from './step-test-lead'
import { TextsStep } from './step-texts'
import { useWizardStrings } from './wizard-strings'
import { NO_ISSUES, STEP_COUNT, checkDraft, configOf, emptyDraft, firstStepWithIssues, placeDraftIssues } from './wizard-model'
import type { DraftIssues, SiteDraft, Step } from './wizard-model'

export interface NewSiteWizardProps {
  api: ApiClient
  /** The server the tag loads widget.js from; this console's by default. */
  origin?: string
  /** Tests start on a later step. */
  initialStep?: Step
  initialDraft?: SiteDraft
}

type Busy = 'idle' | 'checking' | 'creating'

export function NewSiteWizard({ api, origin, initialStep = 1, initialDraft }: NewSiteWizardProps) {
  const w = useWizardStrings()
  const { locale } = useStrings()
  const [step, setStep] = useState<Step>(initialStep)
  const [draft, setDraft] = useState<SiteDraft>(() => initialDraft ?? emptyDraft(locale))
  const [issues, setIssues] = useState<DraftIssues>(NO_ISSUES)
  const [refused, setRefused] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [busy, setBusy] = useState<Busy>('idle')
  const [created, setCreated] = useState(initialStep > 3)
  const stepHeading = useRef<HTMLHeadingElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const firstRender = useRef(true)

  const touched = JSON.stringify(draft) !== JSON.stringify(emptyDraft(locale))
  useLeaveGuard(!created && touched ? w.leave : null)

  // A new step is announced by moving focus to its heading; a refused one, to its first bad field.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    stepHeading.current?.focus()
  }, [step])
  useEffect(() => {
    if (refused) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [refused, issues])

  const show = (found: readonly FieldIssue[]) => {
    const placed = placeDraftIssues(found)
    setIssues(placed)
    setRefused(found.length > 0)
    const first = firstStepWithIssues(found)
    if (first !== null && first !== step) setStep(first)
    return found.length > 0
  }

  const changeSite = (change: Partial<SiteFields>) => setDraft((d) => ({ ...d, ...change }))
  // As on Settings: hours typed while the zone is empty take the browser's zone.
  const zone = useMemo(browserTimeZone, [])
  const changeText = (key: string, value: FormValue) => setDraft((d) => ({ ...d, texts: changeField(d.texts, key, value, zone) }))
  const changeTargets = (targets: TargetDraft[]) => setDraft((d) => ({ ...d, targets }))

  /** 'free', 'taken', or the failure of the look-up. */
  const keyState = async (): Promise<'free' | 'taken' | ApiFailure> => {
    const result = await api.get(`/v1/admin/sites/${encodeURIComponent(draft.key)}`)
    if (result.ok) return 'taken'
    return result.error.kind === 'http' && result.error.status === 404 ? 'free' : result.error
  }

  const next = async (event: Event) => {
    event.preventDefault()
    if (busy !== 'idle') return
    setFailure(null)
    if (step >= 4) return setStep((step + 1) as Step)
    if (show(checkDraft(draft, step))) return
    setBusy('checking')
    if (step === 1) {
      const state = await keyState()
      if (state !== 'free') {
        setBusy('idle')
        if (state === 'taken') return show([{ path: 'site', code: 'exists', message: w.keyExists(draft.key) }])
        return setFailure(state)
      }
    }
    if (step < 3) {
      setBusy('idle')
      // Step 3 opens on a webhook to fill in; "without a target" empties it.
      if (step === 2 && draft.targets === null) setDraft((d) => ({ ...d, targets: [firstTarget()] }))
      return setStep((step + 1) as Step)
    }
    setBusy('creating')
    const result = await api.send('PUT', `/v1/admin/sites/${encodeURIComponent(draft.key)}`, configOf(draft), { headers: { 'If-None-Match': '*' } })
    setBusy('idle')
    if (result.ok) {
      setCreated(true)
      setIssues(NO_ISSUES)
      setRefused(false)
      return setStep(4)
    }
    const { error } = result
    if (error.kind === 'http' && error.status === 412) show([{ path: 'site', code: 'exists', message: w.keyExists(draft.key) }])
    else if (error.kind === 'http' && (error.status === 400 || error.status === 503) && error.issues && error.issues.length > 0) show(error.issues)
    else setFailure(error)
  }

  const back = () => {
    setFailure(null)
    setRefused(false)
    setStep((step - 1) as Step)
  }

  const nextLabel = step === 3 ? (busy === 'idle' ? w.create : w.creating) : busy === 'idle' ? w.next : w.checking

  return (
    <section aria-labelledby="page-title" class="wizard">
      <h1 id="page-title" tabIndex={-1}>
        {w.title}
        {created && ` · ${draft.key}`}
      </h1>
      <ol class="wizard-steps">
        {w.steps.map((name, i) => (
          <li key={name} aria-current={i + 1 === step ? 'step' : undefined} class={i + 1 < step ? 'done' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      <form ref={form} onSubmit={(e) => void next(e)} noValidate aria-labelledby="wizard-step">
        <h2 id="wizard-step" ref={stepHeading} tabIndex={-1}>
          <span class="hint">{w.progress(step, STEP_COUNT)}</span> {w.steps[step - 1]}
        </h2>
        {refused && (
          <div class="notice error" role="alert">
            <p>{w.refused}</p>
          </div>
        )}
        {failure && <ErrorNotice error={failure} />}
        {created && step === 4 && (
          <p class="notice info" role="status">
            {w.created(draft.key)}
          </p>
        )}
        <fieldset disabled={busy !== 'idle'} class="wizard-body">
          {step === 1 && <SiteStep draft={draft} errors={issues.site} onChange={changeSite} />}
          {step === 2 && (
            <>
              <p>{w.textsIntro}</p>
              <TextsStep texts={draft.texts} issues={issues.texts} onChange={changeText} />
            </>
          )}
          {step === 3 && <TargetsStep targets={draft.targets ?? []} issues={issues.targets} onChange={changeTargets} />}
          {step === 4 && (
            <div class="embed">
              <p>{w.embedIntro}</p>
              <EmbedInstructions site={draft.key} {...(origin && { origin })} />
            </div>
          )}
          {step === 5 && <TestLeadStep api={api} site={draft.key} />}
          <div class="wizard-actions">
            {(step === 2 || step === 3 || step === 5) && (
              <button type="button" class="secondary" onClick={back}>
                {w.back}
              </button>
            )}
            {step < 5 && <button type="submit">{nextLabel}</button>}
            {step === 5 && (
              <>
                <a class="button" href={hrefOf('leads', { site: draft.key })}>
                  {w.done}
                </a>
                <a href={hrefOf('settings', { site: draft.key })}>{w.settingsLink}</a>
              </>
            )}
          </div>
        </fieldset>
      </form>
    </section>
  )
}

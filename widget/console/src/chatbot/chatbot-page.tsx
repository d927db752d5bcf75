// The Chatbot page (lazy chunk): the site's flow as JSON in an editor with line numbers, the checker's
// problems by node (a click selects the place in the JSON and marks the node in the steps view), the
// flow as steps, a simulator of the draft, the demo flows as templates, and Save (PATCH, operator
// only) that stays disabled while the checker finds problems and shows the server's refusal too.
import { useMemo, useRef, useState } from 'preact/hooks'
import * as v from 'valibot'
import type { ScoringRules } from '../../../../shared/score'
import { ScoringSchema } from '../../../../shared/schemas/site-config'
import { scoringRulesFor } from '../../../../shared/scoring-rules'
import type { ApiClient } from '../api'
import { useStrings } from '../i18n'
import { useLeaveGuard } from '../router'
import { useSavedForm } from '../saved-form'
import type { PlacedIssues } from '../saved-form'
import { ErrorNotice } from '../ui'
import { flowText, groupProblems, readDraft, replacingPatch, serverIssueTarget, targetRange } from './flow-draft'
import type { Draft, Target } from './flow-draft'
import { stepsOf } from './flow-steps'
import type { Step } from './flow-steps'
import { lineColumn } from './json-ranges'
import { Simulator } from './simulator'
import { useChatbotStrings } from './strings'
import { FLOW_TEMPLATES } from './templates'

interface SiteConfigView {
  site: string
  config: { chat?: { flow?: unknown }; scoring?: unknown } & Record<string, unknown>
}

/** The site's scoring rules from the config as read; the defaults where it has none it could use. */
function rulesOf(config: SiteConfigView['config']): ScoringRules {
  const scoring = v.safeParse(ScoringSchema, config.scoring)
  return scoringRulesFor({ scoring: scoring.success ? scoring.output : undefined })
}

/** What is saved: the flow as the server has it (the base of the merge patch), and the text it was saved as. */
interface Saved {
  flow: unknown
  text: string
}

export interface ChatbotPageProps {
  api: ApiClient
  site: string
  /** Site tokens read and play the flow; only the operator's PATCH is accepted. */
  canEdit: boolean
}

const stepId = (id: string) => `step-${id}`

export function ChatbotPage({ api, site, canEdit }: ChatbotPageProps) {
  const s = useChatbotStrings()
  const { locale } = useStrings()
  const [rules, setRules] = useState<ScoringRules>(() => rulesOf({}))
  const [marked, setMarked] = useState<string | null>(null)
  const editor = useRef<HTMLTextAreaElement>(null)
  const gutter = useRef<HTMLPreElement>(null)
  const savedForm = useSavedForm<SiteConfigView, Saved, string>({
    api,
    path: `/v1/admin/sites/${encodeURIComponent(site)}`,
    initial: { flow: null, text: '' },
    read: (view, sent) => {
      const flow = view.config.chat?.flow ?? null
      // A save keeps the text as typed: the flow as the server formats it would read as a change.
      return { flow, text: sent ?? (flow === null ? '' : flowText(flow)) }
    },
    draftOf: (saved) => saved.text,
    changed: (saved, text) => text !== saved.text,
    // save() is called only with a valid draft (canSave below); the patch is read from the text it
    // is given all the same, since a null here would delete the stored flow.
    patch: (saved, sent): unknown => {
      const sending = readDraft(sent)
      if (sending.kind !== 'valid') throw new Error('a flow the checker refuses is never sent')
      return { chat: { flow: saved.flow === null ? sending.value : replacingPatch(saved.flow, sending.value) } }
    },
    onRead: (view, sent) => {
      if (sent === null) setRules(rulesOf(view.config))
    },
    // The server's issues name places in the text, which an edit moves: they last until it.
    transientIssues: true,
    words: s,
  })
  const { load, saved, form: text, status, dirty } = savedForm
  const draft = useMemo<Draft | null>(() => (text.trim() === '' ? null : readDraft(text)), [text])
  useLeaveGuard(dirty ? s.leave : null)
  // Ctrl+Enter reaches save() in a site token's read-only editor too; the checker's problems block it.
  const canSave = canEdit && savedForm.canSave && draft?.kind === 'valid'
  const lines = useMemo(() => text.split('\n').length, [text])
  const steps = useMemo(() => (draft && draft.kind !== 'syntax' ? stepsOf(draft.value, locale) : []), [draft, locale])

  /** Selects a range of the text and scrolls the editor so it shows. */
  const select = (start: number, end: number) => {
    const area = editor.current
    if (!area) return
    area.focus()
    area.setSelectionRange(start, end)
    const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 20
    area.scrollTop = Math.max(0, (lineColumn(text, start).line - 3) * lineHeight)
    syncGutter()
  }

  /** A problem's place: its text selected in the editor, its node marked in the steps view. */
  const jump = (target: Target) => {
    if (!draft || draft.kind === 'syntax') return
    const node = target.node ?? (target.path ? nodeOfPath(target.path, draft.value) : undefined)
    setMarked(node ?? null)
    if (node) document.getElementById(stepId(node))?.scrollIntoView?.({ block: 'nearest' })
    const range = targetRange(target, draft.value, draft.ranges)
    if (range) select(range.start, range.end)
  }

  const syncGutter = () => {
    if (gutter.current && editor.current) gutter.current.scrollTop = editor.current.scrollTop
  }

  const edit = (next: string) => savedForm.edit(() => next)

  const applyTemplate = (flow: unknown) => {
    if (dirty && !confirm(s.replaceConfirm)) return
    edit(flowText(flow))
    setMarked(null)
  }

  const save = () => {
    if (canSave) void savedForm.save()
  }

  return (
    <section aria-labelledby="page-title" class="chatbot">
      <h1 id="page-title" tabIndex={-1}>
        {s.title} · {site}
      </h1>
      {load.state === 'loading' && <p class="loading">…</p>}
      {load.state === 'error' && <ErrorNotice error={load.error} onRetry={() => void savedForm.reload()} />}
      {load.state === 'ready' && (
        <>
          <p class="hint">{s.intro}</p>
          {!canEdit && <p class="notice info">{s.readOnly}</p>}
          {saved.flow === null && text === '' && <p class="notice info">{s.noFlow}</p>}
          {/* A site token cannot save, so it has no use for a template: the draft would only nag on leaving. */}
          {canEdit && (
            <section class="card-section chatbot-templates" aria-labelledby="templates-title">
              <h2 id="templates-title">{s.templatesTitle}</h2>
              <ul class="template-list">
                {FLOW_TEMPLATES.map((template) => (
                  <li key={template.id}>
                    <button type="button" class="secondary" onClick={() => applyTemplate(template.flow)}>
                      {s.useTemplate(template.title[locale])}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div class="chatbot-grid">
            <section class="card-section chatbot-editor" aria-labelledby="editor-title">
              <h2 id="editor-title">{s.editorLabel}</h2>
              <div class="code-editor">
                <pre ref={gutter} class="gutter" aria-hidden="true">
                  {Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('')}
                </pre>
                <textarea
                  ref={editor}
                  id="flow-json"
                  aria-labelledby="editor-title"
                  aria-describedby="flow-json-hint"
                  aria-invalid={draft !== null && draft.kind !== 'valid' ? 'true' : undefined}
                  spellcheck={false}
                  autocapitalize="off"
                  autocomplete="off"
                  wrap="off"
                  rows={24}
                  value={text}
                  readOnly={!canEdit}
                  onInput={(e) => edit(e.currentTarget.value)}
                  onScroll={syncGutter}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                      e.preventDefault()
                      save()
                    }
                  }}
                />
              </div>
              <p id="flow-json-hint" class="hint">
                {s.editorHint}
              </p>
              {canEdit && (
                <div class="settings-actions">
                  <button type="button" disabled={!canSave} onClick={save}>
                    {status === 'saving' ? s.saving : s.save}
                  </button>
                  <p role="status" class="hint">
                    {dirty && draft?.kind !== 'valid' ? s.saveBlocked : savedForm.statusText}
                  </p>
                </div>
              )}
              {savedForm.failure && <ErrorNotice error={savedForm.failure} />}
              {savedForm.issues.other.length > 0 && <ServerIssues issues={savedForm.issues.other} onJump={jump} />}
            </section>
            <div class="chatbot-side">
              <Problems draft={draft} onJump={jump} onSelect={select} />
              <Steps steps={steps} start={draft && draft.kind !== 'syntax' ? startOf(draft.value) : null} marked={marked} onMark={setMarked} onShow={(id) => jump({ node: id })} />
            </div>
          </div>
          {draft?.kind === 'valid' ? (
            <Simulator key={JSON.stringify(draft.flow)} flow={draft.flow} locale={locale} rules={rules} />
          ) : (
            draft && (
              <section class="card-section simulator" aria-labelledby="simulator-title">
                <h2 id="simulator-title">{s.simulatorTitle}</h2>
                <p class="hint">{s.simulatorInvalid}</p>
              </section>
            )
          )}
        </>
      )}
    </section>
  )
}

/** The node a dot path inside `nodes` belongs to (`nodes.3.next` → node 3's id). */
function nodeOfPath(path: string, value: unknown): string | undefined {
  const index = /^nodes\.(\d+)/.exec(path)?.[1]
  const nodes = typeof value === 'object' && value !== null ? (value as { nodes?: unknown }).nodes : undefined
  if (index === undefined || !Array.isArray(nodes)) return undefined
  const node: unknown = nodes[Number(index)]
  const id = typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : undefined
}

function startOf(value: unknown): string | null {
  const start = typeof value === 'object' && value !== null ? (value as { start?: unknown }).start : undefined
  return typeof start === 'string' ? start : null
}

interface ProblemsProps {
  draft: Draft | null
  onJump(target: Target): void
  onSelect(start: number, end: number): void
}

function Problems({ draft, onJump, onSelect }: ProblemsProps) {
  const s = useChatbotStrings()
  if (draft === null) return null
  return (
    <section class="card-section problems" aria-labelledby="problems-title">
      <h2 id="problems-title">{s.problemsTitle}</h2>
      {draft.kind === 'syntax' ? (
        <div class="notice error" role="alert">
          <p>
            {s.syntaxTitle}: {s.lineColumn(draft.line, draft.column)} — {s.syntax[draft.code]}
          </p>
          <button type="button" class="secondary" onClick={() => onSelect(draft.offset, draft.offset + 1)}>
            {s.goToError}
          </button>
        </div>
      ) : draft.kind === 'valid' ? (
        <p class="notice info" role="status">
          {s.noProblems}
        </p>
      ) : (
        <>
          <p role="status">{s.problemsCount(draft.problems.length)}</p>
          <ul class="problem-groups">
            {groupProblems(draft.problems, draft.value).map((group) => (
              <li key={group.node ?? ''}>
                <h3>{group.node === null ? s.wholeFlow : s.nodeLabel(group.node)}</h3>
                <ul>
                  {group.problems.map((problem, i) => (
                    <li key={i}>
                      <button type="button" class="link problem" onClick={() => onJump({ node: problem.node, path: problem.path })}>
                        <strong>{s.problemKinds[problem.code]}:</strong> <span lang="en">{problem.message}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function ServerIssues({ issues, onJump }: { issues: PlacedIssues['other']; onJump(target: Target): void }) {
  const s = useChatbotStrings()
  return (
    <div class="notice error" role="alert">
      <p>{s.serverTitle}</p>
      <ul>
        {issues.map((issue, i) => {
          const target = serverIssueTarget(issue.path)
          const words = (
            <>
              <code>{issue.path}</code>: {issue.message}
            </>
          )
          return (
            <li key={i}>
              {target ? (
                <button type="button" class="link problem" onClick={() => onJump(target)}>
                  {words}
                </button>
              ) : (
                words
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

interface StepsProps {
  steps: Step[]
  start: string | null
  marked: string | null
  onMark(id: string): void
  onShow(id: string): void
}

function Steps({ steps, start, marked, onMark, onShow }: StepsProps) {
  const s = useChatbotStrings()
  return (
    <section class="card-section steps" aria-labelledby="steps-title">
      <h2 id="steps-title">{s.stepsTitle}</h2>
      {steps.length === 0 ? (
        <p class="hint">{s.stepsEmpty}</p>
      ) : (
        <ol class="step-list">
          {steps.map((step, i) => (
            <li key={`${i}-${step.id}`} id={stepId(step.id)} class={step.id === marked ? 'step marked' : 'step'} aria-current={step.id === marked ? 'true' : undefined}>
              <p class="step-head">
                <button type="button" class="link" aria-label={s.showInEditor(step.id)} onClick={() => onShow(step.id)}>
                  <code>{step.id}</code>
                </button>{' '}
                <span class="badge">{s.types[step.type] ?? step.type}</span>
                {step.id === start && <span class="badge">{s.start}</span>}
                {step.detail && <span class="hint"> {step.detail}</span>}
              </p>
              {step.text && <p class="step-text">{step.text}</p>}
              {step.links.length > 0 && (
                <ul class="step-links">
                  {step.links.map((link, j) => (
                    <li key={j}>
                      {s.links[link.kind]}
                      {link.label && ` ${link.label}`} →{' '}
                      {link.missing ? (
                        <span class="field-error">
                          <code>{link.to}</code> ({s.missingNode})
                        </span>
                      ) : (
                        <a
                          href={`#${stepId(link.to)}`}
                          onClick={(e) => {
                            // The hash is the router's: move to the step without changing it.
                            e.preventDefault()
                            onMark(link.to)
                            // Focus follows, so the keyboard goes on from the step it moved to.
                            const step = document.getElementById(stepId(link.to))
                            step?.scrollIntoView?.({ block: 'nearest' })
                            step?.querySelector('button')?.focus()
                          }}
                        >
                          <code>{link.to}</code>
                        </a>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

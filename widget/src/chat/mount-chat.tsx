// Plugs the chat into the widget's chat slot (widget/src/core/panels.ts): checks the site's flow,
// adds the chat CSS to the shadow root and renders ChatView into the slot's element.
import { render } from 'preact'
import { checkFlow } from '../../../shared/flow/validate'
import type { ChatMountOptions } from '../core/panels'
import { ChatView } from './chat-view'
import { adoptChatStyles } from './styles'

export interface MountChatOptions extends ChatMountOptions {
  /** The flow document; `config.chat.flow` from the site config when absent. */
  flow?: unknown
  /** The pause before each bot message, in ms. */
  typingMs?: number
}

const styled = new WeakSet<ShadowRoot>()

/**
 * Renders the chat into `options.root` and returns its unmount function. Throws when there is no
 * valid flow, so the widget falls back to the callback form (mount.tsx catches it).
 */
export function mountChat(options: MountChatOptions): () => void {
  const { root, config } = options
  const source = options.flow ?? (config as { chat?: { flow?: unknown } }).chat?.flow
  const checked = checkFlow(source)
  if (!checked.ok) {
    throw new TypeError(`invalid chat flow: ${checked.problems.map((p) => p.message).join('; ')}`)
  }
  const shadow = root.getRootNode()
  if (shadow instanceof ShadowRoot && !styled.has(shadow)) {
    styled.add(shadow)
    adoptChatStyles(shadow)
  }
  render(
    <ChatView
      flow={checked.flow}
      locale={options.locale}
      form={options.strings}
      site={options.site}
      endpoint={options.endpoint}
      country={config.country}
      countries={config.countries}
      consent={config.consent}
      send={options.send}
      queues
      typingMs={options.typingMs}
      onLead={(lead) => options.onLead(lead)}
      onHandoff={(prefill) => (options.onHandoff ? options.onHandoff(prefill) : options.close())}
      watchLeads={options.watchLeads}
    />,
    root,
  )
  return () => render(null, root)
}

// The slot the chatbot plugs into without touching the rest of the widget: `Leadcatcher.open('chat')`
// lazy-loads widget/src/chat/index.ts(x) when that module exists and lets it render itself inside
// the widget's chat dialog. The chat module only has to export `mountChat`.
import type { LeadInput, LeadSource } from '../../../shared/schemas/lead'
import type { Locale } from '../../../shared/schemas/site-config'
import type { SendLeadResult, WidgetConfig } from './api'
import type { CallbackPrefill } from '../callback-form/rules'
import type { Strings } from '../view/i18n'

/** What `Leadcatcher.open()` can show; `chat` only once a chat module is registered. */
export const PANELS = ['callback', 'chat'] as const
/** `exit` is shown by exit intent, or on demand through `open('exit')` (the console's preview). */
export type Panel = (typeof PANELS)[number] | 'exit'

/**
 * What `Leadcatcher.open()` takes: a panel, or `invite` for the chat invite's bubble. `exit` and
 * `invite` open only where the site has them on, outside the interruption budget: the page (or the
 * console's preview) asked for them, as it asks for the form.
 */
export type OpenTarget = Panel | 'invite'

export interface ChatMountOptions {
  /** An element inside the widget's shadow root (styles adopted, inside a labelled dialog). */
  root: HTMLElement
  site: string
  endpoint: string
  locale: Locale
  /** The form's texts in `locale`, which the chat's contact step shares (load-strings.ts). */
  strings: Strings
  config: WidgetConfig
  /** Sends through the outbox: same id on retry, nothing lost offline. */
  send(lead: LeadInput): Promise<SendLeadResult>
  /** Call with an accepted lead: fires "lead" listeners, analytics and the conversion mark. */
  onLead(lead: LeadInput): void
  close(): void
  /** "Call me instead": opens the callback form started from what the visitor told the chat. */
  onHandoff?(prefill: CallbackPrefill): void
  /** Hears of every accepted lead (the handed-over callback, say); returns the unsubscribe. */
  watchLeads?(listener: (lead: { id: string; source: LeadSource }) => void): () => void
}

export interface ChatModule {
  /** Renders the chat into `options.root`; returns its unmount function. */
  mountChat(options: ChatMountOptions): () => void
}

export type ChatLoader = () => Promise<ChatModule>

// Vite turns each match into a lazy chunk, and the glob into `{}` while no chat module exists:
// the widget builds and runs the same with or without the chat.
let chatLoader: ChatLoader | undefined = Object.values(import.meta.glob<ChatModule>('../chat/index.{ts,tsx}'))[0]

/** The chat's loader, or `undefined` when this build has no chat. */
export function getChatLoader(): ChatLoader | undefined {
  return chatLoader
}

/** Tests and custom builds: plug a chat in by hand. */
export function registerChat(loader: ChatLoader | undefined): void {
  chatLoader = loader
}

// The chat chunk's entry, lazy-loaded by widget/src/core/panels.ts on `Leadcatcher.open('chat')`.
export { mountChat } from './mount-chat'
export type { MountChatOptions } from './mount-chat'
export { ChatView } from './chat-view'
export type { ChatViewProps, HandoffPrefill } from './chat-view'
export type { ChatLead, TranscriptEntry } from './rules'
export { CHAT_CSS, adoptChatStyles } from './styles'

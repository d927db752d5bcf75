// The Chatbot page's stand-in in the console's first load: the editor, the checker, the engine and
// the templates come in their own chunk on first visit.
import { lazyPage } from '../lazy-page'
import type { ChatbotPageProps } from './chatbot-page'

export const ChatbotRoute = lazyPage<ChatbotPageProps>(
  () => import('./chatbot-page').then((module) => module.ChatbotPage),
  (t) => t.nav.chatbot,
)

// The console's entry: one render into #app. Everything else is in app.tsx.
import { render } from 'preact'
import { App } from './app'

render(<App />, document.getElementById('app')!)

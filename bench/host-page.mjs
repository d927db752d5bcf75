// Host-page cost of the tag in Chromium at 4× CPU throttling: the demo page with and without the
// tag, every run reported, the widget's work attributed per task through long-animation-frame
// script entries. Used by `npm run bench`; `npm run bench:page` runs it alone.
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath, delay } from '../test/e2e/harness.ts'

/** Script entries from our files: the tag, app.js, lazy chunks (timer callbacks included). */
const OURS = /\/(widget|app)\.js|\/chunks\//
const LONG_TASK_MS = 50

/**
 * The platform's floor, served in widget.js's place: the same first uses of the browser the loader
 * makes at load, each in a timer task like the loader's (the page's first fetch, first localStorage
 * read and write, first shadow root), and none of our code. What it costs is what any tag doing
 * this work pays on this machine; the widget's figures are read against it.
 */
const CONTROL_TAG = `(function () {
  var script = document.currentScript
  var url = new URL(script.src)
  setTimeout(function () {
    fetch(url.origin + '/v1/sites/' + script.dataset.site + '/config')
      .then(function (r) { return r.json() })
      .then(function () {
        setTimeout(function () {
          var host = document.createElement('div')
          var button = document.createElement('button')
          button.textContent = 'Call me back'
          host.attachShadow({ mode: 'open' }).append(button)
          document.body.append(host)
        }, 0)
      })
  }, 0)
  setTimeout(function () {
    try { localStorage.setItem('control', String(Number(localStorage.getItem('control')) + 1)) } catch (e) {}
  }, 0)
})()`

/**
 * @param {{ demo: string }} stack
 * @param {{ runs?: number, cpuThrottling?: number }} [options]
 */
export async function hostPageCost(stack, { runs = 7, cpuThrottling = 4 } = {}) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  /** `variant`: 'without' the tag, 'with' it, or the 'control' tag in its place. */
  const measure = async (variant) => {
    const withTag = variant === 'with'
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottling })
    await cdp.send('Performance.enable')
    if (variant === 'control') {
      await page.route('**/widget.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: CONTROL_TAG }))
    }
    if (variant === 'without') {
      await page.route(stack.demo, async (route) => {
        const response = await route.fetch()
        const html = (await response.text()).replace(/<script[^>]*widget\.js[^>]*><\/script>/, '')
        await route.fulfill({ response, body: html })
      })
    }
    await page.addInitScript((source) => {
      const ours = new RegExp(source)
      const lc = { longTasks: [], cls: 0, widgetCls: 0, widgetTasks: [], widgetFrames: [] }
      window.__lc = lc
      // A script entry is one task's callback or script run, so its duration is that task's
      // script time; the frame sum adds up our tasks that fell into one frame.
      new PerformanceObserver((list) => {
        for (const frame of list.getEntries()) {
          let sum = 0
          for (const script of frame.scripts) {
            if (!ours.test(script.sourceURL)) continue
            sum += script.duration
            lc.widgetTasks.push({ ms: script.duration, invoker: script.invoker, file: script.sourceURL.replace(/.*\//, '') })
          }
          if (sum > 0) lc.widgetFrames.push(sum)
        }
      }).observe({ type: 'long-animation-frame', buffered: true })
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) lc.longTasks.push(e.duration)
      }).observe({ type: 'longtask', buffered: true })
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue
          lc.cls += e.value
          // A shift is the widget's when one of the nodes that moved is its host (shadow nodes are
          // reported as their host) or inside it.
          if (e.sources.some((source) => source.node?.closest?.('leadcatcher-widget') || source.node?.getRootNode?.().host)) lc.widgetCls += e.value
        }
      }).observe({ type: 'layout-shift', buffered: true })
    }, OURS.source)
    await page.goto(stack.demo, { waitUntil: 'load' })
    // The idle-time load must be over: the real launcher (inside the view's root) replaced the facade.
    let viewMounted = false
    for (let i = 0; i < 40 && withTag && !viewMounted; i++) {
      viewMounted = await page.evaluate(() => !!document.querySelector('leadcatcher-widget')?.shadowRoot?.querySelector('.root .launchers .launcher'))
      if (!viewMounted) await delay(250)
    }
    await delay(500)
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
    const observed = await page.evaluate(() => window.__lc)
    await context.close()
    const longestTask = observed.widgetTasks.reduce((a, t) => (t.ms > a.ms ? t : a), { ms: 0, invoker: '-', file: '-' })
    return {
      scriptMs: metrics.ScriptDuration * 1000,
      longTasks: observed.longTasks.length,
      longTaskMs: observed.longTasks.reduce((a, b) => a + b, 0),
      cls: observed.cls,
      widgetCls: observed.widgetCls,
      viewMounted,
      widgetLongestTaskMs: longestTask.ms,
      widgetLongestTask: `${longestTask.file} ${longestTask.invoker}`,
      widgetTasksOver50: observed.widgetTasks.filter((t) => t.ms > LONG_TASK_MS).length,
      widgetLongestFrameMs: Math.max(0, ...observed.widgetFrames),
      /** Our script time in this run's long animation frames (> 50 ms only), by file and invoker. */
      widgetScriptByTask: Object.fromEntries(
        Object.entries(
          observed.widgetTasks.reduce((sums, t) => {
            const key = `${t.file} ${t.invoker}`
            sums[key] = (sums[key] ?? 0) + t.ms
            return sums
          }, {}),
        ).sort((a, b) => b[1] - a[1]),
      ),
    }
  }
  const all = { without: [], with: [], control: [] }
  try {
    // Interleaved, so a noisy stretch of the machine hits every variant alike.
    for (let i = 0; i < runs; i++) {
      all.without.push(await measure('without'))
      all.with.push(await measure('with'))
      all.control.push(await measure('control'))
    }
  } finally {
    await browser.close()
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const summary = (list) => ({
    scriptMs: median(list.map((r) => r.scriptMs)),
    longTasks: median(list.map((r) => r.longTasks)),
    longTaskMs: median(list.map((r) => r.longTaskMs)),
    cls: Math.max(...list.map((r) => r.cls)),
    widgetCls: Math.max(...list.map((r) => r.widgetCls)),
  })
  const withTag = all.with
  const longest = (list) => ({
    medianMs: median(list.map((r) => r.widgetLongestTaskMs)),
    worstMs: Math.max(...list.map((r) => r.widgetLongestTaskMs)),
    runsOver50: list.filter((r) => r.widgetTasksOver50 > 0).length,
  })
  const result = {
    cpuThrottling,
    runs,
    without: summary(all.without),
    with: {
      ...summary(withTag),
      viewMountedRuns: withTag.filter((r) => r.viewMounted).length,
      widgetLongestTaskMedianMs: median(withTag.map((r) => r.widgetLongestTaskMs)),
      widgetLongestTaskWorstMs: Math.max(...withTag.map((r) => r.widgetLongestTaskMs)),
      widgetLongestFrameMedianMs: median(withTag.map((r) => r.widgetLongestFrameMs)),
      widgetLongestFrameWorstMs: Math.max(...withTag.map((r) => r.widgetLongestFrameMs)),
      runsWithWidgetLongTask: withTag.filter((r) => r.widgetTasksOver50 > 0).length,
    },
    control: longest(all.control),
    perRun: all,
  }
  return result
}

const ms = (n) => `${n.toFixed(1)} ms`
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Each round's script time with the tag minus without it (the two ran back to back). */
export const addedPerRun = (r) => r.perRun.with.map((run, i) => run.scriptMs - r.perRun.without[i].scriptMs)

/** Table rows for bench.mjs: [section, measure, value, detail]. */
export function hostPageRows(r) {
  const w = r.with
  const added = addedPerRun(r)
  const x = `${r.cpuThrottling}× CPU`
  return [
    ['host page', `script time, demo page without tag (${x})`, ms(r.without.scriptMs), `long tasks ${r.without.longTasks}, CLS ${r.without.cls.toFixed(3)}, median of ${r.runs}`],
    [
      'host page',
      `script time, same page with our tag (${x})`,
      ms(w.scriptMs),
      `long tasks ${w.longTasks} (${ms(w.longTaskMs)}), CLS ${w.cls.toFixed(3)} (the widget's share ${w.widgetCls.toFixed(3)}, worst run), median of ${r.runs}`,
    ],
    ['host page', 'added by the widget (incl. idle-time app load)', ms(w.scriptMs - r.without.scriptMs), `view mounted in ${w.viewMountedRuns} of ${r.runs} runs`],
    [
      'host page',
      'longest task of widget code',
      `${ms(w.widgetLongestTaskMedianMs)} median`,
      `worst ${ms(w.widgetLongestTaskWorstMs)}; runs with a widget task > 50 ms: ${w.runsWithWidgetLongTask} of ${r.runs} (seen in frames > 50 ms; 0 = none had our code)`,
    ],
    [
      'host page',
      'control tag: same first uses, none of our code',
      `${ms(r.control.medianMs)} median`,
      `worst ${ms(r.control.worstMs)}; runs with a task > 50 ms: ${r.control.runsOver50} of ${r.runs} (the platform's floor here)`,
    ],
    ['host page', 'widget code in one frame (tasks summed)', `${ms(w.widgetLongestFrameMedianMs)} median`, `worst ${ms(w.widgetLongestFrameWorstMs)}`],
    ['host page', 'longest widget task, each run', r.perRun.with.map((p) => p.widgetLongestTaskMs.toFixed(0)).join(' / ') + ' ms', 'run by run, with the tag'],
    [
      'host page',
      'added script time, each run',
      added.map((n) => n.toFixed(0)).join(' / ') + ' ms',
      `median ${ms(median(added))}, worst ${ms(Math.max(...added))} (with the tag minus without, same round)`,
    ],
  ]
}

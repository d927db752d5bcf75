// `npm run bench:page`: only the host-page part of the benchmark (Chromium, 4× CPU), every run.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addedPerRun, hostPageCost, hostPageRows } from '../bench/host-page.mjs'
import { ROOT, startStack } from '../test/e2e/harness.ts'

const stack = await startStack()
try {
  const result = await hostPageCost(stack, { runs: Number(process.env.BENCH_PAGE_RUNS ?? 7) })
  const rows = hostPageRows(result)
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => String(r[c]).length)))
  for (const r of rows) console.log(r.map((cell, c) => String(cell).padEnd(widths[c])).join('  '))
  const added = addedPerRun(result)
  for (const [i, run] of result.perRun.with.entries()) {
    console.log(
      `run ${i + 1}: added script ${added[i].toFixed(1)} ms, longest widget task ${run.widgetLongestTaskMs.toFixed(1)} ms (${run.widgetLongestTask}), long tasks on the page ${run.longTasks}, view ${run.viewMounted ? 'mounted' : 'NOT mounted'}`,
    )
    console.log(
      `  ours in frames over 50 ms, by task: ${Object.entries(run.widgetScriptByTask)
        .map(([task, ms]) => `${task} ${ms.toFixed(1)}`)
        .join(', ')}`,
    )
  }
  mkdirSync(join(ROOT, 'artifacts', 'bench'), { recursive: true })
  writeFileSync(join(ROOT, 'artifacts', 'bench', 'host-page.json'), JSON.stringify(result, null, 2))
} finally {
  await stack.stop()
}

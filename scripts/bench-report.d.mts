// Types of scripts/bench-report.mjs, for the tests that import it.
export interface TableRow {
  section: string
  measure: string
  value: string
  detail: string
  date: string
  commit: string
  node?: string
}
export type PrintedRow = [section: string, measure: string, value: string, detail: string]
export const BEGIN: string
export const END: string
export const DOC: string
export function mergeTables(previous: TableRow[] | undefined, rows: PrintedRow[], stamp: { date: string; commit: string; node?: string }): TableRow[]
export function latestRunMarkdown(table: TableRow[] | undefined): string
export function withLatestRun(doc: string, block: string): string
export function measuredCommit(): string
export function writeLatestRun(results: { table?: TableRow[] }, doc?: string): void
export function latestBlock(doc: string): string | null
export function tableFromMarkdown(markdown: string): TableRow[]

// A database wrapper for plan tests: it keeps the text and values of every statement prepared
// through it, so a test can ask SQLite for the plan of exactly what a store sent.
import type { SqlDatabase, SqlValue } from '../../worker/src/storage/sql-database'

export interface RecordedStatement {
  sql: string
  values: SqlValue[]
}

export function recording(db: SqlDatabase): { db: SqlDatabase; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = []
  return {
    statements,
    db: {
      ...db,
      prepare: (sql) => {
        const statement = db.prepare(sql)
        return {
          ...statement,
          bind: (...values) => {
            statements.push({ sql, values })
            return statement.bind(...values)
          },
        }
      },
    },
  }
}

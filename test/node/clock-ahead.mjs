// A controlled clock for a real server process (loaded with `node --import`): Date.now() and
// `new Date()` read LEADCATCHER_TEST_CLOCK_AHEAD_MS later than the machine's clock, so a test can
// start a process "a minute later" instead of waiting the minute out. Timers are untouched.
const ahead = Number(process.env.LEADCATCHER_TEST_CLOCK_AHEAD_MS ?? 0)
const RealDate = globalThis.Date
const realNow = RealDate.now.bind(RealDate)

class AheadDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + ahead)
    else super(...args)
  }
  static now() {
    return realNow() + ahead
  }
}

if (ahead !== 0) globalThis.Date = AheadDate

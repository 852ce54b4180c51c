use super::event_loop::{slot, EventLoop, Hooks};
use jsc::{Context, Ctx};

/// A miniature of the JS side: one timer, a nextTick queue, and logs of what the loop did.
const HOOKS: &str = r#"(function (info) {
  globalThis.log = [];
  const ticks = [];
  globalThis.nextTick = (fn) => { ticks.push(fn); info[5] = ticks.length; };
  let timer = null;
  globalThis.setTimer = (ms, fn) => { timer = { at: info[0] + ms, fn }; info[1] = timer.at; info[2] = 1; };
  let immediates = [];
  let running = [];
  globalThis.setImmediate = (fn) => { immediates.push(fn); info[3]++; info[4]++; };
  return {
    runNextTimer(now) {
      if (!timer || timer.at > now) return false;
      const t = timer; timer = null; info[1] = Infinity; info[2] = 0;
      t.fn();
      return true;
    },
    beginImmediates() { running = immediates; immediates = []; },
    runNextImmediate() {
      const fn = running.shift();
      if (!fn) return false;
      info[3]--; info[4]--;
      fn();
      return true;
    },
    processTicks() { while (ticks.length) { const fn = ticks.shift(); info[5] = ticks.length; fn(); } },
    processRejections(list, handledLate) {
      for (const p of handledLate) log.push('handled late ' + (p === globalThis.late));
      for (let i = 0; i < list.length; i += 2) log.push('unhandled ' + list[i + 1]);
    },
    onUncaught(err) { log.push('uncaught ' + err); },
    beforeExit() { log.push('beforeExit'); },
  };
})"#;

fn setup(ctx: Ctx) -> EventLoop {
    let mut event_loop = EventLoop::new(ctx).unwrap();
    let make = ctx.eval(HOOKS, "hooks.js", 1).unwrap().expect_object().unwrap();
    let hooks = make.call(None, &[event_loop.info_array().unwrap().value()]).unwrap().expect_object().unwrap();
    let get = |name: &str| hooks.get(name).unwrap().protect();
    event_loop.set_hooks(Hooks {
        run_next_timer: get("runNextTimer"),
        begin_immediates: get("beginImmediates"),
        run_next_immediate: get("runNextImmediate"),
        process_ticks: get("processTicks"),
        process_rejections: get("processRejections"),
        on_uncaught: get("onUncaught"),
        before_exit: get("beforeExit"),
    });
    event_loop
}

fn log(ctx: Ctx) -> String {
    ctx.eval("log.join(', ')", "t.js", 1).unwrap().to_string().unwrap()
}

#[test]
fn next_tick_runs_before_promise_jobs() {
    let context = Context::new();
    let ctx = context.ctx();
    let event_loop = setup(ctx);
    event_loop.macrotask(|ctx| {
        ctx.eval(
            "Promise.resolve().then(() => { log.push('promise'); nextTick(() => log.push('tick from promise')) });
             nextTick(() => log.push('tick'));
             log.push('sync')",
            "main.js",
            1,
        )
    });
    assert_eq!(log(ctx), "sync, tick, promise, tick from promise");
}

#[test]
fn uncaught_errors_and_unhandled_rejections_reach_their_hooks() {
    let context = Context::new();
    let ctx = context.ctx();
    let event_loop = setup(ctx);
    event_loop.macrotask(|ctx| ctx.eval("globalThis.late = Promise.reject('lost'); Promise.reject('kept').catch(() => {}); throw 'boom'", "main.js", 1));
    assert_eq!(log(ctx), "uncaught boom, unhandled lost");
    event_loop.macrotask(|ctx| ctx.eval("late.catch(() => {})", "main.js", 1));
    assert_eq!(log(ctx), "uncaught boom, unhandled lost, handled late true");
}

#[test]
fn loop_runs_timers_then_immediates_and_exits_when_idle() {
    let context = Context::new();
    let ctx = context.ctx();
    let mut event_loop = setup(ctx);
    // Loop time is in whole milliseconds, so a 5 ms timer may fire after 4 ms of real time.
    let started = std::time::Instant::now();
    event_loop.update_time();
    event_loop.macrotask(|ctx| {
        ctx.eval(
            "setTimer(5, () => { log.push('timer'); setImmediate(() => log.push('immediate')); nextTick(() => log.push('tick')) })",
            "main.js",
            1,
        )
    });
    event_loop.run();
    assert!(started.elapsed() >= std::time::Duration::from_millis(4));
    assert_eq!(log(ctx), "timer, tick, immediate, beforeExit");
    assert_eq!(event_loop.info_array().unwrap().get_index(slot::TIMER_REFS as u32).unwrap().to_number().unwrap(), 0.0);
}

#[test]
fn thread_pool_results_arrive_in_the_poll_phase() {
    let context = Context::new();
    let ctx = context.ctx();
    let mut event_loop = setup(ctx);
    event_loop.update_time();
    event_loop.macrotask(|ctx| {
        crate::event_loop::spawn_blocking(
            || (1..=10u64).sum::<u64>(),
            |ctx, sum| {
                ctx.eval(&format!("log.push('pool {sum}'); nextTick(() => log.push('tick after pool'))"), "t.js", 1)?;
                Ok(())
            },
        );
        ctx.eval("setTimer(1, () => log.push('timer'))", "main.js", 1)
    });
    event_loop.run();
    let out = log(ctx);
    assert!(out.contains("pool 55, tick after pool"), "{out}");
    assert!(out.contains("timer"), "{out}");
}

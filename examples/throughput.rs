//! Throughput and latency of the whole bot: the release `inm-bot` binary (real teloxide client,
//! real dispatcher, SQLite store) against the fake Bot API server of the tests, on loopback.
//!
//! `cargo build --release && cargo run --release --example throughput -- [N]`
//!
//! Two bots in the same run, each against its own fake: one with Telegram's rate limits lifted
//! (`INM_BOT_NO_THROTTLE`), one with the production limits against a fake that enforces them as
//! Telegram does.
//!
//! Limits lifted: time from start to the first getUpdates; resident memory at rest; N updates from
//! N different chats pushed at once (updates per second until the last reply); after a 6 s pause,
//! latency from update to reply at a steady 500 updates a second.
//!
//! Both modes: latency at 20 questions a second from distinct chats (median, p99, and what the
//! limits add over the lifted figures); a single question after an idle pause. Production only:
//! 60 questions a second from distinct chats for 10 s (twice Telegram's cap): every reply sent,
//! none refused, the most in any second, and the queueing delay against the least the cap forces.
//!
//! The fake servers run in this process on the same two cores, so the figures understate the bot.

#[path = "../tests/it/support.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{BotProcess, FakeApi, max_per_second, private_text};

fn questions() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/questions.tsv");
    let text = std::fs::read_to_string(path)
        .or_else(|_| std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/more_questions.tsv")))
        .expect("a questions file");
    inm_bot::eval::parse(&text)
        .unwrap()
        .into_iter()
        .map(|c| c.question)
        .collect()
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Replies delivered (SendMessage accepted) so far, as (chat, arrival).
fn replies(api: &FakeApi) -> Vec<(i64, Instant)> {
    api.calls_to("SendMessage")
        .into_iter()
        .filter(|c| c.status == 200)
        .map(|c| (c.body["chat_id"].as_i64().unwrap_or(0), c.at))
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Starts a bot against a new fake (enforcing Telegram's limits when the bot honours them);
/// returns once it polls.
async fn start(limits: bool) -> (FakeApi, BotProcess, Instant, Instant) {
    let api = FakeApi::start().await;
    api.record_lightly();
    let mut env = vec![("RUST_LOG", "warn")];
    if limits {
        api.enforce_limits();
    } else {
        env.push(("INM_BOT_NO_THROTTLE", "true"));
    }
    let started = Instant::now();
    let bot = BotProcess::start(&api, None, &env);
    let calls = api
        .wait_for("the first getUpdates", Duration::from_secs(30), |c| {
            c.iter().any(|c| c.method == "GetUpdates")
        })
        .await;
    let first_poll = calls.iter().find(|c| c.method == "GetUpdates").unwrap().at;
    (api, bot, started, first_poll)
}

/// Pushes `m` questions from new chats (from `first_chat` on), one every `every`; waits for every
/// reply; returns the latencies, push to reply, in push order.
async fn paced(api: &FakeApi, qs: &[String], first_chat: i64, m: usize, every: Duration) -> Vec<Duration> {
    let before = api.messages_sent();
    let mut pushed = Vec::with_capacity(m);
    let t0 = Instant::now();
    for i in 0..m {
        let chat = first_chat + i as i64;
        pushed.push((chat, Instant::now()));
        api.push(private_text(chat, "en", &qs[i % qs.len()]));
        tokio::time::sleep_until((t0 + every * (i as u32 + 1)).into()).await;
    }
    wait_for_messages(api, before + m).await;
    let arrived: std::collections::HashMap<i64, Instant> = replies(api).into_iter().collect();
    pushed
        .iter()
        .map(|(chat, t)| arrived[chat].duration_since(*t))
        .collect()
}

/// Median, p99 and max of latencies, in ms.
fn summary(lat: &[Duration]) -> (f64, f64, f64) {
    let mut sorted = lat.to_vec();
    sorted.sort();
    (
        ms(percentile(&sorted, 0.5)),
        ms(percentile(&sorted, 0.99)),
        ms(*sorted.last().unwrap()),
    )
}

/// Polls a counter rather than the call list: cheap enough not to slow the bot down.
async fn wait_for_messages(api: &FakeApi, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while api.messages_sent() < n {
        assert!(
            Instant::now() < deadline,
            "only {} of {n} replies arrived",
            api.messages_sent()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let qs = questions();
    let (api, bot, started, first_poll) = start(false).await;
    let (papi, pbot, _, _) = start(true).await;
    println!("start to first getUpdates: {:.1} ms", ms(first_poll - started));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss_idle, _) = rss_kib(bot.pid());
    let (prss_idle, _) = rss_kib(pbot.pid());
    println!(
        "resident memory at rest, knowledge base loaded: {:.1} MB (limits lifted), {:.1} MB (production limits)",
        rss_idle as f64 / 1024.0,
        prss_idle as f64 / 1024.0
    );

    // Limits lifted. Burst: n updates from n chats at once.
    let t0 = Instant::now();
    for i in 0..n {
        api.push(private_text(10_000 + i as i64, "en", &qs[i % qs.len()]));
    }
    wait_for_messages(&api, n).await;
    let elapsed = t0.elapsed();
    println!(
        "limits lifted, burst: {n} updates from {n} chats answered in {:.3} s = {:.0} updates/s",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    let (rss, hwm) = rss_kib(bot.pid());
    println!(
        "resident memory after the burst: {:.1} MB (peak {:.1} MB)",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    // Let the burst's aftermath settle (the batched write of its counts and unanswered questions
    // every 5 s, idle dispatcher workers) so that the steady runs measure steady state.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let m = n.min(2_000);
    let (p50, p99, max) = summary(&paced(&api, &qs, 1_000_000, m, Duration::from_millis(2)).await);
    println!(
        "limits lifted, steady ({m} updates, one per 2 ms): latency median {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms"
    );

    // Both modes at 20 questions a second from distinct chats, lifted first, then production.
    let rate20 = Duration::from_millis(50);
    let k = 200;
    let (l50, l99, lmax) = summary(&paced(&api, &qs, 2_000_000, k, rate20).await);
    let (q50, q99, qmax) = summary(&paced(&papi, &qs, 2_000_000, k, rate20).await);
    println!(
        "20 questions/s from distinct chats ({k} each): limits lifted median {l50:.2} ms, p99 {l99:.2} ms, max {lmax:.2} ms"
    );
    println!(
        "                                      production limits median {q50:.2} ms, p99 {q99:.2} ms, max {qmax:.2} ms"
    );
    println!(
        "                                      added by the limits: median {:+.2} ms, p99 {:+.2} ms",
        q50 - l50,
        q99 - l99
    );

    // A single question after an idle pause, alternating the two bots.
    let (mut lifted, mut production) = (Vec::new(), Vec::new());
    for i in 0..10 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        lifted.extend(paced(&api, &qs, 3_000_000 + i, 1, Duration::ZERO).await);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        production.extend(paced(&papi, &qs, 3_000_000 + i, 1, Duration::ZERO).await);
    }
    let (l50, _, lmax) = summary(&lifted);
    let (q50, _, qmax) = summary(&production);
    println!(
        "one question after 1 s idle (10 each): limits lifted median {l50:.2} ms (max {lmax:.2}), production median {q50:.2} ms (max {qmax:.2}); added {:+.2} ms",
        q50 - l50
    );

    // Production: 60 questions a second from distinct chats for 10 s, twice Telegram's cap.
    let k = 600;
    let every = Duration::from_micros(16_667);
    let t0 = Instant::now();
    let lat = paced(&papi, &qs, 4_000_000, k, every).await;
    let drained = t0.elapsed();
    // The cap forces the i-th reply no earlier than i × 35 ms after the first.
    let forced: Vec<Duration> = (0..k)
        .map(|i| (Duration::from_millis(35) * i as u32).saturating_sub(every * i as u32))
        .collect();
    let excess: Vec<Duration> = lat.iter().zip(&forced).map(|(l, f)| l.saturating_sub(*f)).collect();
    let (e50, e99, emax) = summary(&excess);
    let (d50, _, dmax) = summary(&lat);
    let calls = papi.calls();
    println!(
        "production, 60 questions/s for 10 s: {} of {k} replies sent in {:.1} s, {} refused with a 429, at most {} in any second",
        lat.len(),
        drained.as_secs_f64(),
        papi.limited(),
        max_per_second(&calls)
    );
    println!(
        "    queueing delay median {:.0} ms, max {:.0} ms (the cap alone forces up to {:.0} ms); beyond the cap's schedule: median {e50:.2} ms, p99 {e99:.2} ms, max {emax:.2} ms",
        d50,
        dmax,
        ms(*forced.last().unwrap())
    );

    let (rss, _) = rss_kib(bot.pid());
    println!(
        "limits lifted bot's resident memory at the end: {:.1} MB",
        rss as f64 / 1024.0
    );
    let t = Instant::now();
    let (status, _) = pbot.stop();
    println!(
        "production bot stopped on SIGTERM: {status} in {:.0} ms",
        ms(t.elapsed())
    );
    let (status, _) = bot.stop();
    println!("limits lifted bot stopped on SIGTERM: {status}");
}

//! Throughput and latency of the whole bot: the release `inm-bot` binary (real teloxide client,
//! real dispatcher, SQLite store) against the fake Bot API server of the tests, on loopback.
//!
//! `cargo build --release && cargo run --release --example throughput -- [N]`
//!
//! Measures: time from start to the first getUpdates; N updates from N different chats pushed at
//! once (updates per second until the last reply); after a 6 s pause, latency from update to
//! reply at a steady 500 updates a second (median and 99th percentile); resident memory. Telegram's rate limits are lifted
//! (`INM_BOT_NO_THROTTLE`), since they would cap the figures at 30 messages a second. The fake
//! server runs in this process on the same two cores, so the figures understate the bot.

#[path = "../tests/it/support.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{BotProcess, FakeApi, private_text};

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

/// Replies (SendMessage) per chat so far, as (chat, arrival).
fn replies(api: &FakeApi) -> Vec<(i64, Instant)> {
    api.calls_to("SendMessage")
        .into_iter()
        .map(|c| (c.body["chat_id"].as_i64().unwrap_or(0), c.at))
        .collect()
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
    let api = FakeApi::start().await;
    api.record_lightly();
    let started = Instant::now();
    let bot = BotProcess::start(&api, None, &[("INM_BOT_NO_THROTTLE", "true"), ("RUST_LOG", "warn")]);
    let calls = api
        .wait_for("the first getUpdates", Duration::from_secs(30), |c| {
            c.iter().any(|c| c.method == "GetUpdates")
        })
        .await;
    let first_poll = calls.iter().find(|c| c.method == "GetUpdates").unwrap().at;
    println!(
        "start to first getUpdates: {:.1} ms",
        (first_poll - started).as_secs_f64() * 1000.0
    );
    let (rss_idle, _) = rss_kib(bot.pid());
    println!(
        "resident memory at rest, knowledge base loaded: {:.1} MB",
        rss_idle as f64 / 1024.0
    );

    // Burst: n updates from n chats at once.
    let t0 = Instant::now();
    for i in 0..n {
        api.push(private_text(10_000 + i as i64, "en", &qs[i % qs.len()]));
    }
    wait_for_messages(&api, n).await;
    let elapsed = t0.elapsed();
    println!(
        "burst: {n} updates from {n} chats answered in {:.3} s = {:.0} updates/s",
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
    // every 5 s, idle dispatcher workers) so that the steady run measures steady state.
    tokio::time::sleep(Duration::from_secs(6)).await;

    // Steady rate: one update every 2 ms from new chats; latency from push to reply.
    let before = api.messages_sent();
    let m = n.min(2_000);
    let mut pushed = Vec::with_capacity(m);
    for i in 0..m {
        let chat = 1_000_000 + i as i64;
        pushed.push((chat, Instant::now()));
        api.push(private_text(chat, "en", &qs[i % qs.len()]));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    wait_for_messages(&api, before + m).await;
    let arrived: std::collections::HashMap<i64, Instant> = replies(&api).into_iter().collect();
    let mut lat: Vec<Duration> = pushed
        .iter()
        .map(|(chat, t)| arrived[chat].duration_since(*t))
        .collect();
    lat.sort();
    println!(
        "steady ({m} updates, one per 2 ms): latency median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&lat, 0.5).as_secs_f64() * 1000.0,
        percentile(&lat, 0.99).as_secs_f64() * 1000.0,
        lat.last().unwrap().as_secs_f64() * 1000.0
    );
    let (status, _) = bot.stop();
    println!("stopped on SIGTERM: {status}");
}

//! Telegram's rate limits end to end: the real binary with production limits against the fake Bot
//! API enforcing them as Telegram does (a 429 for more than 30 messages in a second, or a chat sent
//! to faster than about one a second). Every reply arrives once, in order, within the limits; a
//! 429 or a flooding user holds back only its own chat; SIGTERM is quick whatever is queued.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::*;

/// Delivered messages (accepted SendMessage calls) per chat.
fn delivered(api: &FakeApi) -> HashMap<i64, Vec<Call>> {
    let mut per_chat: HashMap<i64, Vec<Call>> = HashMap::new();
    for c in api.calls_to("SendMessage").into_iter().filter(|c| c.status == 200) {
        per_chat.entry(c.body["chat_id"].as_i64().unwrap()).or_default().push(c);
    }
    per_chat
}

fn delivered_to(api: &FakeApi, chat: i64) -> Vec<Call> {
    delivered(api).remove(&chat).unwrap_or_default()
}

async fn wait_delivered(api: &FakeApi, what: &str, timeout: Duration, chat: i64, n: usize) -> Vec<Call> {
    api.wait_for(what, timeout, |calls| {
        calls
            .iter()
            .filter(|c| c.method == "SendMessage" && c.status == 200 && c.body["chat_id"] == chat)
            .count()
            >= n
    })
    .await;
    delivered_to(api, chat)
}

/// The production bot, started once the fake enforces the limits, and polling.
async fn start(api: &FakeApi, env: &[(&str, &str)]) -> BotProcess {
    api.enforce_limits();
    let bot = BotProcess::start(api, None, env);
    api.wait_for("polling", Duration::from_secs(20), |c| {
        c.iter().any(|c| c.method == "GetUpdates")
    })
    .await;
    bot
}

/// SIGTERM; the bot must exit 0 within 5 s. Returns the log.
fn stop_within_5_s(api: &FakeApi, bot: BotProcess) -> String {
    let t = Instant::now();
    let log = stop_and_check(api, bot);
    let took = t.elapsed();
    assert!(took < Duration::from_secs(5), "SIGTERM took {took:?}\n{log}");
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_300_chats_is_answered_once_each_within_the_limits() {
    let api = FakeApi::start().await;
    let bot = start(&api, &[("RUST_LOG", "warn")]).await;
    let questions = [
        "what time do you open?",
        "donde esta la oficina",
        "how do I renew my card",
    ];
    for i in 0..300 {
        api.push(private_text(200_000 + i, "en", questions[i as usize % questions.len()]));
    }
    // At 30 a second, 300 replies take ten seconds.
    api.wait_for("300 replies", Duration::from_secs(40), |calls| {
        calls
            .iter()
            .filter(|c| c.method == "SendMessage" && c.status == 200)
            .count()
            >= 300
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let per_chat = delivered(&api);
    assert_eq!(per_chat.len(), 300);
    assert!(per_chat.values().all(|m| m.len() == 1), "exactly one answer each");
    assert_eq!(api.limited(), 0, "no 429");
    let peak = max_per_second(&api.calls());
    assert!(peak <= 30, "{peak} messages within one second");
    assert!(peak >= 20, "sent near the cap, not far below it: {peak} a second");
    stop_within_5_s(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_answer_arrives_whole_and_in_order() {
    let api = FakeApi::start().await;
    let limit = 120;
    let bot = start(&api, &[("INM_BOT_MESSAGE_LIMIT", &limit.to_string())]).await;
    // What the bot splits, computed here with the library the bot is built from.
    let engine = inm_bot::load(None).unwrap();
    let t = engine.kb.topic_index("procedures").unwrap();
    let html = inm_bot::render::topic(
        &engine,
        t,
        inm_bot::Lang::En,
        chrono::Utc::now(),
        inm_bot::render::Format::Html,
        false,
    );
    let expected = inm_bot::render::split_html(&html, limit);
    assert!(
        expected.len() >= 5,
        "long enough to meet the per-chat limit: {} parts",
        expected.len()
    );
    let pushed = Instant::now();
    api.push(private_text(301, "en", "/procedures"));
    let parts = wait_delivered(&api, "every part", Duration::from_secs(30), 301, expected.len()).await;
    let texts: Vec<&str> = parts.iter().map(|c| c.body["text"].as_str().unwrap()).collect();
    assert_eq!(texts, expected, "every part once, in order");
    assert!(
        parts.last().unwrap().body["reply_markup"].is_object(),
        "buttons on the last part"
    );
    assert!(
        parts[..parts.len() - 1]
            .iter()
            .all(|c| c.body["reply_markup"].is_null())
    );
    assert_eq!(api.limited(), 0, "no 429");
    // Three parts at once, then one a second.
    assert!(parts[2].at.duration_since(pushed) < Duration::from_millis(500));
    let took = parts.last().unwrap().at.duration_since(parts[0].at);
    let paced = Duration::from_secs(expected.len() as u64 - 3);
    assert!(
        took >= paced - Duration::from_millis(100) && took < paced + Duration::from_millis(800),
        "{} parts over {took:?}",
        expected.len()
    );
    stop_within_5_s(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_holds_back_only_its_chat_and_not_the_shutdown() {
    let api = FakeApi::start().await;
    let bot = start(&api, &[]).await;
    api.fail_chat(401, Fault::RetryAfter(2));
    api.fail_chat(402, Fault::RetryAfter(100_000));
    api.push(private_text(401, "en", "/hours"));
    api.push(private_text(402, "en", "/hours"));
    api.wait_for("both 429s", Duration::from_secs(20), |calls| {
        calls.iter().filter(|c| c.status == 429).count() == 2
    })
    .await;
    let refused = api
        .calls()
        .into_iter()
        .find(|c| c.status == 429 && c.body["chat_id"] == 401)
        .unwrap();
    // Others are answered at once meanwhile.
    for chat in 403..408 {
        let t = Instant::now();
        api.push(private_text(chat, "en", "/advice"));
        let m = wait_delivered(&api, "another chat", Duration::from_secs(20), chat, 1).await;
        let waited = m[0].at.duration_since(t);
        assert!(waited < Duration::from_millis(500), "chat {chat} waited {waited:?}");
        assert!(text(&m[0].body).starts_with("Practical advice"));
    }
    let held = wait_delivered(&api, "the held answer", Duration::from_secs(20), 401, 1).await;
    let waited = held[0].at.duration_since(refused.at);
    assert!(
        waited >= Duration::from_millis(1950) && waited < Duration::from_secs(3),
        "retry_after 2 honoured: {waited:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(delivered_to(&api, 401).len(), 1, "sent once");
    assert!(delivered_to(&api, 402).is_empty(), "still held");
    assert_eq!(api.limited(), 0);
    let log = stop_within_5_s(&api, bot);
    let plain = strip_ansi(&log);
    assert!(
        plain.contains("not sent before the deadline are dropped") && plain.contains("dropped=1"),
        "the held message is logged as dropped:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_in_several_chats_at_once_hold_every_chat() {
    let api = FakeApi::start().await;
    let bot = start(&api, &[]).await;
    for chat in 501..504 {
        api.fail_chat(chat, Fault::RetryAfter(2));
        api.push(private_text(chat, "en", "/hours"));
    }
    api.wait_for("three 429s", Duration::from_secs(20), |calls| {
        calls.iter().filter(|c| c.status == 429).count() == 3
    })
    .await;
    let third = api.calls().into_iter().rfind(|c| c.status == 429).unwrap().at;
    api.push(private_text(504, "en", "/hours"));
    let m = wait_delivered(&api, "a chat asked after", Duration::from_secs(20), 504, 1).await;
    let waited = m[0].at.duration_since(third);
    assert!(waited >= Duration::from_millis(1900), "everyone waited: {waited:?}");
    for chat in 501..504 {
        assert_eq!(
            wait_delivered(&api, "the held ones", Duration::from_secs(10), chat, 1)
                .await
                .len(),
            1
        );
    }
    let refused = api.calls().into_iter().filter(|c| c.status == 429).count();
    assert_eq!(refused, 3, "no request sent into the hold");
    stop_within_5_s(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_user_stalls_nobody() {
    let api = FakeApi::start().await;
    let bot = start(&api, &[]).await;
    let flooder = 601;
    let mut others: Vec<(i64, Instant)> = Vec::new();
    // 200 messages in 10 s, and another user asking every half second.
    let started = Instant::now();
    for i in 0..200 {
        api.push(private_text(flooder, "en", "what time do you open?"));
        if i % 10 == 5 {
            let chat = 700 + i;
            others.push((chat, Instant::now()));
            api.push(private_text(chat, "es", "donde esta la oficina"));
        }
        tokio::time::sleep_until((started + Duration::from_millis(50 * (i as u64 + 1))).into()).await;
    }
    for (chat, asked) in &others {
        let m = wait_delivered(&api, "the others' answers", Duration::from_secs(5), *chat, 1).await;
        let waited = m[0].at.duration_since(*asked);
        assert!(waited < Duration::from_secs(1), "chat {chat} waited {waited:?}");
    }
    // The allowance (20 a minute) and one notice, paced at one a second after a burst of three.
    wait_delivered(&api, "the flooder's allowance", Duration::from_secs(30), flooder, 21).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let to_flooder: Vec<String> = delivered_to(&api, flooder).iter().map(|c| text(&c.body)).collect();
    assert_eq!(to_flooder.len(), 21, "{to_flooder:?}");
    assert_eq!(to_flooder.iter().filter(|t| t.contains("very fast")).count(), 1);
    assert!(
        to_flooder.last().unwrap().contains("very fast"),
        "the notice comes after the answers"
    );
    assert_eq!(api.limited(), 0, "no 429");
    stop_within_5_s(&api, bot);
}

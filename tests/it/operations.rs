//! Running it for real, end to end against the fake Bot API: webhook mode with its secret, live
//! knowledge reload (admin command and SIGHUP), admin commands from non-admins, unanswered
//! questions recorded without personal data, flood control, metrics, JSON logs, and several
//! hundred users at once.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::*;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);
const ADMIN: i64 = 4242;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 client: (status, body).
pub(crate) fn http(method: &str, port: u16, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let deadline = std::time::Instant::now() + WAIT;
    let mut stream = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("connecting to 127.0.0.1:{port}: {e}"),
        }
    };
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    req.push_str("Content-Type: application/json\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Posts a question from `user` to the bot's webhook, with or without the secret header.
async fn post_update(port: u16, user: i64, secret: Option<&str>) -> u16 {
    let mut update = private_text(user, "en", "what time do you open?");
    update["update_id"] = json!(user);
    let secret = secret.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let headers: Vec<(&str, &str)> = secret
            .as_deref()
            .map(|s| vec![("X-Telegram-Bot-Api-Secret-Token", s)])
            .unwrap_or_default();
        http("POST", port, "/internal/tg", &headers, &update.to_string()).0
    })
    .await
    .unwrap()
}

pub(crate) fn copy_knowledge(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let status = Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn edit(path: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(path).unwrap();
    assert!(t.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, t.replacen(from, to, 1)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_accepts_only_the_secret() {
    let api = FakeApi::start().await;
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let bot = BotProcess::start(
        &api,
        None,
        &[
            ("INM_BOT_WEBHOOK_URL", "https://bot.example.org/tg"),
            ("INM_BOT_LISTEN", &listen),
            ("INM_BOT_WEBHOOK_PATH", "/internal/tg"),
        ],
    );
    let calls = api
        .wait_for("setWebhook", WAIT, |c| c.iter().any(|c| c.method == "SetWebhook"))
        .await;
    let set = &calls.iter().find(|c| c.method == "SetWebhook").unwrap().body;
    assert_eq!(set["url"], "https://bot.example.org/tg");
    let secret = set["secret_token"].as_str().expect("a secret token").to_string();
    assert!(secret.len() >= 16);
    assert!(
        !calls.iter().any(|c| c.method == "GetUpdates"),
        "no long polling in webhook mode"
    );

    assert_eq!(post_update(port, 31, None).await, 401, "no secret, no entry");
    assert_eq!(
        post_update(port, 32, Some("wrong")).await,
        401,
        "a wrong secret is refused too"
    );
    assert_eq!(post_update(port, 33, Some(&secret)).await, 200);
    assert!(text(&api.nth_message_to(33, 1).await).starts_with("Opening hours"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent: Vec<i64> = api
        .calls_to("SendMessage")
        .iter()
        .map(|c| c.body["chat_id"].as_i64().unwrap())
        .collect();
    assert_eq!(sent, vec![33], "the refused updates were not processed");
    let log = stop_and_check(&api, bot);
    assert!(log.contains("refused (401)"), "refusals are logged:\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_takes_a_valid_knowledge_base_and_refuses_a_broken_one() {
    let api = FakeApi::start().await;
    let kb = tempfile::tempdir().unwrap();
    copy_knowledge(kb.path());
    let topics = kb.path().join("topics/office.yaml");
    let kb_dir = kb.path().to_str().unwrap().to_string();
    let admins = format!("1,{ADMIN}");
    let bot = BotProcess::start(
        &api,
        None,
        &[
            ("INM_BOT_KNOWLEDGE", &kb_dir),
            ("INM_BOT_ADMINS", &admins),
            ("INM_BOT_NO_THROTTLE", "true"),
        ],
    );
    let user = 51;
    api.push(private_text(user, "en", "is there parking?"));
    assert!(!text(&api.nth_message_to(user, 1).await).contains("MARKER-ONE"));

    // A non-admin gets the ordinary unknown-command reply, and nothing is reloaded.
    edit(&topics, "🚗 You can park", "🚗 MARKER-ONE You can park");
    api.push(private_text(user, "en", "/reload"));
    assert!(text(&api.nth_message_to(user, 2).await).contains("I don't know that command"));
    api.push(private_text(user, "en", "is there parking?"));
    assert!(!text(&api.nth_message_to(user, 3).await).contains("MARKER-ONE"));

    api.push(private_text(ADMIN, "en", "/reload"));
    assert!(text(&api.nth_message_to(ADMIN, 1).await).contains("reloaded"));
    api.push(private_text(user, "en", "is there parking?"));
    assert!(text(&api.nth_message_to(user, 4).await).contains("MARKER-ONE"));

    // Broken: the admin hears why, the old knowledge base keeps answering.
    edit(&topics, "  - id: parking", "  - id: parking\n    bogus_field: 1");
    api.push(private_text(ADMIN, "en", "/reload"));
    let refused = text(&api.nth_message_to(ADMIN, 2).await);
    assert!(
        refused.contains("refused") && refused.contains("bogus_field"),
        "{refused}"
    );
    assert!(refused.contains("office.yaml:"), "{refused}");
    api.push(private_text(user, "en", "is there parking?"));
    assert!(text(&api.nth_message_to(user, 5).await).contains("MARKER-ONE"));

    // SIGHUP reloads too.
    edit(&topics, "    bogus_field: 1\n", "");
    edit(&topics, "MARKER-ONE", "MARKER-TWO");
    let pid = bot.pid().to_string();
    assert!(Command::new("kill").args(["-HUP", &pid]).status().unwrap().success());
    let deadline = std::time::Instant::now() + WAIT;
    let mut n = 5;
    loop {
        n += 1;
        api.push(private_text(user, "en", "is there parking?"));
        if text(&api.nth_message_to(user, n).await).contains("MARKER-TWO") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "SIGHUP did not reload");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = stop_and_check(&api, bot);
    assert!(log.contains("knowledge base refused"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misses_are_recorded_without_personal_data_and_listed() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let admins = ADMIN.to_string();
    let bot = BotProcess::start(
        &api,
        Some(&db),
        &[("INM_BOT_ADMINS", &admins), ("INM_BOT_NO_THROTTLE", "true")],
    );
    let user = 987_654_321;
    for (i, q) in [
        "Where can I buy a SIM card?",
        "sim card, where to buy",
        "what time do you open?",
        "card",
    ]
    .iter()
    .enumerate()
    {
        api.push(private_text(user, "en", q));
        api.nth_message_to(user, i + 1).await;
    }
    api.push(private_text(ADMIN, "en", "/stats"));
    let stats = text(&api.nth_message_to(ADMIN, 1).await);
    assert!(stats.contains("Questions today: 4"), "{stats}");
    assert!(stats.contains("hours: 1"), "{stats}");
    assert!(stats.contains("2 × \"sim card where to buy\""), "{stats}");
    stop_and_check(&api, bot);

    let out = Command::new(env!("CARGO_BIN_EXE_inm-bot"))
        .args(["misses", "--json", "--db", db.to_str().unwrap()])
        .env_remove("INM_BOT_KNOWLEDGE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let groups: Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups[0]["count"], 2, "{groups:?}");
    assert_eq!(groups[0]["key"], "buy card sim");
    assert_eq!(
        groups.len(),
        2,
        "the 'card' suggestion is a miss too, the answered question is not: {groups:?}"
    );
    assert_eq!(groups[1]["suggested"], 1);

    // Nothing that identifies the user is in the database.
    let raw = std::fs::read(&db).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        !raw.contains(&user.to_string()) && !raw.contains("Ana"),
        "personal data stored"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let cols: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('misses')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cols, vec!["id", "text", "outcome", "at"]);
    let texts: Vec<String> = conn
        .prepare("SELECT text FROM misses")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(texts[0], "where can i buy a sim card", "normalised form only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flooding_users_get_one_notice_and_others_are_unaffected() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(
        &api,
        None,
        &[("INM_BOT_FLOOD_LIMIT", "3"), ("INM_BOT_NO_THROTTLE", "true")],
    );
    for _ in 0..8 {
        api.push(private_text(61, "en", "hours?"));
    }
    api.push(private_text(62, "en", "hours?"));
    api.nth_message_to(62, 1).await;
    api.drained().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let to_flooder: Vec<String> = api
        .calls_to("SendMessage")
        .iter()
        .filter(|c| c.body["chat_id"] == 61)
        .map(|c| text(&c.body))
        .collect();
    assert_eq!(to_flooder.len(), 4, "three answers and one notice: {to_flooder:?}");
    assert_eq!(to_flooder.iter().filter(|t| t.contains("very fast")).count(), 1);
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_health_and_json_logs() {
    let api = FakeApi::start().await;
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let bot = BotProcess::start(
        &api,
        None,
        &[("INM_BOT_METRICS", &addr), ("INM_BOT_LOG_FORMAT", "json")],
    );
    let (status, body) = tokio::task::spawn_blocking(move || http("GET", port, "/healthz", &[], ""))
        .await
        .unwrap();
    assert_eq!((status, body.trim()), (200, "ok"));
    api.push(private_text(71, "en", "what time do you open?"));
    api.push(private_text(72, "en", "tell me a joke"));
    api.nth_message_to(71, 1).await;
    api.nth_message_to(72, 1).await;
    // The counters move when a handler finishes, just after its reply is sent: poll briefly.
    let deadline = std::time::Instant::now() + WAIT;
    let metrics = loop {
        let (status, metrics) = tokio::task::spawn_blocking(move || http("GET", port, "/metrics", &[], ""))
            .await
            .unwrap();
        assert_eq!(status, 200);
        if metrics.contains("inm_bot_updates_total 2") || std::time::Instant::now() > deadline {
            break metrics;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(metrics.contains("inm_bot_updates_total 2"), "{metrics}");
    assert!(
        metrics.contains("inm_bot_answers_total{topic=\"hours\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("inm_bot_none_total 1"), "{metrics}");
    assert!(metrics.contains("inm_bot_handling_seconds_bucket"), "{metrics}");
    let log = stop_and_check(&api, bot);
    let handled: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "handled")
        .collect();
    assert_eq!(handled.len(), 2, "{log}");
    let hours = handled
        .iter()
        .find(|v| v["span"]["topic"] == "hours")
        .expect("the span has the topic");
    assert!(hours["span"]["score"].as_f64().unwrap() > 0.5);
    assert_eq!(hours["span"]["chat"], "private");
    assert!(
        !log.contains("what time do you open"),
        "message text is logged only at debug level"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_users_at_once_each_get_exactly_one_answer() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[("INM_BOT_NO_THROTTLE", "true"), ("RUST_LOG", "warn")]);
    let questions = [
        "what time do you open?",
        "donde esta la oficina",
        "how do I renew my card",
        "tell me a joke",
    ];
    let users: Vec<i64> = (0..400).map(|i| 100_000 + i).collect();
    for (i, u) in users.iter().enumerate() {
        api.push(private_text(
            *u,
            if i % 2 == 0 { "en" } else { "es" },
            questions[i % questions.len()],
        ));
    }
    api.wait_for("400 answers", Duration::from_secs(60), |c| {
        c.iter().filter(|c| c.method == "SendMessage").count() >= 400
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_chat = std::collections::HashMap::new();
    for c in api.calls_to("SendMessage") {
        *per_chat.entry(c.body["chat_id"].as_i64().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(per_chat.len(), 400);
    assert!(per_chat.values().all(|&n| n == 1), "exactly one answer each");
    stop_and_check(&api, bot);
}

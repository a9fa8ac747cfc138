//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests: it speaks the real HTTP JSON
//! protocol (teloxide's PascalCase method URLs), hands out queued updates to long polls, records
//! every request the bot makes, and can inject faults (429 with retry_after, 500, dropped
//! connections). Switched on, it also enforces Telegram's rate limits the way Telegram does: a 429
//! with `retry_after` for more than 30 messages in any one second overall, for a private chat sent
//! to faster than one a second sustained (a burst of four is fine), for a group past 20 a minute. Also helpers to build updates and to start the real `inm-bot` binary against it.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

/// A token shaped like a real one, so that teloxide's token hiding applies to it.
pub const TOKEN: &str = "123456789:AAHfakeTokenForTestsOnly0123456789xyz";
pub const BOT_ID: i64 = 123456789;
pub const BOT_USERNAME: &str = "inm_test_bot";

#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub at: Instant,
    /// What the fake server answered (`null` for a failed call).
    pub result: Value,
    /// The HTTP status answered (0: the connection was dropped).
    pub status: u16,
}

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    RetryAfter(u64),
    ServerError,
    Drop,
    /// Answers 200 with this body as it is (for responses teloxide cannot parse).
    Body(&'static str),
}

#[derive(Default)]
struct Inner {
    updates: Mutex<VecDeque<Value>>,
    new_update: Notify,
    calls: Mutex<Vec<Call>>,
    new_call: Notify,
    faults: Mutex<Vec<(String, Fault)>>,
    /// Faults for the next message to one chat.
    chat_faults: Mutex<Vec<(i64, Fault)>>,
    /// Enforce Telegram's rate limits (see `Limits`).
    enforce: std::sync::atomic::AtomicBool,
    limits: Mutex<Limits>,
    /// 429s the enforced limits answered.
    limited: AtomicUsize,
    next_update_id: AtomicI64,
    next_message_id: AtomicI64,
    /// Successful SendMessage calls, for waiting cheaply on thousands of them.
    messages_sent: AtomicUsize,
    /// Keep only the method, chat and time of each call (for load measurements: recording whole
    /// bodies costs the shared CPU more than the bot under test does).
    light: std::sync::atomic::AtomicBool,
}

/// Telegram's limits as the fake enforces them: a sliding window of one second overall, a token
/// bucket per chat (a different arithmetic from the bot's GCRA on purpose).
#[derive(Default)]
struct Limits {
    /// When each of the messages accepted in the last second arrived.
    last_second: VecDeque<Instant>,
    /// Per chat: tokens left and when they were counted.
    buckets: HashMap<i64, (f64, Instant)>,
}

const GLOBAL_PER_SECOND: usize = 30;
const PRIVATE_BURST: f64 = 4.0;
const PRIVATE_PER_SECOND: f64 = 1.0;
const GROUP_BURST: f64 = 20.0;
const GROUP_PER_SECOND: f64 = 20.0 / 60.0;

impl Limits {
    /// Takes one message to `chat` at `now`, or says how many seconds to wait.
    fn take(&mut self, chat: i64, now: Instant) -> Result<(), u64> {
        while self
            .last_second
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.last_second.pop_front();
        }
        let (burst, rate) = if chat < 0 {
            (GROUP_BURST, GROUP_PER_SECOND)
        } else {
            (PRIVATE_BURST, PRIVATE_PER_SECOND)
        };
        let (tokens, at) = self.buckets.entry(chat).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if *tokens < 1.0 {
            return Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64);
        }
        if self.last_second.len() >= GLOBAL_PER_SECOND {
            return Err(1);
        }
        *tokens -= 1.0;
        self.last_second.push_back(now);
        Ok(())
    }
}

/// The most messages accepted (status 200) within any one second.
pub fn max_per_second(calls: &[Call]) -> usize {
    let mut times: Vec<Instant> = calls
        .iter()
        .filter(|c| is_message(&c.method) && c.status == 200)
        .map(|c| c.at)
        .collect();
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for (end, t) in times.iter().enumerate() {
        while t.duration_since(times[start]) >= Duration::from_secs(1) {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best
}

/// The methods Telegram's message limits count.
pub fn is_message(method: &str) -> bool {
    matches!(method, "SendMessage" | "SendVenue" | "EditMessageText")
}

#[derive(Clone)]
pub struct FakeApi {
    pub url: String,
    inner: Arc<Inner>,
}

impl FakeApi {
    pub async fn start() -> FakeApi {
        let inner = Arc::new(Inner::default());
        inner.next_update_id.store(1, Ordering::SeqCst);
        inner.next_message_id.store(1000, Ordering::SeqCst);
        let app = Router::new()
            .route("/{token}/{method}", axum::routing::post(handle))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add up to 40 ms to replies.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeApi {
            url: format!("http://{addr}"),
            inner,
        }
    }

    /// Queues an update (its update_id is assigned here).
    pub fn push(&self, mut update: Value) -> i64 {
        let id = self.inner.next_update_id.fetch_add(1, Ordering::SeqCst);
        update["update_id"] = json!(id);
        self.inner.updates.lock().unwrap().push_back(update);
        self.inner.new_update.notify_waiters();
        id
    }

    /// From now on, refuses messages sent faster than Telegram allows, as Telegram does.
    pub fn enforce_limits(&self) {
        self.inner.enforce.store(true, Ordering::SeqCst);
    }

    /// How many messages the enforced limits refused with a 429.
    pub fn limited(&self) -> usize {
        self.inner.limited.load(Ordering::SeqCst)
    }

    /// The next message (SendMessage, SendVenue, EditMessageText) to `chat` fails this way (once).
    pub fn fail_chat(&self, chat: i64, fault: Fault) {
        self.inner.chat_faults.lock().unwrap().push((chat, fault));
    }

    /// The next call of `method` fails this way (once).
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.inner.faults.lock().unwrap().push((method.to_string(), fault));
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap().clone()
    }

    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.method == method).collect()
    }

    /// Records only method, chat and time from now on (see `Inner::light`).
    pub fn record_lightly(&self) {
        self.inner.light.store(true, Ordering::SeqCst);
    }

    pub fn messages_sent(&self) -> usize {
        self.inner.messages_sent.load(Ordering::SeqCst)
    }

    /// Waits until `pred` holds for the calls so far; panics with the calls after `timeout`.
    pub async fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&[Call]) -> bool) -> Vec<Call> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.inner.new_call.notified();
            if pred(&self.inner.calls.lock().unwrap()) {
                return self.calls();
            }
            let calls = self.calls();
            let now = Instant::now();
            if now >= deadline {
                let summary: Vec<String> = calls.iter().map(|c| format!("{} {}", c.method, c.body)).collect();
                panic!("timed out waiting for {what}; calls so far:\n{}", summary.join("\n"));
            }
            let _ = tokio::time::timeout(deadline - now, notified).await;
        }
    }

    /// Waits for the `n`-th message sent to `chat` (SendMessage), counting from 1.
    pub async fn nth_message_to(&self, chat: i64, n: usize) -> Value {
        let calls = self
            .wait_for(
                &format!("message #{n} to chat {chat}"),
                Duration::from_secs(20),
                |calls| {
                    calls
                        .iter()
                        .filter(|c| c.method == "SendMessage" && c.body["chat_id"] == json!(chat))
                        .count()
                        >= n
                },
            )
            .await;
        calls
            .into_iter()
            .filter(|c| c.method == "SendMessage" && c.body["chat_id"] == json!(chat))
            .nth(n - 1)
            .unwrap()
            .body
    }

    /// Waits until the bot has asked for updates after every queued one, i.e. handled them.
    pub async fn drained(&self) {
        let last = self.inner.next_update_id.load(Ordering::SeqCst) - 1;
        self.wait_for("the bot to take every update", Duration::from_secs(20), |calls| {
            calls
                .iter()
                .any(|c| c.method == "GetUpdates" && c.body["offset"].as_i64().unwrap_or(0) > last)
        })
        .await;
    }
}

/// The fields of a multipart/form-data body (teloxide sends setWebhook that way), as strings.
fn multipart_fields(content_type: &str, body: &[u8]) -> Value {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return Value::Null;
    };
    let boundary = format!("--{}", boundary.trim_matches('"'));
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split(boundary.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head.split("name=\"").nth(1).and_then(|r| r.split('"').next()) else {
            continue;
        };
        fields.insert(name.to_string(), json!(value.trim_end_matches("\r\n")));
    }
    Value::Object(fields)
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    UrlPath((token, method)): UrlPath<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let body: Value = if content_type.starts_with("multipart/form-data") {
        multipart_fields(content_type, &body)
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    if token != format!("bot{TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        )
            .into_response();
    }
    let at = Instant::now();
    let light = inner.light.load(Ordering::Relaxed);
    let record = |result: Value, status: u16| {
        let (body, result) = if light {
            (json!({"chat_id": body["chat_id"].clone()}), Value::Null)
        } else {
            (body.clone(), result)
        };
        inner.calls.lock().unwrap().push(Call {
            method: method.clone(),
            body,
            at,
            result,
            status,
        });
        inner.new_call.notify_waiters();
    };
    let chat = body["chat_id"].as_i64().unwrap_or(0);
    let fault = {
        let mut faults = inner.faults.lock().unwrap();
        faults
            .iter()
            .position(|(m, _)| *m == method)
            .map(|i| faults.remove(i).1)
    };
    let fault = fault.or_else(|| {
        if !is_message(&method) {
            return None;
        }
        let mut faults = inner.chat_faults.lock().unwrap();
        faults.iter().position(|(c, _)| *c == chat).map(|i| faults.remove(i).1)
    });
    let fault = fault.or_else(|| {
        if !is_message(&method) || !inner.enforce.load(Ordering::SeqCst) {
            return None;
        }
        let refused = inner.limits.lock().unwrap().take(chat, at).err()?;
        inner.limited.fetch_add(1, Ordering::SeqCst);
        Some(Fault::RetryAfter(refused))
    });
    match fault {
        Some(Fault::RetryAfter(_)) => record(Value::Null, 429),
        Some(Fault::ServerError) => record(Value::Null, 500),
        Some(Fault::Drop) => record(Value::Null, 0),
        Some(Fault::Body(_)) => record(Value::Null, 200),
        None => {}
    }
    match fault {
        Some(Fault::RetryAfter(secs)) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {secs}"), "parameters": {"retry_after": secs}})),
            )
                .into_response();
        }
        Some(Fault::ServerError) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(json!({"ok": false, "error_code": 500, "description": "Internal Server Error"})),
            )
                .into_response();
        }
        // Unwinding out of the handler makes the server drop the connection without an answer.
        Some(Fault::Drop) => std::panic::resume_unwind(Box::new("dropping the connection")),
        Some(Fault::Body(body)) => {
            return (StatusCode::OK, [("content-type", "application/json")], body).into_response();
        }
        None => {}
    }
    let result = match method.as_str() {
        "GetMe" => json!({
            "id": BOT_ID, "is_bot": true, "first_name": "INM bot", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": true,
            "has_main_web_app": false
        }),
        "GetWebhookInfo" => json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}),
        "GetUpdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            // Recorded when asked, not when answered: `drained` looks at the offsets asked for.
            record(Value::Null, 200);
            // Long poll, but never for long: tests want quick shutdowns.
            let deadline = Instant::now() + Duration::from_millis(300);
            loop {
                let notified = inner.new_update.notified();
                let ready: Vec<Value> = {
                    let mut q = inner.updates.lock().unwrap();
                    q.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    q.iter().take(100).cloned().collect()
                };
                if !ready.is_empty() || Instant::now() >= deadline {
                    break json!(ready);
                }
                let _ = tokio::time::timeout(deadline.saturating_duration_since(Instant::now()), notified).await;
            }
        }
        "SendMessage" | "EditMessageText" | "SendVenue" => {
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let message_id = match method.as_str() {
                "EditMessageText" => body["message_id"].as_i64().unwrap_or(0),
                _ => inner.next_message_id.fetch_add(1, Ordering::SeqCst),
            };
            let mut m = json!({
                "message_id": message_id,
                "date": 1_790_000_000,
                "chat": chat_json(chat_id),
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "INM bot", "username": BOT_USERNAME},
            });
            if method == "SendVenue" {
                m["venue"] = json!({
                    "location": {"latitude": body["latitude"], "longitude": body["longitude"]},
                    "title": body["title"], "address": body["address"]
                });
            } else {
                m["text"] = json!(crate::support::visible_text(body["text"].as_str().unwrap_or("")));
            }
            if let Some(markup) = body.get("reply_markup") {
                m["reply_markup"] = markup.clone();
            }
            m
        }
        _ => json!(true),
    };
    if method != "GetUpdates" {
        record(result.clone(), 200);
    }
    if method == "SendMessage" {
        inner.messages_sent.fetch_add(1, Ordering::SeqCst);
    }
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn chat_json(chat_id: i64) -> Value {
    if chat_id < 0 {
        json!({"id": chat_id, "type": "supergroup", "title": "Expats in CDMX"})
    } else {
        json!({"id": chat_id, "type": "private", "first_name": "Ana"})
    }
}

fn user_json(user: i64, lang: &str) -> Value {
    json!({"id": user, "is_bot": false, "first_name": "Ana", "language_code": lang})
}

/// A text message from `user` in a private chat (chat id = user id).
pub fn private_text(user: i64, lang: &str, text: &str) -> Value {
    message_update(user, user, lang, text, None)
}

/// A text message in a group (negative chat id), optionally replying to one of the bot's messages.
pub fn group_text(chat: i64, user: i64, text: &str, reply_to_bot: bool) -> Value {
    let reply = reply_to_bot.then(|| {
        json!({
            "message_id": 1, "date": 1_790_000_000, "chat": chat_json(chat),
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "INM bot", "username": BOT_USERNAME},
            "text": "earlier answer"
        })
    });
    message_update(chat, user, "en", text, reply)
}

fn message_update(chat: i64, user: i64, lang: &str, text: &str, reply: Option<Value>) -> Value {
    let mut m = json!({
        "message_id": 1,
        "date": 1_790_000_000,
        "chat": chat_json(chat),
        "from": user_json(user, lang),
        "text": text,
    });
    if text.starts_with('/') {
        let len = text.split_whitespace().next().unwrap_or("").encode_utf16().count();
        m["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    if let Some(r) = reply {
        m["reply_to_message"] = r;
    }
    json!({"message": m})
}

/// A press on an inline button under the bot's message `message_id` in a private chat.
pub fn callback(user: i64, message_id: i64, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("cb{user}{message_id}{}", data.len()),
        "from": user_json(user, "en"),
        "chat_instance": "ci",
        "data": data,
        "message": {
            "message_id": message_id, "date": 1_790_000_000, "chat": chat_json(user),
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "INM bot", "username": BOT_USERNAME},
            "text": "previous"
        }
    }})
}

pub fn inline_query(user: i64, query: &str) -> Value {
    json!({"inline_query": {"id": format!("iq{user}"), "from": user_json(user, "en"), "query": query, "offset": ""}})
}

/// The visible text of a SendMessage or EditMessageText request body.
pub fn text(body: &Value) -> String {
    visible_text(body["text"].as_str().unwrap_or(""))
}

/// Stops the bot with SIGTERM and checks what every end-to-end test must hold: a clean exit,
/// no token in the log, every message sent valid. Returns the log.
pub fn stop_and_check(api: &FakeApi, bot: BotProcess) -> String {
    let (status, log) = bot.stop();
    assert!(
        status.success(),
        "the bot must exit 0 on SIGTERM, got {status:?}\n{log}"
    );
    assert!(
        !log.contains(TOKEN.split(':').nth(1).unwrap()),
        "the token leaked into the log:\n{log}"
    );
    assert_all_sent_messages_valid(&api.calls());
    log
}

/// Text as the user sees it: tags dropped, the four entities decoded.
pub fn visible_text(html: &str) -> String {
    inm_bot::render::html_to_text(html)
}

const ALLOWED_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
];

/// Fails unless `html` is valid Telegram HTML (only allowed tags, balanced, `&` only in the
/// entities) of at most 4096 visible UTF-16 units.
pub fn assert_valid_telegram_html(html: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&', '>']) {
        let c = rest[i..].chars().next().unwrap();
        rest = &rest[i..];
        match c {
            '<' => {
                let end = rest.find('>').unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}> in {html:?}");
                } else {
                    let name = tag.split_whitespace().next().unwrap_or("");
                    assert!(ALLOWED_TAGS.contains(&name), "tag <{name}> not allowed in {html:?}");
                    stack.push(name.to_string());
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let ok = ["&lt;", "&gt;", "&amp;", "&quot;"].iter().any(|e| rest.starts_with(e));
                assert!(ok, "bare & in {html:?}");
                rest = &rest[1..];
            }
            _ => panic!("bare > in {html:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in {html:?}");
    let len = inm_bot::render::html_visible_len(html);
    assert!(len <= 4096, "message of {len} UTF-16 units");
    assert!(len > 0, "empty message");
}

/// Checks every message the bot sent: valid HTML, within limits, callback data within 64 bytes.
pub fn assert_all_sent_messages_valid(calls: &[Call]) {
    for c in calls {
        let texts: Vec<&str> = match c.method.as_str() {
            "SendMessage" | "EditMessageText" => {
                assert_eq!(c.body["parse_mode"], "HTML", "{} without HTML parse mode", c.method);
                vec![c.body["text"].as_str().unwrap_or("")]
            }
            "AnswerInlineQuery" => c.body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["input_message_content"]["message_text"].as_str().unwrap_or(""))
                .collect(),
            _ => continue,
        };
        for t in texts {
            assert_valid_telegram_html(t);
        }
        if let Some(rows) = c.body["reply_markup"]["inline_keyboard"].as_array() {
            for b in rows.iter().flat_map(|r| r.as_array().unwrap()) {
                if let Some(data) = b["callback_data"].as_str() {
                    assert!(data.len() <= 64, "callback data {data:?} is over 64 bytes");
                }
                assert!(
                    b["text"].as_str().is_some_and(|t| !t.is_empty()),
                    "button without text: {b}"
                );
            }
        }
    }
}

/// The `inm-bot` binary: Cargo names it for tests; an example finds it beside its own directory.
fn bot_binary() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_inm-bot") {
        Some(p) => PathBuf::from(p),
        None => {
            let exe = std::env::current_exe().unwrap();
            exe.parent().and_then(Path::parent).unwrap().join("inm-bot")
        }
    }
}

/// The real bot binary, running against a fake API.
pub struct BotProcess {
    child: Child,
    pub log: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl BotProcess {
    /// Starts `inm-bot run` with its database at `db` (a fresh one when `None`).
    pub fn start(api: &FakeApi, db: Option<&Path>, extra_env: &[(&str, &str)]) -> BotProcess {
        let dir = tempfile::tempdir().unwrap();
        let db = db.map(Path::to_path_buf).unwrap_or_else(|| dir.path().join("bot.db"));
        let log = dir.path().join(format!("bot-{}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(bot_binary());
        cmd.arg("run")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", &api.url)
            .env("INM_BOT_DB", &db)
            .env("RUST_LOG", "info")
            .env_remove("INM_BOT_KNOWLEDGE")
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        BotProcess {
            child,
            log,
            _dir: Some(dir),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for a clean exit; returns the exit status.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let log = self.log_text();
                return (status, log);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the bot did not stop within 20 s of SIGTERM:\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The log without terminal colours.
pub fn strip_ansi(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

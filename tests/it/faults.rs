//! The bot under abuse and faults (issue 12), end to end against the fake Bot API: knowledge
//! files that are not files or are alias bombs, updates teloxide cannot parse, a database that
//! is missing, broken or lost, idle connections, an unreachable Bot API at start.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::operations::{copy_knowledge, free_port, http};
use crate::support::*;

const ADMIN: i64 = 4242;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unparseable_updates_leave_no_personal_data_in_the_log() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    // No `chat` and no `date`: teloxide cannot parse this message.
    api.push(json!({"message": {
        "message_id": 1,
        "text": "my password is sk-SECRET-4711",
        "from": {"id": 987_654_321, "is_bot": false, "first_name": "Zorrovich", "username": "zorro_handle"}
    }}));
    api.push(private_text(61, "en", "what time do you open?"));
    assert!(text(&api.nth_message_to(61, 1).await).contains("9"));
    // A getUpdates body that is not JSON at all, holding a message.
    api.fail_next(
        "GetUpdates",
        Fault::Body(
            "{\"ok\":true,\"result\":[{\"update_id\":99,\"message\":{\"text\":\"sk-SECRET-4711\",\"from\":{\"first_name\":\"Zorrovich",
        ),
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    api.push(private_text(61, "en", "where is the office?"));
    api.nth_message_to(61, 2).await;
    let log = stop_and_check(&api, bot);
    for secret in ["sk-SECRET", "Zorrovich", "zorro_handle", "987654321", "password"] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
    assert!(log.contains("skipped an update teloxide cannot parse"), "{log}");
    let plain = strip_ansi(&log);
    assert!(plain.contains("update_id=1 kind=\"message\""), "{plain}");
    assert!(log.contains("invalid JSON"), "{log}");
}

/// Waits until the bot's log has `n` lines containing `needle`.
async fn wait_for_log(bot: &BotProcess, needle: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while bot.log_text().matches(needle).count() < n {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} in the log:\n{}",
            bot.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A knowledge directory with a named pipe and then an alias bomb: the reload (SIGHUP and
/// /reload) is refused, the running knowledge base keeps answering, SIGTERM still stops it.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_of_a_pipe_or_a_bomb_keeps_the_running_knowledge_base() {
    let api = FakeApi::start().await;
    let kb = tempfile::tempdir().unwrap();
    copy_knowledge(kb.path());
    let kb_dir = kb.path().to_str().unwrap().to_string();
    let admins = ADMIN.to_string();
    let bot = BotProcess::start(
        &api,
        None,
        &[("INM_BOT_KNOWLEDGE", &kb_dir), ("INM_BOT_ADMINS", &admins)],
    );
    let user = 81;
    api.push(private_text(user, "en", "what time do you open?"));
    let hours = text(&api.nth_message_to(user, 1).await);

    let zz = kb.path().join("topics/zz.yaml");
    assert!(Command::new("mkfifo").arg(&zz).status().unwrap().success());
    let pid = bot.pid().to_string();
    assert!(Command::new("kill").args(["-HUP", &pid]).status().unwrap().success());
    wait_for_log(&bot, "knowledge base refused", 1).await;
    api.push(private_text(ADMIN, "en", "/reload"));
    let refused = text(&api.nth_message_to(ADMIN, 1).await);
    assert!(refused.contains("not a regular file"), "{refused}");
    api.push(private_text(user, "en", "what time do you open?"));
    assert_eq!(text(&api.nth_message_to(user, 2).await), hours);

    std::fs::remove_file(&zz).unwrap();
    let s = "x".repeat(100_000);
    let bomb = format!(
        "topics:\n  - id: a\n    keywords:\n      en: [&s \"{s}\", {}]\n",
        vec!["*s"; 5000].join(", ")
    );
    std::fs::write(&zz, bomb).unwrap();
    assert!(Command::new("kill").args(["-HUP", &pid]).status().unwrap().success());
    wait_for_log(&bot, "knowledge base refused", 3).await;
    api.push(private_text(ADMIN, "en", "/reload"));
    let refused = text(&api.nth_message_to(ADMIN, 2).await);
    assert!(
        refused.contains("zz.yaml:4:12") && refused.contains("anchors"),
        "{refused}"
    );
    api.push(private_text(user, "en", "what time do you open?"));
    assert_eq!(text(&api.nth_message_to(user, 3).await), hours);

    let start = Instant::now();
    let log = stop_and_check(&api, bot);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stopped after {:?}",
        start.elapsed()
    );
    assert!(log.contains("knowledge base refused"), "{log}");
}

/// GET `path` on the metrics listener.
async fn get(port: u16, path: &'static str) -> (u16, String) {
    tokio::task::spawn_blocking(move || http("GET", port, path, &[], ""))
        .await
        .unwrap()
}

/// The database's directory does not exist yet: the bot answers anyway, says once that
/// checklists are not saved, reports itself degraded, and uses the database once it can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_database_the_bot_answers_from_memory_and_recovers() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("later/bot.db");
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let bot = BotProcess::start(&api, Some(&db), &[("INM_BOT_METRICS", &addr)]);
    let user = 91;
    api.push(private_text(user, "en", "/hours"));
    assert!(text(&api.nth_message_to(user, 1).await).contains("9"));
    api.push(private_text(user, "en", "where is the office?"));
    assert!(!text(&api.nth_message_to(user, 2).await).is_empty());
    let (status, body) = get(port, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("degraded") && body.contains("bot.db"), "{body}");
    assert!(get(port, "/metrics").await.1.contains("inm_bot_database_up 0"));

    api.push(private_text(user, "en", "/checklist canje"));
    api.nth_message_to(user, 4).await;
    api.push(private_text(user, "en", "/checklist canje"));
    api.nth_message_to(user, 5).await;
    let told = api
        .calls_to("SendMessage")
        .iter()
        .filter(|c| c.body["chat_id"] == json!(user) && text(&c.body).contains("can't save checklists"))
        .count();
    assert_eq!(told, 1, "told once");

    std::fs::create_dir(dir.path().join("later")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(port, "/healthz").await.0 != 200 {
        assert!(
            Instant::now() < deadline,
            "the database was not reopened:\n{}",
            bot.log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(db.exists());
    let log = stop_and_check(&api, bot);
    assert!(strip_ansi(&log).contains("ERROR"), "{log}");
    assert!(log.contains("database is back in use"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_bot_on_the_same_database_is_refused() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let first = BotProcess::start(&api, Some(&db), &[]);
    api.push(private_text(95, "en", "/hours"));
    api.nth_message_to(95, 1).await;
    let other = FakeApi::start().await;
    let second = BotProcess::start(&other, Some(&db), &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !second.log_text().contains("another inm-bot is running") {
        assert!(Instant::now() < deadline, "{}", second.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = second.stop();
    assert!(!status.success());
    stop_and_check(&api, first);
}

/// Ticks of items no longer in the knowledge base do not count, and stay in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_counts_only_items_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    {
        let store = inm_bot::ops::store::Store::open(&db).unwrap();
        for item in ["passport_visa", "removed_item", "another_gone"] {
            store.toggle(97, "canje", item).unwrap();
        }
        store.flush().unwrap();
    }
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, Some(&db), &[]);
    api.push(private_text(97, "en", "/checklist canje"));
    let list = text(&api.nth_message_to(97, 1).await);
    assert!(list.contains("1 of 6 ready"), "{list}");
    assert_eq!(list.matches('✅').count(), 1, "{list}");
    stop_and_check(&api, bot);
    let store = inm_bot::ops::store::Store::open(&db).unwrap();
    assert_eq!(
        store.ticked(97, "canje").unwrap().len(),
        3,
        "kept should the items return"
    );
}

/// Nothing listens where the Bot API should be: every try is logged, then the bot gives up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_bot_api_is_retried_then_given_up() {
    let api = FakeApi::start().await;
    let dead = format!("http://127.0.0.1:{}", free_port());
    let bot = BotProcess::start(&api, None, &[("TELOXIDE_API_URL", &dead), ("INM_BOT_START_TRIES", "3")]);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(20);
    while !bot.log_text().contains("getMe failed after 3 tries") {
        assert!(Instant::now() < deadline, "{}", bot.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Waits of 1 s and 2 s between the three tries.
    assert!(start.elapsed() >= Duration::from_secs(3), "{:?}", start.elapsed());
    let (status, log) = bot.stop();
    assert!(!status.success());
    assert_eq!(log.matches("retrying getMe").count(), 2, "{log}");
    assert!(!log.contains(TOKEN.split(':').nth(1).unwrap()), "{log}");
}

/// Idle and slowloris connections, far more than the cap: /healthz still answers, the idle ones
/// are closed, a body that trickles in is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_connections_are_closed_and_health_still_answers() {
    use inm_bot::ops::http::{Limits, serve};
    use std::io::{Read, Write};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/healthz",
        axum::routing::any(|body: String| async move { format!("ok {}\n", body.len()) }),
    );
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        max_connections: 20,
        max_body: 1024,
    };
    tokio::spawn(serve(listener, router, limits, std::future::pending()));
    let (idle, slow) = tokio::task::spawn_blocking(move || {
        let idle: Vec<_> = (0..100)
            .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        let slow: Vec<_> = (0..10)
            .map(|_| {
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
                s
            })
            .collect();
        (idle, slow)
    })
    .await
    .unwrap();
    let start = Instant::now();
    let (status, body) = get(port, "/healthz").await;
    assert_eq!((status, body.trim()), (200, "ok 0"));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "answered after {:?}",
        start.elapsed()
    );

    // A body announced but trickling in is cut off.
    let (status, _) = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            .unwrap();
        let mut out = String::new();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.read_to_string(&mut out);
        (out.split_whitespace().nth(1).unwrap_or("").to_string(), out)
    })
    .await
    .unwrap();
    assert_eq!(status, "408");

    let closed = tokio::task::spawn_blocking(move || {
        idle.into_iter()
            .chain(slow)
            .filter(|s| {
                let mut s = s.try_clone().unwrap();
                s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
                let mut buf = [0u8; 256];
                // Closed: end of file (or a reset), after at most an error response.
                loop {
                    match s.read(&mut buf) {
                        Ok(0) => return true,
                        Ok(_) => continue,
                        Err(e) => {
                            return !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut);
                        }
                    }
                }
            })
            .count()
    })
    .await
    .unwrap();
    assert_eq!(closed, 110, "every idle and slow connection is closed");
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
}

#[test]
fn misses_refuses_a_file_that_is_not_its_database_and_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "just some notes, not SQLite\n".repeat(50)).unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    for (db, needle) in [(&notes, "not an inm-bot database"), (&other, "no `users` table")] {
        let out = Command::new(env!("CARGO_BIN_EXE_inm-bot"))
            .args(["misses", "--db"])
            .arg(db)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(needle), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap().len(),
        28 * 50,
        "left as it was"
    );
    let missing = dir.path().join("missing.db");
    let out = Command::new(env!("CARGO_BIN_EXE_inm-bot"))
        .args(["misses", "--db"])
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!missing.exists(), "never created");
}

/// Runs `inm-bot args` with `stdin` written from a thread (it may be large).
fn run_with_stdin(args: &[&str], stdin: Vec<u8>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inm-bot"))
        .args(args)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("INM_BOT_KNOWLEDGE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

#[test]
fn ask_and_chat_survive_bad_and_endless_standard_input() {
    // Not UTF-8 on the first line: answered anyway, and so is the next line.
    let out = run_with_stdin(
        &["ask", "--json"],
        b"what time do you\xff open?\nwhere is the office?\n".to_vec(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    // 32 MB of NUL bytes with no newline (as from /dev/zero), then a question: the overlong
    // line is skipped without being held, the question after it is answered.
    for cmd in ["ask", "chat"] {
        let mut input = vec![0u8; 32 << 20];
        input.extend_from_slice(b"\nwhat time do you open?\n");
        let out = run_with_stdin(&[cmd], input);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("9"), "{cmd}: {stdout}");
    }
}

#[test]
fn eval_refuses_an_empty_questions_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.tsv");
    std::fs::write(&empty, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_inm-bot"))
        .arg("eval")
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

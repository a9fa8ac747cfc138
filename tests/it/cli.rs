//! The `inm-bot` command line, run as a user would: ask, status, topics, eval, validate, chat.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_inm-bot"));
    // A developer's own settings must not leak into the tests.
    for var in ["TELOXIDE_TOKEN", "INM_BOT_KNOWLEDGE", "TELOXIDE_API_URL", "INM_BOT_DB"] {
        c.env_remove(var);
    }
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn ask_json_has_the_documented_fields() {
    let o = run(
        &["ask", "--json", "--at", "2026-09-16T10:00:00-06:00", "a que hora abren"],
        "",
    );
    assert!(o.status.success());
    let v = &json_lines(&o)[0];
    assert_eq!(v["question"], "a que hora abren");
    assert_eq!(v["topic"], "hours");
    assert_eq!(v["lang"], "es");
    assert!(v["score"].as_f64().unwrap() > 0.5);
    assert!(v["suggestions"].is_array());
    let answer = v["answer"].as_str().unwrap();
    assert!(answer.contains("Cerrado hoy (Día de la Independencia)"), "{answer}");
    assert!(
        answer.contains("gob.mx/inm"),
        "every answer ends with the reminder: {answer}"
    );
}

#[test]
fn ask_reads_questions_from_stdin_and_says_none() {
    let o = run(
        &["ask", "--json"],
        "where is the office\n\ntell me a joke\n¿Dónde está?\n",
    );
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 3, "blank lines are skipped");
    assert_eq!(rows[0]["topic"], "address");
    assert!(rows[1]["topic"].is_null());
    assert_eq!(rows[2]["lang"], "es");
}

#[test]
fn status_json_reports_holidays_and_next_change() {
    let o = run(&["status", "--json", "--at", "2026-09-16T10:00:00-06:00"], "");
    let v = &json_lines(&o)[0];
    assert_eq!(v["open"], false);
    assert_eq!(v["reason"], "holiday");
    assert_eq!(v["holiday"], "Independence Day");
    assert_eq!(v["next_change"], "2026-09-17T09:00:00-06:00");

    let o = run(&["status", "--json", "--at", "2026-11-27T16:00:00Z"], "");
    let v = &json_lines(&o)[0];
    assert_eq!(v["open"], true);
    assert_eq!(v["next_change"], "2026-11-27T15:00:00-06:00");
}

#[test]
fn a_bad_instant_is_a_clear_error() {
    let o = run(&["status", "--at", "yesterday"], "");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("RFC 3339"));
}

#[test]
fn topics_json_lists_indexed_text_per_language() {
    let o = run(&["topics", "--json"], "");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v.as_array().unwrap();
    let canje_es = rows.iter().find(|r| r["id"] == "canje" && r["lang"] == "es").unwrap();
    assert!(canje_es["text"].as_str().unwrap().contains("canje"));
    assert_eq!(rows.len() % 2, 0, "one row per topic and language");
}

#[test]
fn eval_prints_accuracy_and_fails_below_min() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/more_questions.tsv");
    let o = run(&["eval", file.to_str().unwrap(), "--min", "0.9"], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("in-scope"));
    let dir = tempfile::tempdir().unwrap();
    let hard = dir.path().join("hard.tsv");
    std::fs::write(&hard, "en\thours\tzzzz qqqq\nen\tcanje\txxxx\n").unwrap();
    let o = run(&["eval", hard.to_str().unwrap(), "--min", "95"], "");
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("\"zzzz qqqq\": expected hours, got none"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_reports_problems_and_exit_code() {
    let o = run(&["validate"], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("office.yaml"), "office:\n  name: [unclosed\n").unwrap();
    let o = run(&["validate", dir.path().to_str().unwrap()], "");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("office.yaml:"), "{err}");
}

#[test]
fn knowledge_flag_and_env_var_load_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["ask", "hours"])
        .env("INM_BOT_KNOWLEDGE", dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success(), "an empty directory is refused");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no .yaml files"));
}

#[test]
fn chat_runs_a_conversation_with_checklists() {
    let o = run(
        &["chat"],
        "hello\n/checklist canje\n/tick 1\n/tick 2\n/tick 1\ncard\n1\n/language es\n/quit\nnever read\n",
    );
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("1 of 6 ready"), "{out}");
    assert!(out.contains("✅ FMM entry form"), "{out}");
    assert!(out.contains("Did you mean"), "{out}");
    assert!(out.contains("Te responderé en español"), "{out}");
    assert!(!out.contains("never read"));
}

#[test]
fn no_subcommand_and_no_token_starts_the_console() {
    let o = run(&[], "what time do you open\n");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("TELOXIDE_TOKEN"));
    assert!(stdout(&o).contains("Opening hours"));
}

#[test]
fn chat_json_keeps_one_conversation_per_chat() {
    let input = [
        r#"{"text": "is it open this saturday?", "at": "2026-11-27T11:00:00-06:00", "chat": "a"}"#,
        r#"{"text": "y el martes?", "at": "2026-11-27T11:01:00-06:00", "chat": 7}"#,
        r#"{"text": "and at 4pm?", "at": "2026-11-27T11:02:00-06:00", "chat": "a"}"#,
        "where is the office",
        "",
    ]
    .join("\n");
    let o = run(&["chat", "--json", "--at", "2026-11-27T11:00:00-06:00"], &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json_lines(&o);
    assert_eq!(v.len(), 4, "one object per non-empty line");
    for turn in &v {
        for key in [
            "chat",
            "question",
            "topic",
            "fact",
            "when",
            "lang",
            "suggestions",
            "answer",
        ] {
            assert!(turn.get(key).is_some(), "{key} missing in {turn}");
        }
    }
    assert_eq!(v[0]["chat"], "a");
    assert_eq!(v[0]["topic"], "hours");
    assert_eq!(v[0]["when"], "2026-11-28T00:00:00-06:00");
    assert!(v[0]["answer"].as_str().unwrap().starts_with("Saturday 28 Nov: closed"));
    // Chat 7 has its own conversation, in Spanish.
    assert_eq!(v[1]["chat"], "7");
    assert_eq!(v[1]["lang"], "es");
    assert!(v[1]["answer"].as_str().unwrap().starts_with("Martes 1 de dic: abierto"));
    // Chat "a" remembers Saturday: "and at 4pm?" is 16:00 on that Saturday.
    assert_eq!(v[2]["when"], "2026-11-28T16:00:00-06:00");
    assert_eq!(v[2]["topic"], "hours");
    // A plain line is the text; it names no moment.
    assert_eq!(v[3]["question"], "where is the office");
    assert_eq!(v[3]["topic"], "address");
    assert!(v[3]["when"].is_null() && v[3]["fact"].is_null());
}

#[test]
fn chat_json_refuses_a_bad_instant() {
    let o = run(&["chat", "--json"], r#"{"text": "hola", "at": "yesterday"}"#);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("RFC 3339"));
}

#[test]
fn eval_reads_conversation_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id": "ok", "note": "passes", "turns": [{"text": "¿abren el sábado?", "at": "2026-11-27T11:00:00-06:00", "topic": "hours|holidays", "must": ["sabado 28 de nov: cerrado"]}, {"text": "y el lunes?", "at": "2026-11-27T11:01:00-06:00", "topic": "hours", "must": ["LUNES 30"], "must_not": ["abierto ahora"]}]}"#,
            "\n",
            r#"{"id": "bad", "turns": [{"text": "where is the office", "topic": "hours", "must": ["nowhere"], "must_not": ["ejercito"]}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let o = run(&["eval", file.to_str().unwrap()], "");
    let text = stdout(&o);
    assert!(text.contains("turns passed 2/3"), "{text}");
    assert!(text.contains("conversations passed 1/2"), "{text}");
    assert!(text.contains("[bad #1]"), "{text}");
    assert!(text.contains("topic: expected hours, got address"), "{text}");
    assert!(text.contains(r#"must "nowhere" did not match"#), "{text}");
    assert!(text.contains(r#"must_not "ejercito" matched"#), "{text}");
    let o = run(&["eval", "--json", "--min", "0.9", file.to_str().unwrap()], "");
    assert!(!o.status.success(), "2/3 is under the floor");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["turns"], 3);
    assert_eq!(v["turns_passed"], 2);
    assert_eq!(v["failures"][0]["conversation"], "bad");
}

#[test]
fn development_conversations_pass_their_floor() {
    let o = run(&["eval", "--min", "0.9", "tests/data/conversations.jsonl"], "");
    assert!(o.status.success(), "{}", stdout(&o));
}

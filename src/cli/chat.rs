//! `inm-bot chat --json`: a scripted conversation. One JSON object per line in
//! (`{"text", "at", "chat", "lang"}`, all but `text` optional; a line that is not a JSON object is
//! the text), one JSON object per line out, with a separate memory per `chat` as on Telegram.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Out;
use super::input::Lines;
use crate::answer::{Answer, Context, Engine};
use crate::knowledge::Lang;
use crate::memory::Memories;
use crate::render::{self, Format};

#[derive(Deserialize)]
struct Turn {
    text: String,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    chat: Option<Value>,
    #[serde(default)]
    lang: Option<Lang>,
}

/// Reads turns from `input` until it ends and answers each.
pub(super) fn chat_json(
    engine: &Engine,
    hint: Option<Lang>,
    at: Option<DateTime<Utc>>,
    input: impl BufRead,
    out: Out,
) -> Result<ExitCode> {
    let memories: Memories<String> = Memories::default();
    for line in Lines::new(input) {
        let line = line?;
        let raw = line.text.trim();
        if raw.is_empty() {
            continue;
        }
        let turn = parse(raw);
        let now = match turn.at.as_deref().map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => t.with_timezone(&Utc),
            Some(Err(e)) => anyhow::bail!(
                "{:?}: \"at\" is not an RFC 3339 instant ({e})",
                turn.at.unwrap_or_default()
            ),
            None => at.unwrap_or_else(Utc::now),
        };
        let chat = match &turn.chat {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        let before = memories.recall(&chat, now);
        let ctx = Context::new(turn.lang.or(hint), now).with_memory(before);
        let answer = engine.answer(&turn.text, &ctx);
        memories.store(chat.clone(), answer.remember(before, now));
        let v = turn_json(engine, &chat, &turn.text, &answer, now);
        writeln!(out, "{v}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn parse(raw: &str) -> Turn {
    if raw.starts_with('{')
        && let Ok(turn) = serde_json::from_str::<Turn>(raw)
    {
        return turn;
    }
    Turn {
        text: raw.to_string(),
        at: None,
        chat: None,
        lang: None,
    }
}

/// The printed object of one answered turn.
pub(crate) fn turn_json(engine: &Engine, chat: &str, question: &str, answer: &Answer, now: DateTime<Utc>) -> Value {
    let suggestions: Vec<&str> = answer.suggestions().iter().map(|&t| engine.topic_id(t)).collect();
    let tz = engine.calendar.time_zone();
    let when = answer.when.and_then(|m| {
        let t = m.time.unwrap_or(NaiveTime::MIN);
        tz.from_local_datetime(&m.date.and_time(t))
            .earliest()
            .map(|d| d.to_rfc3339())
    });
    json!({
        "chat": chat,
        "question": question,
        "topic": answer.topic().map(|t| engine.topic_id(t)),
        "fact": answer.fact,
        "when": when,
        "lang": answer.lang,
        "suggestions": suggestions,
        "answer": render::answer(engine, answer, now, Format::Plain),
    })
}

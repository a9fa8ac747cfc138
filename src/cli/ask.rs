//! `inm-bot ask` (one question, or one per line of standard input) and `inm-bot chat` (the
//! console conversation).

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::Out;
use super::input::Lines;
use crate::answer::{Context, Engine};
use crate::console;
use crate::knowledge::Lang;
use crate::render::{self, Format};

pub(super) fn chat(engine: &Engine, lang: Option<Lang>, out: Out) -> Result<ExitCode> {
    let stdin = std::io::stdin();
    console::run(engine, lang, Lines::new(stdin.lock()).map(|l| l.map(|l| l.text)), out)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn ask(
    engine: &Engine,
    question: &[String],
    hint: Option<Lang>,
    at: DateTime<Utc>,
    json: bool,
    explain: bool,
    out: Out,
) -> Result<ExitCode> {
    let ctx = Context::new(hint, at);
    if !question.is_empty() {
        ask_one(engine, &question.join(" "), &ctx, json, explain, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type one question per line (Ctrl-D to finish).");
    }
    for line in Lines::new(stdin.lock()) {
        let line = line?;
        if !line.text.trim().is_empty() {
            ask_one(engine, &line.text, &ctx, json, explain, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ask_one(engine: &Engine, question: &str, ctx: &Context, json: bool, explain: bool, out: Out) -> Result<()> {
    let (answer, explanation) = if explain {
        let (a, e) = engine.explain(question, ctx);
        (a, Some(e))
    } else {
        (engine.answer(question, ctx), None)
    };
    let text = render::answer(engine, &answer, ctx.at, Format::Plain);
    if json {
        let suggestions: Vec<&str> = answer.suggestions().iter().map(|&t| engine.topic_id(t)).collect();
        let mut v = json!({
            "question": question,
            "topic": answer.topic().map(|t| engine.topic_id(t)),
            "referral": answer.referral().map(|r| engine.kb.referrals[r].id.as_str()),
            "score": (answer.score() * 1000.0).round() / 1000.0,
            "confidence": answer.matched.confidence,
            "lang": answer.lang,
            "suggestions": suggestions,
            "answer": text,
        });
        if let Some(e) = &explanation {
            v["explain"] = json!(e.lines(&engine.kb));
        }
        writeln!(out, "{v}")?;
    } else {
        for line in explanation.iter().flat_map(|e| e.lines(&engine.kb)) {
            writeln!(out, "# {line}")?;
        }
        writeln!(out, "{text}\n")?;
    }
    Ok(())
}

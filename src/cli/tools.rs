//! The tools for people who write the knowledge base and run the bot: `status`, `topics`, `eval`,
//! `validate` and `misses`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Out, load};
use crate::answer::Engine;
use crate::calendar::Reason;
use crate::conversations;
use crate::eval;
use crate::knowledge::Lang;
use crate::matching;
use crate::ops::{misses, store::Store};
use crate::render;

pub(super) fn status(engine: &Engine, lang: Lang, at: DateTime<Utc>, json: bool, out: Out) -> Result<ExitCode> {
    let status = engine.calendar.status_at(at);
    if !json {
        writeln!(out, "{}", render::status_line(&status, lang))?;
        return Ok(ExitCode::SUCCESS);
    }
    let (reason, holiday) = match &status.reason {
        Reason::Open => ("open", None),
        Reason::Weekend => ("weekend", None),
        Reason::Holiday(c) => ("holiday", Some(c)),
        Reason::NoHoursToday => ("no_hours_today", None),
        Reason::BeforeOpening => ("before_opening", None),
        Reason::AfterClosing => ("after_closing", None),
    };
    let v = json!({
        "open": status.open,
        "reason": reason,
        "holiday": holiday.map(|c| c.name.get(lang).clone()),
        "customary": holiday.map(|c| c.customary),
        "at": status.at.to_rfc3339(),
        "next_change": status.next_change.map(|t| t.to_rfc3339()),
        "message": render::status_line(&status, lang),
    });
    writeln!(out, "{v}")?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn topics(engine: &Engine, json: bool, out: Out) -> Result<ExitCode> {
    if json {
        let v: Vec<_> = matching::indexed_text(&engine.kb)
            .iter()
            .map(|(id, lang, text)| json!({"id": id, "lang": lang, "text": text}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        for t in &engine.kb.topics {
            writeln!(out, "{:<22} {} | {}", t.id, t.title.en, t.title.es)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn eval(
    engine: &Engine,
    file: &Path,
    min: Option<f64>,
    min_rejection: Option<f64>,
    json: bool,
    out: Out,
) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    if conversations::is_conversations(&text) {
        return eval_conversations(engine, file, &text, min, json, out);
    }
    let cases = eval::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let report = eval::run(engine, &cases);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", eval::format_report(&report))?;
    }
    let as_ratio = |x: f64| if x > 1.0 { x / 100.0 } else { x };
    let mut ok = true;
    for (name, floor, got) in [
        ("in-scope accuracy", min, report.overall.accuracy()),
        ("rejection", min_rejection, report.overall.rejection()),
    ] {
        if let Some(m) = floor
            && got < as_ratio(m)
        {
            eprintln!("{name} {got:.3} is below the minimum {}", as_ratio(m));
            ok = false;
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `eval` on a conversation file: `min` is the floor on the share of turns passed.
fn eval_conversations(
    engine: &Engine,
    file: &Path,
    text: &str,
    min: Option<f64>,
    json: bool,
    out: Out,
) -> Result<ExitCode> {
    let convs = conversations::parse(text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let report = conversations::run(engine, &convs, Utc::now());
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", conversations::format_report(&report))?;
    }
    let floor = min.map(|m| if m > 1.0 { m / 100.0 } else { m });
    if let Some(f) = floor
        && report.turn_rate() < f
    {
        eprintln!("turns passed {:.3} is below the minimum {f}", report.turn_rate());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn validate(dir: Option<&Path>, out: Out) -> Result<ExitCode> {
    let result = crate::load_within(dir, crate::LOAD_DEADLINE);
    match result {
        Ok(engine) => {
            writeln!(
                out,
                "ok: {} ({} topics, {} referrals, {} closure rules, {} dated closures)",
                dir.map_or("built-in knowledge base".to_string(), |d| d.display().to_string()),
                engine.kb.topics.len(),
                engine.kb.referrals.len(),
                engine.kb.closures.rules.len(),
                engine.kb.closures.dated.len()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            eprint!("{problems}");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub(super) fn misses(
    knowledge: Option<&Path>,
    db: &Path,
    since: Option<chrono::NaiveDate>,
    json: bool,
    out: Out,
) -> Result<ExitCode> {
    if !db.exists() {
        anyhow::bail!("no database at {} (set --db or INM_BOT_DB)", db.display());
    }
    let store = Store::open_existing(db)?;
    let engine = load(knowledge)?;
    let since = since.map(|d| d.to_string()).unwrap_or_default();
    let groups = misses::group(&engine.matcher, &store.misses(&since)?);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&groups)?)?;
    } else if groups.is_empty() {
        writeln!(out, "No unanswered questions recorded.")?;
    } else {
        for g in &groups {
            let examples = g.examples.join("\" / \"");
            writeln!(
                out,
                "{:>5}  {}   (last {}; e.g. \"{examples}\")",
                g.count, g.key, g.last_seen
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

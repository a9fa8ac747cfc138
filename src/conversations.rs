//! Measuring understanding on conversation files (JSONL, one conversation a line:
//! `{"id", "turns": [{"text", "at", "topic", "must", "must_not"}]}`, see
//! `shared/eval/README.md`): each conversation is played turn by turn through `Engine::answer`
//! with its own memory, as a chat would be, and a turn passes when its topic is acceptable, every
//! `must` regex matches the answer text and no `must_not` does (case-insensitive, accents removed).

use chrono::{DateTime, Utc};
// fancy-regex: the files are written by people who think in Python's `re` (look-behind such as
// `(?<!no )abierto`); it hands plain patterns to the `regex` crate unchanged.
use fancy_regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::answer::{Context, Engine, Memory};
use crate::knowledge::Lang;
use crate::render::{self, Format};

/// Whether a file's text is a conversation file: its first line that is neither empty nor a
/// `#` comment is a JSON object.
pub fn is_conversations(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('{'))
}

#[derive(Deserialize)]
struct RawConversation {
    #[serde(default)]
    id: Option<serde_json::Value>,
    turns: Vec<RawTurn>,
}

#[derive(Deserialize)]
struct RawTurn {
    text: String,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    lang: Option<Lang>,
    #[serde(default)]
    must: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: String,
    pub turns: Vec<Turn>,
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub text: String,
    pub at: Option<DateTime<Utc>>,
    pub lang: Option<Lang>,
    /// Acceptable topic ids; `Some(empty)` for `none` (no confident answer); `None`: not checked.
    pub topic: Option<Vec<String>>,
    pub must: Vec<(String, Regex)>,
    pub must_not: Vec<(String, Regex)>,
}

/// Lower case is left to the regexes; accents are removed from both sides.
fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

fn regex(p: &str) -> Result<(String, Regex), String> {
    RegexBuilder::new(&fold(p))
        .case_insensitive(true)
        .delegate_size_limit(1 << 20)
        .build()
        .map(|r| (p.to_string(), r))
        .map_err(|e| format!("bad regex {p:?}: {e}"))
}

/// Parses a conversation file; a malformed line is an error naming the line.
pub fn parse(text: &str) -> Result<Vec<Conversation>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at_line = |e: String| format!("line {}: {e}", i + 1);
        let raw: RawConversation = serde_json::from_str(line).map_err(|e| at_line(e.to_string()))?;
        let id = match raw.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => format!("line {}", i + 1),
        };
        let mut turns = Vec::new();
        for t in raw.turns {
            let at = match t.at {
                Some(a) => Some(
                    DateTime::parse_from_rfc3339(&a)
                        .map_err(|e| at_line(format!("\"at\" {a:?}: {e}")))?
                        .with_timezone(&Utc),
                ),
                None => None,
            };
            let topic = t.topic.map(|s| match s.trim() {
                "none" => Vec::new(),
                s => s.split('|').map(|x| x.trim().to_string()).collect(),
            });
            let compile = |v: &[String]| v.iter().map(|p| regex(p)).collect::<Result<Vec<_>, _>>();
            turns.push(Turn {
                text: t.text,
                at,
                lang: t.lang,
                topic,
                must: compile(&t.must).map_err(at_line)?,
                must_not: compile(&t.must_not).map_err(at_line)?,
            });
        }
        if turns.is_empty() {
            return Err(at_line("a conversation with no turns".to_string()));
        }
        out.push(Conversation { id, turns });
    }
    if out.is_empty() {
        return Err("no conversations in the file".to_string());
    }
    Ok(out)
}

/// A turn that did not pass, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub conversation: String,
    /// 1-based.
    pub turn: usize,
    pub text: String,
    pub expected: Option<String>,
    pub got: Option<String>,
    /// The topic was not acceptable.
    pub wrong_topic: bool,
    /// `must` patterns that did not match.
    pub missing: Vec<String>,
    /// `must_not` patterns that matched.
    pub forbidden: Vec<String>,
    /// The start of the answer, to see what was said.
    pub answer: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub turns: usize,
    pub turns_passed: usize,
    pub conversations: usize,
    pub conversations_passed: usize,
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn turn_rate(&self) -> f64 {
        if self.turns == 0 {
            1.0
        } else {
            self.turns_passed as f64 / self.turns as f64
        }
    }
}

/// Plays every conversation; turns without an instant are sent at `now`.
pub fn run(engine: &Engine, conversations: &[Conversation], now: DateTime<Utc>) -> Report {
    let mut report = Report::default();
    for c in conversations {
        let mut memory = Memory::default();
        let mut all = true;
        for (i, turn) in c.turns.iter().enumerate() {
            let at = turn.at.unwrap_or(now);
            let before = memory.fresh(at);
            let answer = engine.answer(&turn.text, &Context::new(turn.lang, at).with_memory(before));
            memory = answer.remember(before, at);
            let text = fold(&render::answer(engine, &answer, at, Format::Plain));
            let got = answer.topic().map(|t| engine.topic_id(t).to_string());
            let wrong_topic = turn.topic.as_ref().is_some_and(|ok| {
                if ok.is_empty() {
                    got.is_some()
                } else {
                    !got.as_ref().is_some_and(|g| ok.contains(g))
                }
            });
            let missing: Vec<String> = turn
                .must
                .iter()
                .filter(|(_, r)| !r.is_match(&text).unwrap_or(false))
                .map(|(p, _)| p.clone())
                .collect();
            let forbidden: Vec<String> = turn
                .must_not
                .iter()
                .filter(|(_, r)| r.is_match(&text).unwrap_or(true))
                .map(|(p, _)| p.clone())
                .collect();
            report.turns += 1;
            if !wrong_topic && missing.is_empty() && forbidden.is_empty() {
                report.turns_passed += 1;
                continue;
            }
            all = false;
            report.failures.push(Failure {
                conversation: c.id.clone(),
                turn: i + 1,
                text: turn.text.clone(),
                expected: turn
                    .topic
                    .as_ref()
                    .map(|t| if t.is_empty() { "none".to_string() } else { t.join("|") }),
                got,
                wrong_topic,
                missing,
                forbidden,
                answer: text.chars().take(160).collect(),
            });
        }
        report.conversations += 1;
        if all {
            report.conversations_passed += 1;
        }
    }
    report
}

/// The human-readable report printed by `inm-bot eval` for a conversation file.
pub fn format_report(r: &Report) -> String {
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { a as f64 * 100.0 / b as f64 };
    let mut out = format!(
        "turns passed {}/{} = {:.1}%   conversations passed {}/{} = {:.1}%\n",
        r.turns_passed,
        r.turns,
        pct(r.turns_passed, r.turns),
        r.conversations_passed,
        r.conversations,
        pct(r.conversations_passed, r.conversations)
    );
    if !r.failures.is_empty() {
        out.push_str("\nfailing turns:\n");
    }
    for f in &r.failures {
        let mut why = Vec::new();
        if f.wrong_topic {
            why.push(format!(
                "topic: expected {}, got {}",
                f.expected.as_deref().unwrap_or("-"),
                f.got.as_deref().unwrap_or("none")
            ));
        }
        for p in &f.missing {
            why.push(format!("must {p:?} did not match"));
        }
        for p in &f.forbidden {
            why.push(format!("must_not {p:?} matched"));
        }
        out.push_str(&format!(
            "  [{} #{}] {:?}: {}\n      answer: {}\n",
            f.conversation,
            f.turn,
            f.text,
            why.join("; "),
            f.answer.replace('\n', " | ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_detects_and_reports_bad_lines() {
        let text = r#"{"id": "a", "note": "x", "turns": [{"text": "hi", "topic": "hours|holidays", "must": ["cerrad[oa]"], "kind": "?"}]}"#;
        assert!(is_conversations(&format!("\n{text}")));
        assert!(!is_conversations("en\thours\twhen?"));
        assert!(is_conversations(&format!("# a comment first\n{text}")));
        assert!(!is_conversations("# a comment first\nen\thours\twhen?"));
        let c = parse(text).unwrap();
        assert_eq!(c[0].id, "a");
        assert_eq!(
            c[0].turns[0].topic.as_deref(),
            Some(&["hours".to_string(), "holidays".to_string()][..])
        );
        assert!(c[0].turns[0].must[0].1.is_match(&fold("CERRADO")).unwrap());
        assert!(
            parse(r#"{"turns": [{"text": "x", "must": ["("]}]}"#)
                .unwrap_err()
                .contains("line 1")
        );
        assert!(parse("\n{\"turns\": []}").unwrap_err().contains("line 2"));
        assert!(parse("").is_err());
    }

    #[test]
    fn accents_are_removed_from_patterns_and_answers() {
        let (_, r) = regex("próxima apertura").unwrap();
        assert!(r.is_match(&fold("Próxima apertura: lunes")).unwrap());
    }

    #[test]
    fn look_behind_as_in_python() {
        let (_, r) = regex("(?<!no )esta abierto").unwrap();
        assert!(r.is_match(&fold("Sí, está abierto")).unwrap());
        assert!(!r.is_match(&fold("no está abierto")).unwrap());
    }
}

//! Measuring understanding on a questions file (`lang<TAB>expected_topics<TAB>question`, `#`
//! comments; `a|b` means either topic is right): accuracy on in-scope questions, correct rejection
//! of out-of-scope ones, the right topic among the suggestions, per language, and every miss. Each
//! question goes through the same decision as a user's message (`Engine::answer`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answer::{Context, Engine, Reply};
use crate::knowledge::Lang;
use crate::matching::Confidence;

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub lang: Lang,
    /// The acceptable topic ids; empty where the bot must not answer confidently (`none`).
    pub expected: Vec<String>,
    pub question: String,
}

/// Parses a questions file; a malformed line is an error naming the line.
pub fn parse(text: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let (Some(lang), Some(expected), Some(question)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(format!("line {}: expected 3 tab-separated columns", i + 1));
        };
        let lang = lang.parse::<Lang>().map_err(|e| format!("line {}: {e}", i + 1))?;
        let expected: Vec<String> = if expected.trim() == "none" {
            Vec::new()
        } else {
            expected.split('|').map(|t| t.trim().to_string()).collect()
        };
        cases.push(Case {
            lang,
            expected,
            question: question.to_string(),
        });
    }
    if cases.is_empty() {
        return Err("no questions in the file".to_string());
    }
    Ok(cases)
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub lang: Lang,
    pub question: String,
    pub expected: Vec<String>,
    pub got: Option<String>,
    pub confidence: Confidence,
    pub best: Option<String>,
    pub score: f32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub in_scope: usize,
    pub in_scope_correct: usize,
    /// In-scope questions not answered right that got the right topic among their buttons
    /// ("Did you mean", or a related topic).
    pub in_scope_suggested: usize,
    pub out_of_scope: usize,
    /// Out-of-scope questions that got no confident answer.
    pub rejected: usize,
    /// Of those, how many still got "Did you mean" suggestions rather than a plain "none".
    pub rejected_with_suggestions: usize,
    pub language_correct: usize,
    pub total: usize,
}

impl Tally {
    pub fn accuracy(&self) -> f64 {
        ratio(self.in_scope_correct, self.in_scope)
    }
    pub fn rejection(&self) -> f64 {
        ratio(self.rejected, self.out_of_scope)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub overall: Tally,
    pub per_lang: BTreeMap<Lang, Tally>,
    pub misses: Vec<Miss>,
}

/// Runs every case through the engine, as messages sent at one instant.
pub fn run(engine: &Engine, cases: &[Case]) -> Report {
    let mut report = Report::default();
    let ctx = Context::new(None, chrono::Utc::now());
    for case in cases {
        let answer = engine.answer(&case.question, &ctx);
        let id = |t: usize| engine.topic_id(t).to_string();
        let got = answer.topic().map(id);
        let best = answer.matched.best.map(|b| id(b.topic));
        let acceptable = |t: &str| case.expected.iter().any(|e| e == t);
        let right = got.as_deref().is_some_and(acceptable);
        let suggested = !right && answer.suggestions().iter().any(|&t| acceptable(engine.topic_id(t)));
        for tally in [&mut report.overall, report.per_lang.entry(case.lang).or_default()] {
            tally.total += 1;
            if answer.lang == case.lang {
                tally.language_correct += 1;
            }
            if case.expected.is_empty() {
                tally.out_of_scope += 1;
                if got.is_none() {
                    tally.rejected += 1;
                    if matches!(answer.reply, Reply::Suggestions { .. }) {
                        tally.rejected_with_suggestions += 1;
                    }
                }
            } else {
                tally.in_scope += 1;
                if right {
                    tally.in_scope_correct += 1;
                } else if suggested {
                    tally.in_scope_suggested += 1;
                }
            }
        }
        let ok = if case.expected.is_empty() { got.is_none() } else { right };
        if !ok {
            report.misses.push(Miss {
                lang: case.lang,
                question: case.question.clone(),
                expected: case.expected.clone(),
                got,
                confidence: answer.matched.confidence,
                best,
                score: answer.score(),
            });
        }
    }
    report
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The human-readable report printed by `inm-bot eval`.
pub fn format_report(r: &Report) -> String {
    let mut out = String::new();
    let line = |name: &str, t: &Tally| {
        format!(
            "{name:<8} in-scope {}/{} = {} (+{} among the suggestions)   none rejected {}/{} = {} ({} with suggestions)   language {}/{}\n",
            t.in_scope_correct,
            t.in_scope,
            pct(t.accuracy()),
            t.in_scope_suggested,
            t.rejected,
            t.out_of_scope,
            pct(t.rejection()),
            t.rejected_with_suggestions,
            t.language_correct,
            t.total
        )
    };
    out.push_str(&line("overall", &r.overall));
    for (lang, t) in &r.per_lang {
        out.push_str(&line(lang.code(), t));
    }
    if !r.misses.is_empty() {
        out.push_str("\nmisses:\n");
        for m in &r.misses {
            out.push_str(&format!(
                "  [{}] {:?}: expected {}, got {} ({:?}, best {} at {:.2})\n",
                m.lang,
                m.question,
                if m.expected.is_empty() {
                    "none".to_string()
                } else {
                    m.expected.join("|")
                },
                m.got.as_deref().unwrap_or("none"),
                m.confidence,
                m.best.as_deref().unwrap_or("-"),
                m.score
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_bad_lines() {
        let cases = parse("# c\nen\thours\twhen?\nes\tnone\tchiste\n").unwrap();
        assert_eq!(cases.len(), 2);
        assert!(cases[1].expected.is_empty());
        let either = parse("en\thours|holidays\topen on christmas?").unwrap();
        assert_eq!(either[0].expected, ["hours", "holidays"]);
        assert!(parse("# only a comment\n").unwrap_err().contains("no questions"));
        assert!(parse("en\thours").unwrap_err().contains("line 1"));
        assert!(parse("fr\thours\tx").unwrap_err().contains("line 1"));
    }
}

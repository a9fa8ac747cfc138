//! Measuring the matcher on a questions file (`lang<TAB>expected_topic<TAB>question`, `#` comments):
//! accuracy on in-scope questions, correct rejection of out-of-scope ones, per language, and misses.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Engine;
use crate::knowledge::Lang;
use crate::matching::Confidence;

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub lang: Lang,
    /// `None` where the bot must say it does not know.
    pub expected: Option<String>,
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
        let expected = (expected != "none").then(|| expected.to_string());
        cases.push(Case {
            lang,
            expected,
            question: question.to_string(),
        });
    }
    Ok(cases)
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub lang: Lang,
    pub question: String,
    pub expected: Option<String>,
    pub got: Option<String>,
    pub confidence: Confidence,
    pub best: Option<String>,
    pub score: f32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub in_scope: usize,
    pub in_scope_correct: usize,
    /// In-scope questions that got only suggestions, with the right topic first.
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

/// Runs every case through the engine.
pub fn run(engine: &Engine, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        let m = engine.matcher.find(&case.question, None);
        let got = m.topic().map(|t| engine.topic_id(t).to_string());
        let best = m.best.map(|b| engine.topic_id(b.topic).to_string());
        for tally in [&mut report.overall, report.per_lang.entry(case.lang).or_default()] {
            tally.total += 1;
            if m.lang == case.lang {
                tally.language_correct += 1;
            }
            match &case.expected {
                Some(exp) => {
                    tally.in_scope += 1;
                    if got.as_deref() == Some(exp) {
                        tally.in_scope_correct += 1;
                    } else if m.confidence == Confidence::Weak && best.as_deref() == Some(exp) {
                        tally.in_scope_suggested += 1;
                    }
                }
                None => {
                    tally.out_of_scope += 1;
                    if got.is_none() {
                        tally.rejected += 1;
                        if m.confidence == Confidence::Weak {
                            tally.rejected_with_suggestions += 1;
                        }
                    }
                }
            }
        }
        if got != case.expected {
            report.misses.push(Miss {
                lang: case.lang,
                question: case.question.clone(),
                expected: case.expected.clone(),
                got,
                confidence: m.confidence,
                best,
                score: m.score(),
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
            "{name:<8} in-scope {}/{} = {} (+{} only suggested)   none rejected {}/{} = {} ({} with suggestions)   language {}/{}\n",
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
                m.expected.as_deref().unwrap_or("none"),
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
        assert_eq!(cases[1].expected, None);
        assert!(parse("en\thours").unwrap_err().contains("line 1"));
        assert!(parse("fr\thours\tx").unwrap_err().contains("line 1"));
    }
}

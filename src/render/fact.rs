//! One fact of a procedure in words: the fact as the knowledge base gives it, a deadline worked out
//! from a date in the question, the checklist for "what documents", or plainly that the sources do
//! not give it, with where to look.

use chrono::Duration;

use super::Format;
use super::time::date_text;
use crate::answer::Engine;
use crate::dates::Moment;
use crate::knowledge::{Counted, FactKind, Lang};
use crate::ui;

/// What a fact is called in a sentence ("I don't have the fee for…").
fn name(kind: FactKind) -> ui::Ui {
    match kind {
        FactKind::Fee => ui::FACT_FEE,
        FactKind::Deadline => ui::FACT_DEADLINE,
        FactKind::Documents => ui::FACT_DOCUMENTS,
        FactKind::Form => ui::FACT_FORM,
        FactKind::Validity => ui::FACT_VALIDITY,
        FactKind::Who => ui::FACT_WHO,
        FactKind::Where => ui::FACT_WHERE,
        FactKind::Duration => ui::FACT_DURATION,
    }
}

/// The lines an answer about one fact starts with.
pub(super) fn lead(
    engine: &Engine,
    topic: usize,
    kind: FactKind,
    when: Option<Moment>,
    lang: Lang,
    fmt: Format,
) -> String {
    let t = &engine.kb.topics[topic];
    if let Some(fact) = t.facts.get(&kind) {
        let mut out = fmt.text(fact.answer.get(lang).trim());
        if let (Some(rule), Some(moment)) = (fact.days, when) {
            let days = Duration::days(rule.days);
            let line = match rule.counted {
                Counted::After => ui::fill(ui::DEADLINE_BY.get(lang), &date_with_year(moment.date + days, lang)),
                Counted::Before => ui::fill(ui::WINDOW_FROM.get(lang), &date_with_year(moment.date - days, lang)),
            };
            out.push_str("\n\n");
            out.push_str(&fmt.bold(&format!(
                "{} {line}",
                ui::fill(ui::IF_DATE.get(lang), &date_with_year(moment.date, lang))
            )));
        }
        return out;
    }
    if kind == FactKind::Documents && !t.checklist.is_empty() {
        let mut out = fmt.bold(&ui::fill(ui::WHAT_TO_BRING.get(lang), t.title.get(lang)));
        for item in &t.checklist {
            out.push_str("\n☐ ");
            out.push_str(&fmt.text(item.text(lang)));
        }
        return out;
    }
    let missing = ui::fill(ui::FACT_UNKNOWN.get(lang), name(kind).get(lang));
    fmt.text(&ui::fill(&missing, t.title.get(lang)))
}

fn date_with_year(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    format!("{} {}", date_text(d, lang), d.year())
}

/// A short context after a fact: the topic answer's first paragraph.
pub(super) fn context(answer: &str) -> &str {
    answer.trim().split("\n\n").next().unwrap_or("").trim_end()
}

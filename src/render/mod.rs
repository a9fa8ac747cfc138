//! Turning answers into text: plain text for the console and `ask`, Telegram HTML for the bot,
//! with the live pieces of answers filled in (open/closed status, weekly hours, next closures,
//! map link). `html` holds Telegram's markup and length rules, `time` the calendar in words.

use chrono::{DateTime, Utc};

use crate::answer::{Answer, Engine, Reply};
use crate::dates::Moment;
use crate::knowledge::{FactKind, Lang, Office, Problem};
use crate::matching::SmallTalk;
use crate::ui;

mod fact;
mod html;
mod time;
mod verdict;

pub use html::{TELEGRAM_LIMIT, escape_html, html_to_text, html_visible_len, split_html, utf16_len};
pub use time::{closures_text, date_text, days_text, hours_text, ranges_text, status_line, time_text, weekday_name};
pub use verdict::verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Html,
}

impl Format {
    /// Escapes user-facing text for this format.
    pub fn text(self, s: &str) -> String {
        match self {
            Format::Plain => s.to_string(),
            Format::Html => escape_html(s),
        }
    }

    pub fn bold(self, s: &str) -> String {
        match self {
            Format::Plain => s.to_string(),
            Format::Html => format!("<b>{}</b>", escape_html(s)),
        }
    }

    pub fn italic(self, s: &str) -> String {
        match self {
            Format::Plain => s.to_string(),
            Format::Html => format!("<i>{}</i>", escape_html(s)),
        }
    }
}

/// A map search by address (more reliable than a pin no source confirms).
pub fn map_link(office: &Office) -> String {
    let q: String = url::form_urlencoded::byte_serialize(office.map_query.as_bytes()).collect();
    format!("https://www.google.com/maps/search/?api=1&query={q}")
}

/// Fills an answer's placeholders for the instant `now`.
pub fn fill(engine: &Engine, text: &str, lang: Lang, now: DateTime<Utc>) -> String {
    fill_with(engine, text, lang, now, true)
}

/// Like `fill`; without `status`, the "open now?" line is left out (the answer is about another day).
fn fill_with(engine: &Engine, text: &str, lang: Lang, now: DateTime<Utc>, status: bool) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let cal = &engine.calendar;
    let mut out = String::with_capacity(text.len() + 200);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        let value = match name {
            "status" if !status => String::new(),
            "status" => status_line(&cal.status_at(now), lang),
            "hours" => hours_text(cal, lang),
            "address" => engine.kb.office.address.clone(),
            "map_link" => map_link(&engine.kb.office),
            "closures" => closures_text(cal, now.with_timezone(&cal.time_zone()).date_naive(), lang),
            other => format!("{{{other}}}"),
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What an answer about a topic leads with.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Focus {
    /// The fact asked for ("how much is it?"): said first, then a short context.
    pub fact: Option<FactKind>,
    /// The moment asked about.
    pub when: Option<Moment>,
}

impl Focus {
    pub fn of(answer: &Answer) -> Focus {
        Focus {
            fact: answer.fact,
            when: answer.when,
        }
    }
}

/// A topic's full answer: title, text, optionally its checklist (unticked), and the reminder.
pub fn topic(engine: &Engine, topic: usize, lang: Lang, now: DateTime<Utc>, fmt: Format, checklist: bool) -> String {
    focused(engine, topic, Focus::default(), lang, now, fmt, checklist)
}

/// A topic's answer led by what the question asked for: an hours or holidays answer about a
/// moment leads with the verdict for it (and leaves out "open now" when the moment is another
/// day); an answer about one fact leads with the fact (or plainly that the sources do not give
/// it), then the topic's first paragraph as context.
pub fn focused(
    engine: &Engine,
    topic: usize,
    focus: Focus,
    lang: Lang,
    now: DateTime<Utc>,
    fmt: Format,
    checklist: bool,
) -> String {
    let t = &engine.kb.topics[topic];
    let when = focus.when.filter(|_| engine.is_opening_topic(topic));
    let mut out = String::new();
    let mut status = true;
    if let Some(m) = &when {
        out.push_str(&fmt.bold(&verdict(&engine.calendar, m, lang, now)));
        out.push_str("\n\n");
        let today = now.with_timezone(&engine.calendar.time_zone()).date_naive();
        status = m.date == today && m.days == 1 && m.time.is_none() && m.part.is_none();
    }
    out.push_str(&fmt.bold(t.title.get(lang)));
    out.push_str("\n\n");
    let answer = fill_with(engine, t.answer.get(lang), lang, now, status);
    let mut checklist = checklist;
    match focus.fact {
        Some(kind) => {
            out.push_str(&fact::lead(engine, topic, kind, focus.when, lang, fmt));
            if kind == FactKind::Documents {
                checklist = false;
            }
            out.push_str("\n\n");
            out.push_str(&fmt.text(fact::context(&answer)));
        }
        None => out.push_str(&fmt.text(answer.trim())),
    }
    if checklist && !t.checklist.is_empty() {
        out.push_str("\n\n");
        out.push_str(&fmt.bold(ui::CHECKLIST_HEADING.get(lang)));
        for item in &t.checklist {
            out.push_str("\n☐ ");
            out.push_str(&fmt.text(item.text(lang)));
        }
    }
    out.push_str("\n\n");
    out.push_str(&fmt.italic(engine.kb.office.reminder.get(lang)));
    out
}

/// The reply to a greeting or thanks.
pub fn small_talk(talk: SmallTalk, lang: Lang, fmt: Format) -> String {
    fmt.text(match talk {
        SmallTalk::Greeting => ui::GREETING.get(lang),
        SmallTalk::Thanks => ui::THANKS.get(lang),
        SmallTalk::Goodbye => ui::GOODBYE.get(lang),
        SmallTalk::Ack => ui::ACK.get(lang),
        SmallTalk::AboutBot => ui::ABOUT_BOT.get(lang),
    })
}

/// The reply when nothing fits: what the bot can help with.
pub fn unknown(lang: Lang, fmt: Format) -> String {
    fmt.text(ui::UNKNOWN.get(lang))
}

/// "3 of 7 ready" / "3 de 7 listos".
pub fn progress(done: usize, total: usize, lang: Lang) -> String {
    let count = format!("{done}{}{total}", ui::OF.get(lang));
    let text = if done == total && total > 0 {
        ui::PROGRESS_DONE
    } else {
        ui::PROGRESS
    };
    ui::fill(text.get(lang), &count)
}

/// A whole answer as text, for the console and `ask` (Telegram adds buttons instead of lists).
pub fn answer(engine: &Engine, answer: &Answer, now: DateTime<Utc>, fmt: Format) -> String {
    let lang = answer.lang;
    match &answer.reply {
        Reply::Topic { topic: t, .. } => focused(engine, *t, Focus::of(answer), lang, now, fmt, true),
        Reply::Suggestions { topics } => {
            let mut out = fmt.text(ui::DID_YOU_MEAN.get(lang));
            for t in topics {
                out.push_str("\n• ");
                out.push_str(&fmt.text(engine.kb.topics[*t].title.get(lang)));
            }
            out
        }
        Reply::Referral(r) => referral(engine, *r, lang, fmt),
        Reply::Unknown => unknown(lang, fmt),
        Reply::SmallTalk(talk) => small_talk(*talk, lang, fmt),
    }
}

/// Where to go for something this office does not do, and what the bot can help with.
pub fn referral(engine: &Engine, referral: usize, lang: Lang, fmt: Format) -> String {
    let r = &engine.kb.referrals[referral];
    format!(
        "{}\n\n{}",
        fmt.text(r.answer.get(lang).trim()),
        fmt.italic(ui::REFERRAL_TAIL.get(lang))
    )
}

/// Every rendered answer must fit one Telegram message: the problems of those that do not.
pub fn check_lengths(engine: &Engine) -> Vec<Problem> {
    let now = Utc::now();
    let mut problems = Vec::new();
    for (i, t) in engine.kb.topics.iter().enumerate() {
        for lang in Lang::ALL {
            let html = topic(engine, i, lang, now, Format::Html, true);
            let len = html_visible_len(&html);
            if len > TELEGRAM_LIMIT {
                let at = format!("answer.{lang}");
                let problem = |m: String| match engine.kb.sources.get(i) {
                    Some(src) => src.problem(&at, m),
                    None => Problem::new(engine.kb.origin.clone(), m),
                };
                problems.push(problem(format!(
                    "topic '{}': the {lang} answer is {len} characters once rendered, over Telegram's {TELEGRAM_LIMIT}",
                    t.id
                )));
            }
        }
    }
    problems
}

//! Turning answers into text: plain text for the console and `ask`, Telegram HTML for the bot.
//! Also the live pieces of answers (open/closed status, weekly hours, next closures, map link) and
//! Telegram's length rules (UTF-16 code units after entity parsing).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use crate::calendar::{Calendar, Reason, Status};
use crate::engine::{Answer, Engine};
use crate::knowledge::{Lang, Office};
use crate::matching::SmallTalk;

/// Telegram's limit for one message's text.
pub const TELEGRAM_LIMIT: usize = 4096;

/// How many upcoming closures `{closures}` lists.
const CLOSURES_LISTED: usize = 6;

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

/// Escapes the three characters Telegram's HTML mode requires (and quotes, for attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Length in UTF-16 code units, as Telegram counts.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The visible length of Telegram HTML: tags removed, entities counted as one character.
pub fn html_visible_len(html: &str) -> usize {
    utf16_len(&html_to_text(html))
}

/// What the user sees of a Telegram HTML text (tags dropped, the four entities decoded).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        } else {
            let (decoded, len) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"')]
                .iter()
                .find(|(e, _)| rest.starts_with(e))
                .map_or(('&', 1), |(e, c)| (*c, e.len()));
            out.push(decoded);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    out
}

/// One piece of Telegram HTML: a tag, or one visible character (an entity counts as one).
enum Unit<'a> {
    Open { raw: &'a str, name: &'a str },
    Close { raw: &'a str },
    Visible { raw: &'a str, len: usize },
}

fn units(html: &str) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let end = if c == '<' {
            rest.find('>').map(|e| e + 1)
        } else if c == '&' {
            rest.find(';').filter(|&e| e <= 6).map(|e| e + 1)
        } else {
            None
        };
        match (c, end) {
            ('<', Some(e)) => {
                let raw = &rest[..e];
                if raw.starts_with("</") {
                    out.push(Unit::Close { raw });
                } else {
                    let name_end = raw[1..]
                        .find(|ch: char| ch == '>' || ch.is_whitespace())
                        .map_or(raw.len() - 1, |n| n + 1);
                    out.push(Unit::Open {
                        raw,
                        name: &raw[1..name_end],
                    });
                }
                i += e;
            }
            ('&', Some(e)) => {
                out.push(Unit::Visible {
                    raw: &rest[..e],
                    len: 1,
                });
                i += e;
            }
            _ => {
                let l = c.len_utf8();
                out.push(Unit::Visible {
                    raw: &rest[..l],
                    len: c.len_utf16(),
                });
                i += l;
            }
        }
    }
    out
}

/// Tags open at a point: (raw opening tag, tag name).
type OpenTags<'a> = Vec<(&'a str, &'a str)>;

/// Splits Telegram HTML into messages of at most `limit` visible UTF-16 units: at paragraph
/// breaks when it can, else at line breaks, else between words, else anywhere; never inside a
/// tag or an entity. Tags open at a cut are closed and reopened, so every part is balanced.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    let units = units(html);
    let mut parts = Vec::new();
    let mut start = 0;
    // Tags open at `start` (raw opening tag, name), to reopen in the next part.
    let mut carried: OpenTags = Vec::new();
    while start < units.len() {
        let mut stack = carried.clone();
        let mut visible = 0;
        // (unit index after the best break so far, its priority, the tags open there)
        let mut best: Option<(usize, u8, OpenTags)> = None;
        let mut i = start;
        let mut prev_newline = false;
        while i < units.len() {
            match &units[i] {
                Unit::Open { raw, name } => stack.push((raw, name)),
                Unit::Close { .. } => {
                    stack.pop();
                }
                Unit::Visible { raw, len } => {
                    if visible + len > limit {
                        break;
                    }
                    visible += len;
                    let priority = match *raw {
                        "\n" if prev_newline => 3,
                        "\n" => 2,
                        " " => 1,
                        _ => 0,
                    };
                    prev_newline = *raw == "\n";
                    if best.as_ref().is_none_or(|(_, p, _)| priority >= *p) {
                        best = Some((i + 1, priority, stack.clone()));
                    }
                }
            }
            i += 1;
        }
        let (end, stack_at_end) = if i >= units.len() {
            (units.len(), stack)
        } else {
            match best {
                Some((end, _, st)) => (end, st),
                // Not even one visible unit fits (limit 0): give up rather than loop.
                None => (units.len(), stack),
            }
        };
        let mut part = String::new();
        for (raw, _) in &carried {
            part.push_str(raw);
        }
        for u in &units[start..end] {
            part.push_str(match u {
                Unit::Open { raw, .. } | Unit::Close { raw } | Unit::Visible { raw, .. } => raw,
            });
        }
        for (_, name) in stack_at_end.iter().rev() {
            part.push_str(&format!("</{name}>"));
        }
        let trimmed = part.trim_end_matches('\n').to_string();
        if !html_to_text(&trimmed).trim().is_empty() {
            parts.push(trimmed);
        }
        carried = stack_at_end;
        start = end;
        // Do not begin a part with the line breaks the cut fell on.
        while let Some(Unit::Visible { raw: "\n", .. }) = units.get(start) {
            start += 1;
        }
    }
    parts
}

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_ES: [&str; 7] = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];

fn weekday_name(d: Weekday, lang: Lang) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match lang {
        Lang::En => WEEKDAYS_EN[i],
        Lang::Es => WEEKDAYS_ES[i],
    }
}

/// "Thursday 17 Sep" / "jueves 17 de sep".
pub fn date_text(date: NaiveDate, lang: Lang) -> String {
    let m = date.month0() as usize;
    match lang {
        Lang::En => format!("{} {} {}", weekday_name(date.weekday(), lang), date.day(), MONTHS_EN[m]),
        Lang::Es => format!(
            "{} {} de {}",
            weekday_name(date.weekday(), lang),
            date.day(),
            MONTHS_ES[m]
        ),
    }
}

type Range = (NaiveTime, NaiveTime);

fn time_text(t: NaiveTime) -> String {
    t.format("%-H:%M").to_string()
}

/// "Open now, closes at 15:00." / "Closed today (Independence Day); opens Thursday 17 Sep at 9:00."
pub fn status_line(status: &Status, lang: Lang) -> String {
    let today = status.at.date_naive();
    let when = |t: &DateTime<chrono_tz::Tz>| -> String {
        let d = t.date_naive();
        let time = time_text(t.time());
        match lang {
            Lang::En if d == today => format!("today at {time}"),
            Lang::En if d == today + Duration::days(1) => format!("tomorrow, {}, at {time}", date_text(d, lang)),
            Lang::En => format!("{} at {time}", date_text(d, lang)),
            Lang::Es if d == today => format!("hoy a las {time}"),
            Lang::Es if d == today + Duration::days(1) => format!("mañana, {}, a las {time}", date_text(d, lang)),
            Lang::Es => format!("el {} a las {time}", date_text(d, lang)),
        }
    };
    let next = status.next_change.as_ref().map(when);
    match (&status.reason, lang) {
        (Reason::Open, Lang::En) => format!(
            "🟢 Open now, closes at {}.",
            status.next_change.map(|t| time_text(t.time())).unwrap_or_default()
        ),
        (Reason::Open, Lang::Es) => format!(
            "🟢 Abierto ahora; cierra a las {}.",
            status.next_change.map(|t| time_text(t.time())).unwrap_or_default()
        ),
        (reason, _) => {
            let why = match (reason, lang) {
                (Reason::Weekend, Lang::En) => "Closed today (weekend)".to_string(),
                (Reason::Weekend, Lang::Es) => "Cerrado hoy (fin de semana)".to_string(),
                (Reason::Holiday(c), Lang::En) if c.customary => {
                    format!("Closed today ({}, a customary closure: check before going)", c.name.en)
                }
                (Reason::Holiday(c), Lang::Es) if c.customary => {
                    format!("Cerrado hoy ({}, cierre habitual: confirma antes de ir)", c.name.es)
                }
                (Reason::Holiday(c), Lang::En) => format!("Closed today ({})", c.name.en),
                (Reason::Holiday(c), Lang::Es) => format!("Cerrado hoy ({})", c.name.es),
                (Reason::NoHoursToday, Lang::En) => "Closed today".to_string(),
                (Reason::NoHoursToday, Lang::Es) => "Cerrado hoy".to_string(),
                (Reason::BeforeOpening, Lang::En) => "Closed now".to_string(),
                (Reason::BeforeOpening, Lang::Es) => "Cerrado ahora".to_string(),
                (_, Lang::En) => "Closed now (closed for the day)".to_string(),
                (_, Lang::Es) => "Cerrado ahora (ya cerró por hoy)".to_string(),
            };
            match (next, lang) {
                (Some(n), Lang::En) => format!("🔴 {why}; opens {n}."),
                (Some(n), Lang::Es) => format!("🔴 {why}; abre {n}."),
                (None, _) => format!("🔴 {why}."),
            }
        }
    }
}

/// The weekly hours: "Monday to Friday, 9:00-15:00" / "de lunes a viernes, de 9:00 a 15:00".
pub fn hours_text(cal: &Calendar, lang: Lang) -> String {
    let days: Vec<Weekday> = (0..7u8).filter_map(|i| Weekday::try_from(i).ok()).collect();
    // Runs of consecutive days with the same ranges: (first day, last day, ranges).
    let mut groups: Vec<(Weekday, Weekday, &[Range])> = Vec::new();
    for d in days {
        let ranges = cal.hours_on(d);
        if ranges.is_empty() {
            continue;
        }
        match groups.last_mut() {
            Some((_, last, r)) if *r == ranges && last.succ() == d => *last = d,
            _ => groups.push((d, d, ranges)),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(first, last, ranges)| {
            let times: Vec<String> = ranges
                .iter()
                .map(|(o, c)| match lang {
                    Lang::En => format!("{}-{}", time_text(*o), time_text(*c)),
                    Lang::Es => format!("de {} a {}", time_text(*o), time_text(*c)),
                })
                .collect();
            let sep = match lang {
                Lang::En => " and ",
                Lang::Es => " y ",
            };
            let (a, b) = (weekday_name(*first, lang), weekday_name(*last, lang));
            match (lang, first == last) {
                (Lang::En, true) => format!("{a}, {}", times.join(sep)),
                (Lang::En, false) => format!("{a} to {b}, {}", times.join(sep)),
                (Lang::Es, true) => format!("los {a}, {}", times.join(sep)),
                (Lang::Es, false) => format!("de {a} a {b}, {}", times.join(sep)),
            }
        })
        .collect();
    parts.join("; ")
}

/// The next closed working days, one per line.
pub fn closures_text(cal: &Calendar, from: NaiveDate, lang: Lang) -> String {
    let list = cal.upcoming_closures(from, CLOSURES_LISTED);
    if list.is_empty() {
        return match lang {
            Lang::En => "• none in the coming year".to_string(),
            Lang::Es => "• ninguno en el próximo año".to_string(),
        };
    }
    list.iter()
        .map(|u| {
            let mut line = if u.from == u.until {
                format!(
                    "• {} {}: {}",
                    date_text(u.from, lang),
                    u.from.year(),
                    u.closure.name.get(lang)
                )
            } else {
                let to = match lang {
                    Lang::En => "to",
                    Lang::Es => "al",
                };
                format!(
                    "• {} {to} {} {}: {}",
                    date_text(u.from, lang),
                    date_text(u.until, lang),
                    u.until.year(),
                    u.closure.name.get(lang)
                )
            };
            if u.closure.customary {
                line.push_str(match lang {
                    Lang::En => " (customary, check)",
                    Lang::Es => " (habitual, confirma)",
                });
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A map search by address (more reliable than a pin no source confirms).
pub fn map_link(office: &Office) -> String {
    let q: String = url::form_urlencoded::byte_serialize(office.map_query.as_bytes()).collect();
    format!("https://www.google.com/maps/search/?api=1&query={q}")
}

/// Fills an answer's placeholders for the instant `now`.
pub fn fill(engine: &Engine, text: &str, lang: Lang, now: DateTime<Utc>) -> String {
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

/// A topic's full answer: title, text, optionally its checklist (unticked), and the reminder.
pub fn topic(engine: &Engine, topic: usize, lang: Lang, now: DateTime<Utc>, fmt: Format, checklist: bool) -> String {
    let t = &engine.kb.topics[topic];
    let mut out = fmt.bold(t.title.get(lang));
    out.push_str("\n\n");
    out.push_str(&fmt.text(fill(engine, t.answer.get(lang), lang, now).trim_end()));
    if checklist && !t.checklist.is_empty() {
        out.push_str("\n\n");
        out.push_str(&fmt.bold(match lang {
            Lang::En => "Checklist:",
            Lang::Es => "Lista de requisitos:",
        }));
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
    fmt.text(match (talk, lang) {
        (SmallTalk::Greeting, Lang::En) => {
            "Hi! 👋 Ask me anything about the INM office in Mexico City: opening hours, the address, appointments, what to bring or a procedure."
        }
        (SmallTalk::Greeting, Lang::Es) => {
            "¡Hola! 👋 Pregúntame lo que quieras sobre la oficina del INM en la Ciudad de México: horario, dirección, citas, qué llevar o un trámite."
        }
        (SmallTalk::Thanks, Lang::En) => "You're welcome! Good luck with your procedure. 🍀",
        (SmallTalk::Thanks, Lang::Es) => "¡De nada! Mucha suerte con tu trámite. 🍀",
    })
}

/// The reply when nothing fits: what the bot can help with.
pub fn unknown(lang: Lang, fmt: Format) -> String {
    fmt.text(match lang {
        Lang::En => "Sorry, I don't know about that. 🤔 I can help with the INM immigration office in Mexico City: opening hours, the address, appointments, what to bring, and procedures such as the canje, renewals, permanent residency or a lost card. Try \"what time do you open?\" or /help.",
        Lang::Es => "Perdón, no sé de eso. 🤔 Puedo ayudarte con la oficina del INM en la Ciudad de México: horario, dirección, citas, qué documentos llevar y trámites como el canje, la renovación, la residencia permanente o la reposición de tarjeta. Prueba \"¿a qué hora abren?\" o /help.",
    })
}

/// "3 of 7 ready" / "3 de 7 listos".
pub fn progress(done: usize, total: usize, lang: Lang) -> String {
    match (lang, done == total && total > 0) {
        (Lang::En, false) => format!("{done} of {total} ready"),
        (Lang::En, true) => format!("{done} of {total} ready: all set! 🎉"),
        (Lang::Es, false) => format!("{done} de {total} listos"),
        (Lang::Es, true) => format!("{done} de {total} listos: ¡todo listo! 🎉"),
    }
}

pub fn did_you_mean(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "I'm not sure I understood. Did you mean:",
        Lang::Es => "No estoy seguro de haber entendido. ¿Quisiste decir:",
    }
}

/// A whole answer as text, for the console and `ask` (Telegram adds buttons instead of lists).
pub fn answer(engine: &Engine, answer: &Answer, now: DateTime<Utc>, fmt: Format) -> String {
    match answer {
        Answer::Topic { topic: t, lang, .. } => topic(engine, *t, *lang, now, fmt, true),
        Answer::Suggestions { topics, lang, .. } => {
            let mut out = fmt.text(did_you_mean(*lang));
            for t in topics {
                out.push_str("\n• ");
                out.push_str(&fmt.text(engine.kb.topics[*t].title.get(*lang)));
            }
            out
        }
        Answer::Unknown { lang } => unknown(*lang, fmt),
        Answer::SmallTalk { talk, lang } => small_talk(*talk, *lang, fmt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_visible_length() {
        assert_eq!(escape_html("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
        assert_eq!(html_to_text("<b>x &amp; y</b> &lt;3"), "x & y <3");
        assert_eq!(html_visible_len("<b>🙂</b>"), 2);
    }

    #[test]
    fn split_keeps_short_text_whole() {
        assert_eq!(split_html("<b>a</b>\n\nb", 4096), vec!["<b>a</b>\n\nb"]);
    }

    #[test]
    fn split_prefers_paragraphs_and_balances_tags() {
        let para = "x".repeat(30);
        let html = format!("<b>{para}</b>\n\n{para} {para}\n\n<i>{para} &amp; {para}</i>");
        let parts = split_html(&html, 70);
        assert!(parts.len() >= 2, "{parts:?}");
        for p in &parts {
            assert!(html_visible_len(p) <= 70, "{p}");
            assert_eq!(p.matches("<i>").count(), p.matches("</i>").count(), "{p}");
            assert_eq!(p.matches("<b>").count(), p.matches("</b>").count(), "{p}");
            assert!(!p.contains("&amp") || p.contains("&amp;"), "entity kept whole: {p}");
        }
        assert_eq!(parts[0], format!("<b>{para}</b>"));
        // A long italic run is cut inside the tag: closed and reopened.
        let long = format!("<i>{}</i>", "word ".repeat(40));
        let parts = split_html(&long, 50);
        assert!(
            parts.iter().all(|p| p.starts_with("<i>") && p.ends_with("</i>")),
            "{parts:?}"
        );
        let joined: String = parts.iter().map(|p| html_to_text(p)).collect::<Vec<_>>().join(" ");
        assert_eq!(joined.split_whitespace().count(), 40);
    }

    #[test]
    fn split_handles_words_longer_than_the_limit() {
        let parts = split_html(&"🙂".repeat(100), 11);
        assert!(parts.iter().all(|p| utf16_len(p) <= 11));
        assert_eq!(parts.concat(), "🙂".repeat(100));
    }

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 17).unwrap();
        assert_eq!(date_text(d, Lang::En), "Thursday 17 Sep");
        assert_eq!(date_text(d, Lang::Es), "jueves 17 de sep");
    }
}

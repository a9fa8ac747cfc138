//! Checking a knowledge base so that authors get every problem at once: missing translations,
//! impossible dates and hours, unknown references and placeholders, repeated ids.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::Problem;
use super::schema::{Closures, Lang, MAX_PHRASE_WORDS, Office, PLACEHOLDERS, Text, Topic, When, placeholders};

fn check_text(file: &str, what: &str, t: &Text, problems: &mut Vec<Problem>) {
    for lang in Lang::ALL {
        if t.get(lang).trim().is_empty() {
            problems.push(Problem::new(file, format!("{what}: missing {lang} translation")));
        }
    }
}

pub(super) fn check_office(file: &str, o: &Office, problems: &mut Vec<Problem>) {
    check_text(file, "office name", &o.name, problems);
    check_text(file, "office reminder", &o.reminder, problems);
    if o.address.trim().is_empty() {
        problems.push(Problem::new(file, "office address is empty"));
    }
    if o.time_zone.parse::<chrono_tz::Tz>().is_err() {
        problems.push(Problem::new(file, format!("invalid time zone '{}'", o.time_zone)));
    }
    if let Some(pin) = &o.pin
        && (!(-90.0..=90.0).contains(&pin.latitude) || !(-180.0..=180.0).contains(&pin.longitude))
    {
        problems.push(Problem::new(file, "office pin is not a valid latitude/longitude"));
    }
    if o.hours.is_empty() {
        problems.push(Problem::new(file, "office hours are empty"));
    }
    let mut per_day: BTreeMap<u32, Vec<(NaiveTime, NaiveTime)>> = BTreeMap::new();
    for h in &o.hours {
        if h.open >= h.close {
            problems.push(Problem::new(
                file,
                format!(
                    "office hours {}-{} are inverted or empty",
                    h.open.0.format("%H:%M"),
                    h.close.0.format("%H:%M")
                ),
            ));
            continue;
        }
        if h.days.is_empty() {
            problems.push(Problem::new(file, "office hours range with no days"));
        }
        for d in &h.days {
            per_day
                .entry(Weekday::from(*d).num_days_from_monday())
                .or_default()
                .push((h.open.0, h.close.0));
        }
    }
    for (day, mut ranges) in per_day {
        ranges.sort();
        for w in ranges.windows(2) {
            if w[1].0 < w[0].1 {
                let name = Weekday::try_from(day as u8).map(|d| d.to_string()).unwrap_or_default();
                problems.push(Problem::new(file, format!("office hours overlap on {name}")));
            }
        }
    }
}

pub(super) fn check_closures(file: &str, c: &Closures, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for r in &c.rules {
        if !ids.insert(r.id.as_str()) {
            problems.push(Problem::new(file, format!("closure rule id '{}' is repeated", r.id)));
        }
        check_text(file, &format!("closure '{}' name", r.id), &r.name, problems);
        let bad = match &r.when {
            When::Fixed { month, day } => NaiveDate::from_ymd_opt(2024, *month, *day).is_none(),
            When::NthWeekday { month, n, .. } => !(1..=12).contains(month) || !(1..=5).contains(n),
            When::EasterOffset(off) => off.abs() > 100,
            When::EveryYears { month, day, every, .. } => {
                NaiveDate::from_ymd_opt(2024, *month, *day).is_none() || *every < 1
            }
        };
        if bad {
            problems.push(Problem::new(
                file,
                format!("closure '{}' has an impossible date rule", r.id),
            ));
        }
    }
    for d in &c.dated {
        check_text(file, &format!("closure on {} name", d.from), &d.name, problems);
        if let Some(until) = d.until
            && until < d.from
        {
            problems.push(Problem::new(
                file,
                format!("closure from {} ends before it starts ({until})", d.from),
            ));
        }
    }
}

/// `partial` is set when some file did not parse: references into it cannot be checked.
pub(super) fn check_topics(topics: &[(String, Topic)], partial: bool, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, t) in topics {
        // Ids travel in Telegram callback data (64 bytes with a checklist item id): keep them short.
        let id_ok =
            t.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if t.id.is_empty() || t.id.len() > 24 || !id_ok {
            problems.push(Problem::new(
                file,
                format!("topic id '{}' must be 1-24 lower-case letters, digits and _", t.id),
            ));
        }
        if let Some(first) = seen.insert(&t.id, file) {
            problems.push(Problem::new(
                file,
                format!("duplicate topic id '{}' (also in {first})", t.id),
            ));
        }
    }
    for (file, t) in topics {
        let what = format!("topic '{}'", t.id);
        check_text(file, &format!("{what} title"), &t.title, problems);
        check_text(file, &format!("{what} answer"), &t.answer, problems);
        for lang in Lang::ALL {
            let kw = t.keywords.get(lang);
            if kw.iter().all(|k| k.trim().is_empty()) {
                problems.push(Problem::new(file, format!("{what}: empty {lang} keyword list")));
            }
            for phrase in t.phrases.get(lang) {
                if phrase.split_whitespace().count() > MAX_PHRASE_WORDS {
                    problems.push(Problem::new(
                        file,
                        format!("{what}: phrase '{phrase}' has more than {} words", MAX_PHRASE_WORDS),
                    ));
                }
            }
            for p in placeholders(t.answer.get(lang)) {
                if !PLACEHOLDERS.contains(&p) {
                    problems.push(Problem::new(
                        file,
                        format!(
                            "{what}: unknown placeholder {{{p}}} in the {lang} answer (known: {})",
                            PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
        for r in &t.related {
            if !partial && !seen.contains_key(r.as_str()) {
                problems.push(Problem::new(
                    file,
                    format!("{what}: related topic '{r}' does not exist"),
                ));
            }
            if r == &t.id {
                problems.push(Problem::new(file, format!("{what}: lists itself as related")));
            }
        }
        if t.sources.is_empty() {
            problems.push(Problem::new(file, format!("{what}: no sources")));
        }
        let mut items = HashSet::new();
        for item in &t.checklist {
            if !items.insert(item.id.as_str()) {
                problems.push(Problem::new(
                    file,
                    format!("{what}: checklist item id '{}' is repeated", item.id),
                ));
            }
            if item.id.is_empty()
                || item.id.len() > 24
                || !item.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                problems.push(Problem::new(
                    file,
                    format!(
                        "{what}: checklist item id '{}' must be 1-24 ASCII letters, digits or _",
                        item.id
                    ),
                ));
            }
            for lang in Lang::ALL {
                if item.text(lang).trim().is_empty() {
                    problems.push(Problem::new(
                        file,
                        format!("{what}: checklist item '{}' is missing {lang}", item.id),
                    ));
                }
            }
        }
    }
}

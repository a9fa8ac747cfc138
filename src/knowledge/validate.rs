//! Checking a knowledge base so that authors get every problem at once: missing translations,
//! impossible dates and hours, unknown references and placeholders, repeated ids.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveTime, Weekday};
use rustc_hash::FxHashMap;

use super::Problem;
use super::schema::{
    Closures, FactKind, Lang, MAX_PHRASE_WORDS, Office, PLACEHOLDERS, Text, Topic, When, placeholders,
};
use super::source::SourceMap;

/// A topic and where it was written: its file and its place in that file's `topics` list.
pub(super) type Located<'a> = (&'a SourceMap, usize, &'a Topic);

fn check_text(src: &SourceMap, path: &str, what: &str, t: &Text, problems: &mut Vec<Problem>) {
    for lang in Lang::ALL {
        if t.get(lang).trim().is_empty() {
            problems.push(src.problem(&format!("{path}.{lang}"), format!("{what}: missing {lang} translation")));
        }
    }
}

pub(super) fn check_office(src: &SourceMap, o: &Office, problems: &mut Vec<Problem>) {
    check_text(src, "office.name", "office name", &o.name, problems);
    check_text(src, "office.reminder", "office reminder", &o.reminder, problems);
    if o.address.trim().is_empty() {
        problems.push(src.problem("office.address", "office address is empty"));
    }
    if o.time_zone.parse::<chrono_tz::Tz>().is_err() {
        problems.push(src.problem("office.time_zone", format!("invalid time zone '{}'", o.time_zone)));
    }
    if let Some(pin) = &o.pin
        && (!(-90.0..=90.0).contains(&pin.latitude) || !(-180.0..=180.0).contains(&pin.longitude))
    {
        problems.push(src.problem("office.pin", "office pin is not a valid latitude/longitude"));
    }
    if o.hours.is_empty() {
        problems.push(src.problem("office.hours", "office hours are empty"));
    }
    let mut per_day: BTreeMap<u32, Vec<(NaiveTime, NaiveTime, usize)>> = BTreeMap::new();
    for (i, h) in o.hours.iter().enumerate() {
        let at = format!("office.hours.{i}");
        if h.open >= h.close {
            problems.push(src.problem(
                &format!("{at}.open"),
                format!(
                    "office hours {}-{} are inverted or empty",
                    h.open.0.format("%H:%M"),
                    h.close.0.format("%H:%M")
                ),
            ));
            continue;
        }
        if h.days.is_empty() {
            problems.push(src.problem(&format!("{at}.days"), "office hours range with no days"));
        }
        for d in &h.days {
            per_day
                .entry(Weekday::from(*d).num_days_from_monday())
                .or_default()
                .push((h.open.0, h.close.0, i));
        }
    }
    for (day, mut ranges) in per_day {
        ranges.sort();
        for w in ranges.windows(2) {
            if w[1].0 < w[0].1 {
                let name = Weekday::try_from(day as u8).map(|d| d.to_string()).unwrap_or_default();
                problems.push(src.problem(
                    &format!("office.hours.{}", w[1].2),
                    format!("office hours overlap on {name}"),
                ));
            }
        }
    }
}

pub(super) fn check_closures(src: &SourceMap, c: &Closures, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (i, r) in c.rules.iter().enumerate() {
        let at = format!("closures.rules.{i}");
        if !ids.insert(r.id.as_str()) {
            problems.push(src.problem(&format!("{at}.id"), format!("closure rule id '{}' is repeated", r.id)));
        }
        check_text(
            src,
            &format!("{at}.name"),
            &format!("closure '{}' name", r.id),
            &r.name,
            problems,
        );
        let bad = match &r.when {
            When::Fixed { month, day } => NaiveDate::from_ymd_opt(2024, *month, *day).is_none(),
            When::NthWeekday { month, n, .. } => !(1..=12).contains(month) || !(1..=5).contains(n),
            When::EasterOffset(off) => off.abs() > 100,
            When::EveryYears { month, day, every, .. } => {
                NaiveDate::from_ymd_opt(2024, *month, *day).is_none() || *every < 1
            }
        };
        if bad {
            problems.push(src.problem(
                &format!("{at}.when"),
                format!("closure '{}' has an impossible date rule", r.id),
            ));
        }
    }
    for (i, d) in c.dated.iter().enumerate() {
        let at = format!("closures.dated.{i}");
        check_text(
            src,
            &format!("{at}.name"),
            &format!("closure on {} name", d.from),
            &d.name,
            problems,
        );
        if let Some(until) = d.until
            && until < d.from
        {
            problems.push(src.problem(
                &format!("{at}.until"),
                format!("closure from {} ends before it starts ({until})", d.from),
            ));
        }
    }
}

/// `partial` is set when some file did not parse: references into it cannot be checked.
pub(super) fn check_topics(topics: &[Located<'_>], partial: bool, problems: &mut Vec<Problem>) {
    // Where each id was first written; its place is looked up only for a duplicate, since
    // finding positions means walking the file's YAML again.
    let mut seen: BTreeMap<&str, (&SourceMap, usize)> = BTreeMap::new();
    for &(src, i, t) in topics {
        let at = format!("topics.{i}");
        // Ids travel in Telegram callback data (64 bytes with a checklist item id): keep them short.
        let id_ok =
            t.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if t.id.is_empty() || t.id.len() > 24 || !id_ok {
            problems.push(src.problem(
                &format!("{at}.id"),
                format!("topic id '{}' must be 1-24 lower-case letters, digits and _", t.id),
            ));
        }
        if let Some(&(first, fi)) = seen.get(t.id.as_str()) {
            let first = first.place(&format!("topics.{fi}.id"));
            problems.push(src.problem(
                &format!("{at}.id"),
                format!("duplicate topic id '{}' (also at {first})", t.id),
            ));
        } else {
            seen.insert(&t.id, (src, i));
        }
    }
    for &(src, i, t) in topics {
        let at = format!("topics.{i}");
        let what = format!("topic '{}'", t.id);
        check_text(
            src,
            &format!("{at}.title"),
            &format!("{what} title"),
            &t.title,
            problems,
        );
        check_text(
            src,
            &format!("{at}.answer"),
            &format!("{what} answer"),
            &t.answer,
            problems,
        );
        for lang in Lang::ALL {
            let kw = t.keywords.get(lang);
            if kw.iter().all(|k| k.trim().is_empty()) {
                problems.push(src.problem(
                    &format!("{at}.keywords.{lang}"),
                    format!("{what}: empty {lang} keyword list"),
                ));
            }
            for (k, phrase) in t.phrases.get(lang).iter().enumerate() {
                if phrase.split_whitespace().count() > MAX_PHRASE_WORDS {
                    problems.push(src.problem(
                        &format!("{at}.phrases.{lang}.{k}"),
                        format!("{what}: phrase '{phrase}' has more than {} words", MAX_PHRASE_WORDS),
                    ));
                }
            }
            for p in placeholders(t.answer.get(lang)) {
                if !PLACEHOLDERS.contains(&p) {
                    problems.push(src.problem(
                        &format!("{at}.answer.{lang}"),
                        format!(
                            "{what}: unknown placeholder {{{p}}} in the {lang} answer (known: {})",
                            PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
        for (k, r) in t.related.iter().enumerate() {
            let rat = format!("{at}.related.{k}");
            if !partial && !seen.contains_key(r.as_str()) {
                problems.push(src.problem(&rat, format!("{what}: related topic '{r}' does not exist")));
            }
            if r == &t.id {
                problems.push(src.problem(&rat, format!("{what}: lists itself as related")));
            }
        }
        if t.sources.is_empty() {
            problems.push(src.problem(&format!("{at}.sources"), format!("{what}: no sources")));
        }
        let mut items = HashSet::new();
        for (k, item) in t.checklist.iter().enumerate() {
            let iat = format!("{at}.checklist.{k}");
            if !items.insert(item.id.as_str()) {
                problems.push(src.problem(
                    &format!("{iat}.id"),
                    format!("{what}: checklist item id '{}' is repeated", item.id),
                ));
            }
            if item.id.is_empty()
                || item.id.len() > 24
                || !item.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                problems.push(src.problem(
                    &format!("{iat}.id"),
                    format!(
                        "{what}: checklist item id '{}' must be 1-24 ASCII letters, digits or _",
                        item.id
                    ),
                ));
            }
            for lang in Lang::ALL {
                if item.text(lang).trim().is_empty() {
                    problems.push(src.problem(
                        &format!("{iat}.{lang}"),
                        format!("{what}: checklist item '{}' is missing {lang}", item.id),
                    ));
                }
                // The short label is what a phone shows on the item's button.
                if let Some(short) = &item.short {
                    let n = short.get(lang).chars().count();
                    if n == 0 || n > MAX_SHORT_LABEL {
                        problems.push(src.problem(
                            &format!("{iat}.short.{lang}"),
                            format!(
                                "{what}: checklist item '{}' needs a short {lang} label of 1-{MAX_SHORT_LABEL} characters (has {n})",
                                item.id
                            ),
                        ));
                    }
                }
            }
        }
        for (kind, fact) in &t.facts {
            let fat = format!("{at}.facts.{}", fact_key(*kind));
            check_text(
                src,
                &format!("{fat}.answer"),
                &format!("{what} fact"),
                &fact.answer,
                problems,
            );
            if fact.sources.is_empty() {
                problems.push(src.problem(&format!("{fat}.sources"), format!("{what}: a fact with no sources")));
            }
        }
    }
    check_examples(topics, problems);
}

/// An example question as compared with the others: lower case, accents dropped, its words
/// (runs of letters and digits) joined by one space.
fn fold_example(s: &str) -> String {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    /// A letter or digit joins the word being built; anything else ends it.
    fn take(c: char, out: &mut String, gap: &mut bool) {
        if c.is_alphanumeric() {
            if *gap && !out.is_empty() {
                out.push(' ');
            }
            *gap = false;
            out.push(c);
        } else {
            *gap = true;
        }
    }
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut gap = false;
    for c in lower.chars() {
        // ASCII decomposes to itself and holds no combining mark: most characters skip the
        // decomposition tables.
        if c.is_ascii() {
            take(c, &mut out, &mut gap);
            continue;
        }
        // Each character decomposed on its own: decomposing the whole text would also reorder
        // the combining marks, which are dropped.
        decompose_canonical(c, |c| {
            if !is_combining_mark(c) {
                take(c, &mut out, &mut gap);
            }
        });
    }
    out
}

/// Longest short label of a checklist item, in characters: what fits a button on a phone.
pub const MAX_SHORT_LABEL: usize = 28;

fn fact_key(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Fee => "fee",
        FactKind::Deadline => "deadline",
        FactKind::Documents => "documents",
        FactKind::Form => "form",
        FactKind::Validity => "validity",
        FactKind::Who => "who",
        FactKind::Where => "where",
        FactKind::Duration => "duration",
    }
}

/// An example question in two topics tells the matcher both at once: it is flagged where it
/// appears the second time, naming the first.
fn check_examples(topics: &[Located<'_>], problems: &mut Vec<Problem>) {
    // Only looked up, never walked: a hash map, in which a lookup costs one string comparison.
    let mut first: FxHashMap<String, &str> = FxHashMap::default();
    for &(src, i, t) in topics {
        for lang in Lang::ALL {
            for (k, example) in t.examples.get(lang).iter().enumerate() {
                let key = fold_example(example);
                match first.get(&key) {
                    Some(&other) if other != t.id => problems.push(src.problem(
                        &format!("topics.{i}.examples.{lang}.{k}"),
                        format!(
                            "topic '{}': the example \"{example}\" is also an example of '{other}'",
                            t.id
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        first.insert(key, &t.id);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fold_example` as first written, decomposing the whole text.
    fn fold_by_stream(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let folded: String = s
            .to_lowercase()
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        folded.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn examples_fold_like_the_whole_stream() {
        for s in [
            "¿Dónde está la OFICINA?",
            "  a\u{301}\u{327} -- ΣΑΣ. ",
            "",
            "!!",
            "x  y\tz\u{2003}w",
        ] {
            assert_eq!(fold_example(s), fold_by_stream(s), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn examples_fold_like_the_whole_stream_for_any_text(s in "\\PC{0,80}") {
            proptest::prop_assert_eq!(fold_example(&s), fold_by_stream(&s));
        }

        #[test]
        fn examples_fold_like_the_whole_stream_for_accents(
            s in "([a-zA-ZñÑáéíóúÁÉÍÓÚüÜΣσ ,.?¿]|[\\u{300}-\\u{36f}]|[\\u{591}-\\u{5c7}]){0,80}"
        ) {
            proptest::prop_assert_eq!(fold_example(&s), fold_by_stream(&s));
        }
    }
}

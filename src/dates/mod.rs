//! Dates and times in questions: weekday names, today / tomorrow / mañana, "the 12th of
//! December", "12/12", named days (Christmas, Holy Week…), times ("at 2:30 pm", "a las 4 y
//! media", "en la tarde"), read relative to the instant of the message in the office's time zone.
//!
//! Pure: knows nothing of the knowledge base's topics; `answer` decides what a date means for a
//! question and `render` says the verdict.
//!
//! `read` walks the words of a message once and lets each sub-module try its readings at every
//! word; the readers themselves live apart so that each word list sits next to the code using it:
//! `words` (tokens, shared lists, typo matching), `time` (hours, am / pm), `calendar` (months,
//! weekdays, ordinals, relative days), `named` (holidays).

mod calendar;
mod named;
mod time;
mod words;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use calendar::{
    calendar_date, day_number, day_of_month, is_tomorrow, lone_day, month, next_week, next_weekday, ordinal, weekday,
    weekday_of_month,
};
use named::{named, named_in, starts_named, with_year};
use time::{Meridiem, clock, is_time_word, minutes_pm, resolve, suffixed_hour};
use words::{DATE_WORDS, ENGLISH_HINTS, tokenize};

/// A moment a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub date: NaiveDate,
    /// A time of day, when the question gives one.
    pub time: Option<NaiveTime>,
    /// A part of the day ("in the afternoon", "temprano"), when the question gives one and no time.
    pub part: Option<Part>,
    /// The question names the day; `false` when it only gives a time or a part of the day and the
    /// day is the message's own.
    pub explicit: bool,
    /// How many days from `date` the question covers: 7 for Holy Week, 2 for a weekend, else 1.
    pub days: u8,
}

impl Moment {
    /// The last day covered.
    pub fn until(&self) -> NaiveDate {
        self.date + Duration::days(i64::from(self.days.max(1)) - 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Morning,
    Afternoon,
    Evening,
    /// "temprano", "early": at opening time.
    Early,
}

/// How sure a reading of the day is; a stronger one replaces a weaker one ("Monday November
/// 16th": the calendar date wins over the weekday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Weekday,
    Relative,
    Named,
    Calendar,
}

/// Reads the moment a question is about, if it names one. `now` is the message's instant in the
/// office's time zone: "tomorrow" and "Saturday" are counted from its day.
pub fn read(text: &str, now: DateTime<Tz>) -> Option<Moment> {
    let toks = tokenize(text);
    // Most messages name no moment: a quick look at each word spares them every reader.
    if !toks.iter().any(|w| may_place_cached(w)) {
        return None;
    }
    read_tokens(&toks, now)
}

/// Whether a word can take part in a moment. Every reading in `read_tokens` needs at least one
/// such word: a digit, a date word (weekday, month, "mañana", "pm"…), "tomorrow" misspelt, the
/// first word of a named day, or a word of the relative readings ("ayer", "fin de semana").
fn may_place(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit())
        || is_date_word(w)
        || is_tomorrow(w)
        || matches!(
            w,
            "yesterday" | "ayer" | "pasado" | "noches" | "madrugada" | "night" | "fin" | "medio"
        )
        || starts_named(w)
}

/// `may_place`, remembered per thread: the same words come back in message after message.
fn may_place_cached(w: &str) -> bool {
    /// Bounded: a thread that has seen very many different words starts afresh.
    const MAX: usize = 20_000;
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, bool>> = Default::default();
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(&p) = seen.get(w) {
            return p;
        }
        if seen.len() >= MAX {
            seen.clear();
        }
        let p = may_place(w);
        seen.insert(w.to_string(), p);
        p
    })
}

fn read_tokens(toks: &[String], now: DateTime<Tz>) -> Option<Moment> {
    if toks.is_empty() {
        return None;
    }
    let today = now.date_naive();
    let english = toks.iter().any(|t| ENGLISH_HINTS.contains(&t.as_str()));
    let mut day: Option<(Strength, NaiveDate, u8)> = None;
    let mut time: Option<(NaiveTime, Meridiem)> = None;
    let mut part: Option<Part> = None;
    let mut set_day = |s: Strength, d: NaiveDate, n: u8| {
        if day.is_none_or(|(old, ..)| s > old) {
            day = Some((s, d, n));
        }
    };
    let t = |i: usize| toks.get(i).map(String::as_str).unwrap_or("");
    let mut i = 0;
    while i < toks.len() {
        let w = t(i);
        let prev = if i > 0 { t(i - 1) } else { "" };
        // Named days first: "viernes santo" is not a Friday.
        if let Some((len, date, days)) = named(&toks[i..], today) {
            let (date, used) = with_year(&toks[i + len..], date, |y| named_in(&toks[i..i + len], y));
            set_day(Strength::Named, date, days);
            i += len + used;
            continue;
        }
        if let Some((len, date)) = calendar_date(&toks[i..], today, english) {
            set_day(Strength::Calendar, date, 1);
            i += len;
            continue;
        }
        if let Some((len, tm, mer)) = clock(toks, i) {
            time = Some((tm, mer));
            i += len;
            continue;
        }
        match w {
            "today" | "hoy" | "tonight" => {
                if !(w == "hoy" && t(i + 1) == "en" && t(i + 2) == "dia") {
                    set_day(Strength::Relative, today, 1);
                }
                if w == "tonight" {
                    part = Some(Part::Evening);
                }
            }
            "yesterday" | "ayer" => set_day(Strength::Relative, today - Duration::days(1), 1),
            "pasado" if t(i + 1) == "manana" => {
                set_day(Strength::Relative, today + Duration::days(2), 1);
                i += 2;
                continue;
            }
            "day" if t(i + 1) == "after" && is_tomorrow(t(i + 2)) => {
                set_day(Strength::Relative, today + Duration::days(2), 1);
                i += 3;
                continue;
            }
            // "mañana" is tomorrow, but "en la mañana", "por la mañana", "esta mañana" and "las
            // mañanas" are the morning.
            "manana" | "mananas" => {
                if w == "mananas" || matches!(prev, "la" | "las" | "esta") {
                    part = Some(Part::Morning);
                } else {
                    set_day(Strength::Relative, today + Duration::days(1), 1);
                }
            }
            "tarde" | "tardes" if matches!(prev, "la" | "las" | "esta") => part = Some(Part::Afternoon),
            "noche" | "noches" if matches!(prev, "la" | "las" | "esta") => part = Some(Part::Evening),
            "morning" | "mornings" | "madrugada" => part = Some(Part::Morning),
            "afternoon" | "afternoons" => part = Some(Part::Afternoon),
            "evening" | "evenings" | "night" => part = Some(Part::Evening),
            // "how early should I arrive?", "¿qué tan temprano?" ask how much ahead, not a moment.
            "temprano" | "early" if !matches!(prev, "how" | "tan") => part = Some(Part::Early),
            "weekend" | "finde" => set_day(Strength::Weekday, next_weekday(today, Weekday::Sat, false), 2),
            "fin" if t(i + 1) == "de" && matches!(t(i + 2), "semana" | "semanas") => {
                set_day(Strength::Weekday, next_weekday(today, Weekday::Sat, false), 2);
                i += 3;
                continue;
            }
            _ if is_tomorrow(w) => set_day(Strength::Relative, today + Duration::days(1), 1),
            _ => {
                if let Some(wd) = weekday(w) {
                    let next = matches!(prev, "proximo" | "siguiente") || (t(i + 1) == "que" && t(i + 2) == "viene");
                    let mut date = if prev == "next" {
                        next_week(today, wd)
                    } else {
                        next_weekday(today, wd, next)
                    };
                    // "el lunes 16", "Monday the 16th": that weekday with that day of the month.
                    let k = if t(i + 1) == "the" { i + 2 } else { i + 1 };
                    if let Some(n) = day_number(t(k)).filter(|_| !is_time_word(t(k + 1)))
                        && let Some(d) = weekday_of_month(today, wd, n)
                    {
                        date = d;
                        set_day(Strength::Calendar, date, 1);
                        i = k + 1;
                        continue;
                    }
                    set_day(Strength::Weekday, date, 1);
                } else if let Some(n) = lone_day(toks, i) {
                    // "on the 16th", "el día 16": that day of this month or the next.
                    if let Some(d) = day_of_month(today, n) {
                        set_day(Strength::Relative, d, 1);
                    }
                }
            }
        }
        i += 1;
    }
    let time = time.map(|(tm, mer)| resolve(tm, mer, part));
    if day.is_none() && time.is_none() && part.is_none() {
        return None;
    }
    let (explicit, date, days) = match day {
        Some((_, d, n)) => (true, d, n),
        None => (false, today, 1),
    };
    Some(Moment {
        date,
        time,
        part: if time.is_some() { None } else { part },
        explicit,
        days,
    })
}

/// Whether a normalised word (lower case, accents folded) is a word of dates and times:
/// weekdays, months, today / tomorrow, am / pm, "12th", "8am"…
pub fn is_date_word(word: &str) -> bool {
    DATE_WORDS.contains(&word)
        || weekday(word).is_some()
        || month(word).is_some()
        || ordinal(word).is_some()
        || suffixed_hour(word).is_some()
        || minutes_pm(word)
}

/// Whether a normalised word only places a moment in the calendar (a month, "12th", "8am"),
/// unlike "saturday" or "tomorrow", which also say the question is about opening.
pub fn is_calendar_word(word: &str) -> bool {
    month(word).is_some() || ordinal(word).is_some() || suffixed_hour(word).is_some() || minutes_pm(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    // Shared with the sub-modules' tests, so that every reader is checked at the same instant.

    /// Friday 27 Nov 2026, 11:00 in Mexico City.
    pub(super) fn now() -> DateTime<Tz> {
        chrono_tz::America::Mexico_City
            .with_ymd_and_hms(2026, 11, 27, 11, 0, 0)
            .unwrap()
    }
    pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    pub(super) fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }
    pub(super) fn date(text: &str) -> Option<NaiveDate> {
        read(text, now()).filter(|m| m.explicit).map(|m| m.date)
    }
    pub(super) fn time(text: &str) -> Option<NaiveTime> {
        read(text, now()).and_then(|m| m.time)
    }

    /// The quick look in `read` must never hide a moment the readers would find: checked on
    /// every question and conversation turn of the test sets (thousands, in both languages and
    /// all their spellings), at two instants.
    #[test]
    fn the_quick_look_skips_only_messages_without_a_moment() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("tests/data")];
        let mut texts: Vec<String> = Vec::new();
        while let Some(f) = files.pop() {
            if f.is_dir() {
                files.extend(std::fs::read_dir(&f).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let Ok(body) = std::fs::read_to_string(&f) else {
                continue;
            };
            match f.extension().and_then(|e| e.to_str()) {
                Some("tsv") => texts.extend(
                    body.lines()
                        .filter(|l| !l.starts_with('#'))
                        .filter_map(|l| l.splitn(3, '\t').nth(2).map(str::to_string)),
                ),
                Some("jsonl") => texts.extend(
                    body.lines()
                        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                        .flat_map(|c| c["turns"].as_array().cloned().unwrap_or_default())
                        .filter_map(|t| t["text"].as_str().map(str::to_string)),
                ),
                _ => {}
            }
        }
        assert!(texts.len() > 3000, "only {} test messages found", texts.len());
        let later = now() + Duration::days(150);
        let mut moments = 0;
        for text in &texts {
            for at in [now(), later] {
                let full = read_tokens(&tokenize(text), at);
                assert_eq!(read(text, at), full, "{text}");
                moments += usize::from(full.is_some());
            }
        }
        assert!(moments > 500, "only {moments} moments read");
    }

    #[test]
    fn relative_days() {
        assert_eq!(date("is it open today?"), Some(d(2026, 11, 27)));
        assert_eq!(date("Tomorrow?"), Some(d(2026, 11, 28)));
        assert_eq!(date("tomorow"), Some(d(2026, 11, 28)));
        assert_eq!(date("¿abren mañana?"), Some(d(2026, 11, 28)));
        assert_eq!(date("y pasado mañana?"), Some(d(2026, 11, 29)));
        assert_eq!(date("the day after tomorrow"), Some(d(2026, 11, 29)));
        assert_eq!(read("what time do you open", now()), None);
    }

    #[test]
    fn morning_is_not_tomorrow() {
        let m = read("¿abren en la mañana?", now()).unwrap();
        assert!(!m.explicit);
        assert_eq!(m.part, Some(Part::Morning));
        let m = read("mañana por la mañana", now()).unwrap();
        assert_eq!((m.date, m.part), (d(2026, 11, 28), Some(Part::Morning)));
        assert_eq!(time("mañana a las 8 de la mañana"), hm(8, 0));
    }

    #[test]
    fn date_words() {
        for w in [
            "saturday",
            "sabado",
            "manana",
            "hoy",
            "pm",
            "12th",
            "8am",
            "diciembre",
            "dec",
            "15h",
        ] {
            assert!(is_date_word(w), "{w}");
        }
        for w in ["canje", "oficina", "12", "renewal", "vienes"] {
            assert!(!is_date_word(w), "{w}");
        }
    }
}

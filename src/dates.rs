//! Dates and times in questions: weekday names, today / tomorrow / mañana, "the 12th of
//! December", "12/12", named days (Christmas, Holy Week…), times ("at 2:30 pm", "a las 4 y
//! media", "en la tarde"), read relative to the instant of the message in the office's time zone.
//!
//! Pure: knows nothing of the knowledge base's topics; `answer` decides what a date means for a
//! question and `render` says the verdict.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::calendar::easter;

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

/// Only the start of a message is read, like the matcher does.
const MAX_CHARS: usize = 600;
const MAX_TOKENS: usize = 64;

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
        if let Some((len, tm, mer)) = clock(&toks, i) {
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
            "temprano" | "early" => part = Some(Part::Early),
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
                } else if let Some(n) = lone_day(&toks, i) {
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

/// "30pm": what "3:30pm" leaves once the colon has split it.
fn minutes_pm(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    matches!(&word[digits.len()..], "am" | "pm" | "h" | "hrs")
        && (1..=2).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

const DATE_WORDS: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "tmrw",
    "yesterday",
    "hoy",
    "manana",
    "mananas",
    "pasado",
    "ayer",
    "am",
    "pm",
    "noon",
    "midnight",
    "mediodia",
    "medianoche",
    "oclock",
    "morning",
    "mornings",
    "afternoon",
    "afternoons",
    "evening",
    "evenings",
    "tarde",
    "tardes",
    "noche",
    "temprano",
    "early",
    "hrs",
    "media",
    "cuarto",
    "weekend",
    "finde",
    "xmas",
    "nochebuena",
    "vispera",
    "eve",
];

/// Words that only an English question would use: a "3/4" in one is March 4.
const ENGLISH_HINTS: &[&str] = &[
    "is", "the", "on", "open", "will", "what", "can", "it", "you", "are", "be", "at", "do", "does",
];

/// Words after a number that make it a quantity, not an hour ("at 30 days").
const UNITS: &[&str] = &[
    "days", "day", "dias", "dia", "years", "year", "anos", "ano", "months", "month", "meses", "mes", "weeks",
    "semanas", "people", "personas", "pesos", "mxn", "copies", "copias", "fotos", "photos", "minutes", "minutos",
    "hours", "horas",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
    /// Already a 24-hour time ("15:00") or unknown.
    Unknown,
}

/// Lower case, accents folded; letters, digits, and ':' '/' '-' between digits stay in a word.
fn tokenize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text
        .chars()
        .take(MAX_CHARS)
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    for (k, &c) in chars.iter().enumerate() {
        let digit_around = |c: char| {
            cur.chars().last().is_some_and(|l| l.is_ascii_digit())
                && chars.get(k + 1).is_some_and(|n| n.is_ascii_digit())
                && matches!(c, ':' | '/' | '-' | '.')
        };
        if c.is_alphanumeric() {
            cur.push(c);
        } else if c == '\'' || c == '’' {
            // "o'clock", "new year's": one word.
        } else if digit_around(c) {
            cur.push(if c == '.' { ':' } else { c });
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            if out.len() >= MAX_TOKENS {
                break;
            }
        }
    }
    if !cur.is_empty() && out.len() < MAX_TOKENS {
        out.push(cur);
    }
    // "8 a.m." → "8 am".
    let mut merged: Vec<String> = Vec::with_capacity(out.len());
    for w in out {
        if w == "m"
            && let Some(last) = merged.last_mut()
            && (last == "a" || last == "p")
        {
            last.push('m');
            continue;
        }
        merged.push(w);
    }
    merged
}

fn weekday(w: &str) -> Option<Weekday> {
    use Weekday::*;
    Some(match w {
        "monday" | "mondays" | "mon" | "lunes" => Mon,
        "tuesday" | "tuesdays" | "tue" | "tues" | "martes" => Tue,
        "wednesday" | "wednesdays" | "miercoles" => Wed,
        "thursday" | "thursdays" | "thu" | "thur" | "thurs" | "jueves" => Thu,
        "friday" | "fridays" | "fri" | "viernes" => Fri,
        "saturday" | "saturdays" | "sabado" | "sabados" => Sat,
        "sunday" | "sundays" | "domingo" | "domingos" => Sun,
        _ => return fuzzy(w, WEEKDAY_TYPOS).and_then(weekday),
    })
}

/// Full names a typo is corrected to. "viernes" and "martes" are left out: "vienes" and "partes"
/// are words.
const WEEKDAY_TYPOS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "miercoles",
    "jueves",
    "sabado",
    "domingo",
];
const MONTH_TYPOS: &[&str] = &[
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "febrero",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const TOMORROW_TYPOS: &[&str] = &["tomorrow"];

/// A word one or two typing slips from a candidate (same first letter; distance 1, or 2 for long
/// words). Cheap: most words fail on the first letter or the length.
fn fuzzy<'a>(w: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if w.len() < 5 {
        return None;
    }
    let first = w.as_bytes()[0];
    candidates.iter().copied().find(|c| {
        let max = if c.len() >= 8 { 2 } else { 1 };
        c.as_bytes()[0] == first
            && c.len().abs_diff(w.len()) <= max
            && c.len() >= 6
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && strsim::osa_distance(w, c) <= max
    })
}

fn is_tomorrow(w: &str) -> bool {
    matches!(w, "tomorrow" | "tmrw" | "tmr" | "2morrow" | "tomoz") || fuzzy(w, TOMORROW_TYPOS).is_some()
}

fn month(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" | "enero" | "ene" => 1,
        "february" | "feb" | "febrero" => 2,
        "march" | "mar" | "marzo" => 3,
        "april" | "apr" | "abril" | "abr" => 4,
        "may" | "mayo" => 5,
        "june" | "jun" | "junio" => 6,
        "july" | "jul" | "julio" => 7,
        "august" | "aug" | "agosto" | "ago" => 8,
        "september" | "sept" | "sep" | "septiembre" | "setiembre" => 9,
        "october" | "oct" | "octubre" => 10,
        "november" | "nov" | "noviembre" => 11,
        "december" | "dec" | "diciembre" | "dic" => 12,
        _ => return fuzzy(w, MONTH_TYPOS).and_then(month),
    })
}

/// "12th", "1st", "2nd", "3rd", "1ro", "1er", "primero".
fn ordinal(w: &str) -> Option<u32> {
    if w == "primero" {
        return Some(1);
    }
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "st" | "nd" | "rd" | "th" | "ro" | "er" | "o") {
        return None;
    }
    digits.parse().ok().filter(|n| (1..=31).contains(n))
}

/// A day of the month: "16", "16th".
fn day_number(w: &str) -> Option<u32> {
    if !w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|n| (1..=31).contains(n));
    }
    ordinal(w)
}

fn year(w: &str) -> Option<i32> {
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|y| (2000..=2100).contains(y));
    }
    None
}

fn is_time_word(w: &str) -> bool {
    matches!(w, "am" | "pm" | "hrs" | "h" | "horas" | "oclock" | "y" | "menos") || w.contains(':')
}

/// The first date on or after `today` with this month and day; a year given later wins.
fn upcoming(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this {
        Some(d) if d >= today => Some(d),
        _ => NaiveDate::from_ymd_opt(today.year() + 1, month, day).or(this),
    }
}

/// "12 de diciembre (de 2027)", "the 12th of December", "december 12th, 2027", "dec 12",
/// "12/12", "2027-09-16": how many words it took, and the date.
fn calendar_date(toks: &[String], today: NaiveDate, english: bool) -> Option<(usize, NaiveDate)> {
    let t = |i: usize| toks.get(i).map(String::as_str).unwrap_or("");
    let explicit_year = |after: usize| -> (usize, Option<i32>) {
        let k = if matches!(t(after), "de" | "del" | "of") {
            after + 1
        } else {
            after
        };
        match year(t(k)) {
            Some(y) => (k + 1 - after, Some(y)),
            None => (0, None),
        }
    };
    let make = |m: u32, d: u32, y: Option<i32>| match y {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
        None => upcoming(today, m, d),
    };
    // Day first: "12 de diciembre", "12th of december", "12 dec".
    if let Some(d) = day_number(t(0)) {
        let k = if matches!(t(1), "de" | "of") { 2 } else { 1 };
        if let Some(m) = month(t(k)) {
            let (used, y) = explicit_year(k + 1);
            return make(m, d, y).map(|date| (k + 1 + used, date));
        }
    }
    // Month first: "december 12th", "dec 12, 2027", "diciembre 12".
    if let Some(m) = month(t(0)) {
        let k = if t(1) == "the" { 2 } else { 1 };
        if let Some(d) = day_number(t(k)).filter(|_| !is_time_word(t(k + 1))) {
            let (used, y) = explicit_year(k + 1);
            return make(m, d, y).map(|date| (k + 1 + used, date));
        }
    }
    // Numbers: "12/12", "16/9/2027", "9/16" (then month first), "2027-09-16".
    let w = t(0);
    let sep = if w.contains('/') {
        '/'
    } else if w.contains('-') {
        '-'
    } else {
        return None;
    };
    let parts: Vec<&str> = w.split(sep).collect();
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if nums.len() != parts.len() || !(2..=3).contains(&nums.len()) {
        return None;
    }
    if parts[0].len() == 4 && nums.len() == 3 {
        return NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2]).map(|d| (1, d));
    }
    let y = nums.get(2).map(|&y| if y < 100 { 2000 + y as i32 } else { y as i32 });
    let (a, b) = (nums[0], nums[1]);
    let (d, m) = if b > 12 || (english && a <= 12) { (b, a) } else { (a, b) };
    make(m, d, y).map(|date| (1, date))
}

/// A named day: how many words it took, its next date on or after `today`, and how many days it
/// covers.
fn named(toks: &[String], today: NaiveDate) -> Option<(usize, NaiveDate, u8)> {
    let (len, kind) = named_kind(toks)?;
    let this = kind.date(today.year())?;
    let span = kind.days();
    let date = if this + Duration::days(i64::from(span) - 1) >= today {
        this
    } else {
        kind.date(today.year() + 1)?
    };
    Some((len, date, span))
}

/// The same named day in a given year.
fn named_in(toks: &[String], y: i32) -> Option<NaiveDate> {
    named_kind(toks).and_then(|(_, k)| k.date(y))
}

/// "navidad de 2027", "christmas 2027": the year after a named day, and how many words it took.
fn with_year(after: &[String], date: NaiveDate, in_year: impl Fn(i32) -> Option<NaiveDate>) -> (NaiveDate, usize) {
    let t = |i: usize| after.get(i).map(String::as_str).unwrap_or("");
    let k = usize::from(matches!(t(0), "de" | "del" | "of" | "in" | "en"));
    match year(t(k)).and_then(in_year) {
        Some(d) => (d, k + 1),
        None => (date, 0),
    }
}

#[derive(Clone, Copy)]
enum Named {
    Fixed(u32, u32),
    Easter(i64, u8),
    NthMonday(u32, u32),
}

impl Named {
    fn date(self, y: i32) -> Option<NaiveDate> {
        match self {
            Named::Fixed(m, d) => NaiveDate::from_ymd_opt(y, m, d),
            Named::Easter(off, _) => easter(y).map(|e| e + Duration::days(off)),
            Named::NthMonday(m, n) => NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Mon, n as u8),
        }
    }
    fn days(self) -> u8 {
        match self {
            Named::Easter(_, n) => n,
            _ => 1,
        }
    }
}

/// Named days, longest wording first where one starts another.
const NAMED: &[(&str, Named)] = &[
    ("christmas eve", Named::Fixed(12, 24)),
    ("nochebuena", Named::Fixed(12, 24)),
    ("noche buena", Named::Fixed(12, 24)),
    ("christmas", Named::Fixed(12, 25)),
    ("xmas", Named::Fixed(12, 25)),
    ("navidad", Named::Fixed(12, 25)),
    ("new years eve", Named::Fixed(12, 31)),
    ("fin de ano", Named::Fixed(12, 31)),
    ("new years", Named::Fixed(1, 1)),
    ("new year", Named::Fixed(1, 1)),
    ("ano nuevo", Named::Fixed(1, 1)),
    ("independence day", Named::Fixed(9, 16)),
    ("independencia", Named::Fixed(9, 16)),
    ("dia de muertos", Named::Fixed(11, 2)),
    ("dia de los muertos", Named::Fixed(11, 2)),
    ("day of the dead", Named::Fixed(11, 2)),
    ("muertos", Named::Fixed(11, 2)),
    ("all souls day", Named::Fixed(11, 2)),
    ("good friday", Named::Easter(-2, 1)),
    ("viernes santo", Named::Easter(-2, 1)),
    ("holy thursday", Named::Easter(-3, 1)),
    ("maundy thursday", Named::Easter(-3, 1)),
    ("jueves santo", Named::Easter(-3, 1)),
    ("holy week", Named::Easter(-6, 7)),
    ("easter week", Named::Easter(-6, 7)),
    ("semana santa", Named::Easter(-6, 7)),
    ("semana mayor", Named::Easter(-6, 7)),
    ("easter sunday", Named::Easter(0, 1)),
    ("domingo de pascua", Named::Easter(0, 1)),
    ("easter", Named::Easter(0, 1)),
    ("pascua", Named::Easter(0, 1)),
    ("labor day", Named::Fixed(5, 1)),
    ("labour day", Named::Fixed(5, 1)),
    ("may day", Named::Fixed(5, 1)),
    ("dia del trabajo", Named::Fixed(5, 1)),
    ("dia del trabajador", Named::Fixed(5, 1)),
    ("cinco de mayo", Named::Fixed(5, 5)),
    ("batalla de puebla", Named::Fixed(5, 5)),
    ("battle of puebla", Named::Fixed(5, 5)),
    ("guadalupe", Named::Fixed(12, 12)),
    ("revolution day", Named::NthMonday(11, 3)),
    ("dia de la revolucion", Named::NthMonday(11, 3)),
    ("constitution day", Named::NthMonday(2, 1)),
    ("dia de la constitucion", Named::NthMonday(2, 1)),
    ("benito juarez", Named::NthMonday(3, 3)),
];

fn named_kind(toks: &[String]) -> Option<(usize, Named)> {
    // Every named day starts with the same letter as its first word, typo or not.
    let first = toks.first()?.as_bytes().first().copied()?;
    NAMED
        .iter()
        .filter(|(p, _)| p.as_bytes()[0] == first)
        .find_map(|(phrase, kind)| {
            let n = phrase.split(' ').count();
            let same = toks.len() >= n
                && phrase
                    .split(' ')
                    .zip(toks)
                    .all(|(p, w)| p == w || (p.len() >= 7 && fuzzy(w, &[p]).is_some()));
            same.then_some((n, *kind))
        })
}

/// The next date with this weekday: today counts unless `strictly_after`.
fn next_weekday(today: NaiveDate, wd: Weekday, strictly_after: bool) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    let ahead = if ahead == 0 && strictly_after { 7 } else { ahead };
    today + Duration::days(ahead)
}

/// English "next Saturday": that day of next week (Monday to Sunday). Spanish "el próximo
/// sábado" is the coming one.
fn next_week(today: NaiveDate, wd: Weekday) -> NaiveDate {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday())) + Duration::days(7);
    monday + Duration::days(i64::from(wd.num_days_from_monday()))
}

/// The next date (from today, within two years) that is this weekday and this day of the month.
fn weekday_of_month(today: NaiveDate, wd: Weekday, day: u32) -> Option<NaiveDate> {
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..24 {
        if let Some(d) = NaiveDate::from_ymd_opt(y, m, day)
            && d >= today
            && d.weekday() == wd
        {
            return Some(d);
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    day_of_month(today, day)
}

/// This day of this month if still ahead, else of the next month that has it.
fn day_of_month(today: NaiveDate, day: u32) -> Option<NaiveDate> {
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..3 {
        if let Some(d) = NaiveDate::from_ymd_opt(y, m, day)
            && d >= today
        {
            return Some(d);
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    None
}

/// "on the 16th", "el 16", "el día 16" (not "el 16 de …", read before, nor a time).
fn lone_day(toks: &[String], i: usize) -> Option<u32> {
    let t = |k: usize| toks.get(k).map(String::as_str).unwrap_or("");
    let w = t(i);
    if let Some(n) = ordinal(w) {
        return Some(n);
    }
    let prev = if i > 0 { t(i - 1) } else { "" };
    if matches!(prev, "el" | "dia") && !is_time_word(t(i + 1)) && !UNITS.contains(&t(i + 1)) {
        return day_number(w).filter(|_| w.bytes().all(|b| b.is_ascii_digit()));
    }
    None
}

/// "8am", "3pm", "15h", "15hrs": the hour and the meridiem.
fn suffixed_hour(w: &str) -> Option<(u32, u32, Meridiem)> {
    let digits_end = w.find(|c: char| !c.is_ascii_digit() && c != ':')?;
    let (num, suffix) = w.split_at(digits_end);
    let mer = match suffix {
        "am" | "a" => Meridiem::Am,
        "pm" | "p" => Meridiem::Pm,
        "h" | "hrs" | "hr" | "hs" => Meridiem::Unknown,
        _ => return None,
    };
    let (h, m) = hour_minute(num)?;
    Some((h, m, mer))
}

/// "15", "2:30", "15:00".
fn hour_minute(w: &str) -> Option<(u32, u32)> {
    let (h, m) = match w.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None => (w, "0"),
    };
    if h.is_empty() || h.len() > 2 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some((h, m))
}

/// A time of day starting at word `i`: "2:30 pm", "8am", "15:00", "a las 4 y media", "at 3",
/// "a las 4 de la tarde", "noon". How many words it took, the time and its meridiem.
fn clock(toks: &[String], i: usize) -> Option<(usize, NaiveTime, Meridiem)> {
    let t = |k: usize| toks.get(k).map(String::as_str).unwrap_or("");
    let w = t(i);
    match w {
        "noon" | "mediodia" => return Some((1, NaiveTime::from_hms_opt(12, 0, 0)?, Meridiem::Unknown)),
        "midnight" | "medianoche" => return Some((1, NaiveTime::from_hms_opt(0, 0, 0)?, Meridiem::Unknown)),
        "medio" if t(i + 1) == "dia" => return Some((2, NaiveTime::from_hms_opt(12, 0, 0)?, Meridiem::Unknown)),
        _ => {}
    }
    // "a las", "at", "alas", "around": what makes a bare number an hour.
    let (lead, start) = match (w, t(i + 1)) {
        ("a", "las" | "la") => (2, i + 2),
        ("alas", _)
        | ("at", _)
        | ("around", _)
        | ("after", _)
        | ("before", _)
        | ("antes", _)
        | ("despues", _)
        | ("tipo", _) => (1, i + 1),
        _ => (0, i),
    };
    let n = t(start);
    let (mut h, mut m, mut mer, mut len) = if let Some((h, m, mer)) = suffixed_hour(n) {
        (h, m, mer, 1)
    } else if let Some((h, m)) = hour_minute(n) {
        let next = t(start + 1);
        if UNITS.contains(&next) && next != "horas" {
            return None;
        }
        // Without "at" / "a las", a number is an hour only when what follows says so.
        let followed = matches!(next, "am" | "pm" | "oclock")
            || (next == "de"
                && t(start + 2) == "la"
                && matches!(t(start + 3), "manana" | "tarde" | "noche" | "madrugada"))
            || (next == "y" && matches!(t(start + 2), "media" | "cuarto"))
            || (next == "menos" && t(start + 2) == "cuarto");
        if !(n.contains(':') || lead > 0 || followed) {
            return None;
        }
        (h, m, Meridiem::Unknown, 1)
    } else {
        return None;
    };
    let mut k = start + 1;
    match (t(k), t(k + 1)) {
        ("y", "media") => (m, len, k) = (30, len + 2, k + 2),
        ("y", "cuarto") => (m, len, k) = (15, len + 2, k + 2),
        ("menos", "cuarto") if h > 0 && m == 0 => (h, m, len, k) = (h - 1, 45, len + 2, k + 2),
        ("y", x) if x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()) => {
            if let Ok(x) = x.parse::<u32>()
                && x < 60
            {
                (m, len, k) = (x, len + 2, k + 2);
            }
        }
        _ => {}
    }
    match (t(k), t(k + 1), t(k + 2)) {
        ("am", ..) => (mer, len) = (Meridiem::Am, len + 1),
        ("pm", ..) => (mer, len) = (Meridiem::Pm, len + 1),
        ("hrs" | "h" | "horas" | "oclock", ..) => len += 1,
        ("de" | "en" | "por", "la", "manana" | "madrugada") => (mer, len) = (Meridiem::Am, len + 3),
        ("de" | "en" | "por", "la", "tarde" | "noche") => (mer, len) = (Meridiem::Pm, len + 3),
        ("in", "the", "morning") => (mer, len) = (Meridiem::Am, len + 3),
        ("in", "the", "afternoon" | "evening") => (mer, len) = (Meridiem::Pm, len + 3),
        _ => {}
    }
    let time = NaiveTime::from_hms_opt(h, m, 0)?;
    Some((lead + len, time, mer))
}

/// A 12-hour reading made 24-hour: "4 de la tarde" is 16:00, and an office question's "at 3" with
/// no am or pm is 15:00 (nobody asks about 3 in the morning).
fn resolve(tm: NaiveTime, mer: Meridiem, part: Option<Part>) -> NaiveTime {
    use chrono::Timelike;
    let (h, m) = (tm.hour(), tm.minute());
    let h = match mer {
        Meridiem::Pm if h < 12 => h + 12,
        Meridiem::Am if h == 12 => 0,
        Meridiem::Am | Meridiem::Pm => h,
        Meridiem::Unknown => match part {
            Some(Part::Afternoon | Part::Evening) if h < 12 => h + 12,
            Some(Part::Morning | Part::Early) => h,
            _ if (1..=7).contains(&h) => h + 12,
            _ => h,
        },
    };
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(tm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Friday 27 Nov 2026, 11:00 in Mexico City.
    fn now() -> DateTime<Tz> {
        chrono_tz::America::Mexico_City
            .with_ymd_and_hms(2026, 11, 27, 11, 0, 0)
            .unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }
    fn date(text: &str) -> Option<NaiveDate> {
        read(text, now()).filter(|m| m.explicit).map(|m| m.date)
    }
    fn time(text: &str) -> Option<NaiveTime> {
        read(text, now()).and_then(|m| m.time)
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
    fn weekdays() {
        assert_eq!(date("is it open this Saturday?"), Some(d(2026, 11, 28)));
        assert_eq!(date("y el martes?"), Some(d(2026, 12, 1)));
        assert_eq!(date("and on friday?"), Some(d(2026, 11, 27)));
        assert_eq!(date("next friday"), Some(d(2026, 12, 4)));
        assert_eq!(date("next saturday"), Some(d(2026, 12, 5)));
        assert_eq!(date("next monday"), Some(d(2026, 11, 30)));
        assert_eq!(date("el próximo sábado"), Some(d(2026, 11, 28)));
        assert_eq!(date("el viernes que viene"), Some(d(2026, 12, 4)));
        assert_eq!(date("open on saterday?"), Some(d(2026, 11, 28)));
        assert_eq!(date("atienden el MIÉRCOLES"), Some(d(2026, 12, 2)));
        assert_eq!(date("el lunes 14"), Some(d(2026, 12, 14)));
        // "vienes" is a word, not a misspelt Friday.
        assert_eq!(read("¿vienes conmigo?", now()), None);
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(date("el 12 de diciembre"), Some(d(2026, 12, 12)));
        assert_eq!(date("december 12th"), Some(d(2026, 12, 12)));
        assert_eq!(date("dec 12"), Some(d(2026, 12, 12)));
        assert_eq!(date("the 3rd of january"), Some(d(2027, 1, 3)));
        assert_eq!(date("¿abren el 16 de septiembre de 2027?"), Some(d(2027, 9, 16)));
        assert_eq!(date("is it open on 16 September 2027?"), Some(d(2027, 9, 16)));
        assert_eq!(date("September 16, 2027"), Some(d(2027, 9, 16)));
        assert_eq!(date("el 3/12"), Some(d(2026, 12, 3)));
        assert_eq!(date("is it open 12/3?"), Some(d(2026, 12, 3)));
        assert_eq!(date("16/09/2027"), Some(d(2027, 9, 16)));
        assert_eq!(date("2027-09-16"), Some(d(2027, 9, 16)));
        assert_eq!(date("my appointment is on Monday November 16th"), Some(d(2027, 11, 16)));
        assert_eq!(date("on the 30th"), Some(d(2026, 11, 30)));
        assert_eq!(date("el dia 2"), Some(d(2026, 12, 2)));
        assert_eq!(date("decembre 24"), Some(d(2026, 12, 24)));
    }

    #[test]
    fn named_days() {
        assert_eq!(date("open on christmas?"), Some(d(2026, 12, 25)));
        assert_eq!(date("¿abren en Navidad de 2027?"), Some(d(2027, 12, 25)));
        assert_eq!(date("good friday"), Some(d(2027, 3, 26)));
        assert_eq!(date("viernes santo 2026"), Some(d(2026, 4, 3)));
        let holy = read("semana santa", now()).unwrap();
        assert_eq!((holy.date, holy.days), (d(2027, 3, 22), 7));
        assert_eq!(date("new year's day"), Some(d(2027, 1, 1)));
        assert_eq!(date("año nuevo"), Some(d(2027, 1, 1)));
        assert_eq!(date("independence day"), Some(d(2027, 9, 16)));
        assert_eq!(date("dia de muertos"), Some(d(2027, 11, 2)));
        assert_eq!(date("dia de la revolucion"), Some(d(2027, 11, 15)));
    }

    #[test]
    fn times() {
        assert_eq!(time("can i go at 2:30 pm?"), hm(14, 30));
        assert_eq!(time("8am"), hm(8, 0));
        assert_eq!(time("8 a.m."), hm(8, 0));
        assert_eq!(time("a las 4 y media"), hm(16, 30));
        assert_eq!(time("a las 15:00"), hm(15, 0));
        assert_eq!(time("¿puedo ir a las 4 de la tarde?"), hm(16, 0));
        assert_eq!(time("a las 10 de la mañana"), hm(10, 0));
        assert_eq!(time("at 3"), hm(15, 0));
        assert_eq!(time("at 9"), hm(9, 0));
        assert_eq!(time("a las 9 menos cuarto"), hm(8, 45));
        assert_eq!(time("at noon"), hm(12, 0));
        assert_eq!(time("15h"), hm(15, 0));
        assert_eq!(time("tomorrow at 10"), hm(10, 0));
        let m = read("next monday at 8am", now()).unwrap();
        assert_eq!((m.date, m.time), (d(2026, 11, 30), hm(8, 0)));
        let m = read("can i go at 2:30 pm?", now()).unwrap();
        assert!(!m.explicit);
        assert_eq!(m.date, d(2026, 11, 27));
        // Quantities are not hours.
        assert_eq!(time("within 30 days"), None);
        assert_eq!(time("it costs 1780 pesos"), None);
        assert_eq!(read("2 years of residency", now()), None);
    }

    #[test]
    fn parts_of_the_day() {
        assert_eq!(read("en la tarde", now()).unwrap().part, Some(Part::Afternoon));
        assert_eq!(read("temprano", now()).unwrap().part, Some(Part::Early));
        assert_eq!(read("in the morning", now()).unwrap().part, Some(Part::Morning));
        assert_eq!(time("a las 4 en la tarde"), hm(16, 0));
        // "tarde" alone is "late".
        assert_eq!(read("llegué tarde", now()), None);
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

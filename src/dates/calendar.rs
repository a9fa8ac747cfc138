//! Days in the calendar: weekday and month names (typos included), ordinals, "12 de diciembre",
//! "12/12", "2027-09-16", and the arithmetic that turns "next monday" or "el 16" into a date
//! counted from the message's day.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::time::is_time_word;
use super::words::{UNITS, fuzzy};

pub(super) fn weekday(w: &str) -> Option<Weekday> {
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

pub(super) fn is_tomorrow(w: &str) -> bool {
    matches!(w, "tomorrow" | "tmrw" | "tmr" | "2morrow" | "tomoz") || fuzzy(w, TOMORROW_TYPOS).is_some()
}

pub(super) fn month(w: &str) -> Option<u32> {
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
pub(super) fn ordinal(w: &str) -> Option<u32> {
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
pub(super) fn day_number(w: &str) -> Option<u32> {
    if !w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|n| (1..=31).contains(n));
    }
    ordinal(w)
}

pub(super) fn year(w: &str) -> Option<i32> {
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|y| (2000..=2100).contains(y));
    }
    None
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
pub(super) fn calendar_date(toks: &[String], today: NaiveDate, english: bool) -> Option<(usize, NaiveDate)> {
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
    // "2-3 years", "4-5 días": a range of a length, not a date.
    if sep == '-' && nums.len() == 2 && is_length_word(t(1)) {
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

/// The next date with this weekday: today counts unless `strictly_after`.
pub(super) fn next_weekday(today: NaiveDate, wd: Weekday, strictly_after: bool) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    let ahead = if ahead == 0 && strictly_after { 7 } else { ahead };
    today + Duration::days(ahead)
}

/// English "next Saturday": that day of next week (Monday to Sunday). Spanish "el próximo
/// sábado" is the coming one.
pub(super) fn next_week(today: NaiveDate, wd: Weekday) -> NaiveDate {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday())) + Duration::days(7);
    monday + Duration::days(i64::from(wd.num_days_from_monday()))
}

/// The next date (from today, within two years) that is this weekday and this day of the month.
pub(super) fn weekday_of_month(today: NaiveDate, wd: Weekday, day: u32) -> Option<NaiveDate> {
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
pub(super) fn day_of_month(today: NaiveDate, day: u32) -> Option<NaiveDate> {
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
pub(super) fn lone_day(toks: &[String], i: usize) -> Option<u32> {
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

/// Units of a length of time, which a number range before them counts.
fn is_length_word(w: &str) -> bool {
    matches!(
        w,
        "years"
            | "year"
            | "yrs"
            | "months"
            | "month"
            | "weeks"
            | "days"
            | "hours"
            | "hrs"
            | "mins"
            | "minutes"
            | "anos"
            | "ano"
            | "meses"
            | "semanas"
            | "dias"
            | "horas"
            | "minutos"
    )
}

#[cfg(test)]
mod tests {
    use crate::dates::read;
    use crate::dates::tests::{d, date, now};

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
        assert_eq!(date("el 4-5"), Some(d(2027, 5, 4)));
        // A range of a length is no date.
        assert_eq!(date("I want to stay 2-3 years"), None);
        assert_eq!(date("me tardo 4-5 dias"), None);
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
}

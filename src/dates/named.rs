//! Named days: Christmas, Holy Week, Día de Muertos, the Mexican Monday holidays… Each is a rule
//! for a year (fixed date, offset from Easter, nth Monday) so that "navidad de 2027" and the next
//! one on or after the message's day come from the same table.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::calendar::year;
use super::words::fuzzy;
use crate::calendar::easter;

/// A named day: how many words it took, its next date on or after `today`, and how many days it
/// covers.
pub(super) fn named(toks: &[String], today: NaiveDate) -> Option<(usize, NaiveDate, u8)> {
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
pub(super) fn named_in(toks: &[String], y: i32) -> Option<NaiveDate> {
    named_kind(toks).and_then(|(_, k)| k.date(y))
}

/// "navidad de 2027", "christmas 2027": the year after a named day, and how many words it took.
pub(super) fn with_year(
    after: &[String],
    date: NaiveDate,
    in_year: impl Fn(i32) -> Option<NaiveDate>,
) -> (NaiveDate, usize) {
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

/// `NAMED` split into words once: every word of every message is compared with them.
fn named_words() -> &'static [(Vec<&'static str>, Named)] {
    static WORDS: OnceLock<Vec<(Vec<&'static str>, Named)>> = OnceLock::new();
    WORDS.get_or_init(|| NAMED.iter().map(|(p, k)| (p.split(' ').collect(), *k)).collect())
}

/// Whether a word is (a typo of) the first word of a named day.
pub(super) fn starts_named(w: &str) -> bool {
    let first = w.as_bytes().first().copied();
    named_words()
        .iter()
        .filter(|(p, _)| p[0].as_bytes().first().copied() == first)
        .any(|(p, _)| same_word(p[0], w))
}

/// A named day's word as written, or one typing slip from a long one.
fn same_word(p: &str, w: &str) -> bool {
    p == w || (p.len() >= 7 && fuzzy(w, &[p]).is_some())
}

fn named_kind(toks: &[String]) -> Option<(usize, Named)> {
    // Every named day starts with the same letter as its first word, typo or not.
    let first = toks.first()?.as_bytes().first().copied()?;
    named_words()
        .iter()
        .filter(|(p, _)| p[0].as_bytes()[0] == first)
        .find_map(|(phrase, kind)| {
            let n = phrase.len();
            let same = toks.len() >= n && phrase.iter().zip(toks).all(|(p, w)| same_word(p, w));
            same.then_some((n, *kind))
        })
}

#[cfg(test)]
mod tests {
    use crate::dates::read;
    use crate::dates::tests::{d, date, now};

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
}

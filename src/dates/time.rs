//! Times of day: "2:30 pm", "8am", "15h", "a las 4 y media", "at noon", and how a 12-hour
//! reading becomes a 24-hour time given am / pm or a part of the day. The calendar readers ask
//! `is_time_word` too, so that "monday 10 am" is a time and not the 10th.

use chrono::NaiveTime;

use super::Part;
use super::words::UNITS;

/// "30pm": what "3:30pm" leaves once the colon has split it.
pub(super) fn minutes_pm(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    matches!(&word[digits.len()..], "am" | "pm" | "h" | "hrs")
        && (1..=2).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meridiem {
    Am,
    Pm,
    /// Already a 24-hour time ("15:00") or unknown.
    Unknown,
}

pub(super) fn is_time_word(w: &str) -> bool {
    matches!(w, "am" | "pm" | "hrs" | "h" | "horas" | "oclock" | "y" | "menos") || w.contains(':')
}

/// "8am", "3pm", "15h", "15hrs": the hour and the meridiem.
pub(super) fn suffixed_hour(w: &str) -> Option<(u32, u32, Meridiem)> {
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
pub(super) fn clock(toks: &[String], i: usize) -> Option<(usize, NaiveTime, Meridiem)> {
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
pub(super) fn resolve(tm: NaiveTime, mer: Meridiem, part: Option<Part>) -> NaiveTime {
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
    use crate::dates::tests::{d, hm, now, time};
    use crate::dates::{Part, read};

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
        assert!(read("how early should I arrive?", now()).is_none_or(|m| m.part.is_none()));
        assert!(read("que tan temprano llego?", now()).is_none_or(|m| m.part.is_none()));
        assert_eq!(read("in the morning", now()).unwrap().part, Some(Part::Morning));
        assert_eq!(time("a las 4 en la tarde"), hm(16, 0));
        // "tarde" alone is "late".
        assert_eq!(read("llegué tarde", now()), None);
    }
}

//! The calendar in words: dates, weekly hours, "open now?" lines and upcoming closures, in both
//! languages.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Weekday};

use crate::calendar::{Calendar, Reason, Status};
use crate::knowledge::{Bilingual, Lang};
use crate::ui::{self, fill};

/// How many upcoming closures `{closures}` lists.
const CLOSURES_LISTED: usize = 6;

const WEEKDAYS: Bilingual<[&str; 7]> = Bilingual {
    en: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    es: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
};
const MONTHS: Bilingual<[&str; 12]> = Bilingual {
    en: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    es: [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ],
};

pub fn weekday_name(d: Weekday, lang: Lang) -> &'static str {
    WEEKDAYS.get(lang)[d.num_days_from_monday() as usize]
}

/// "Thursday 17 Sep" / "jueves 17 de sep".
pub fn date_text(date: NaiveDate, lang: Lang) -> String {
    let (day, month) = (date.day(), MONTHS.get(lang)[date.month0() as usize]);
    let weekday = weekday_name(date.weekday(), lang);
    match lang {
        Lang::En => format!("{weekday} {day} {month}"),
        Lang::Es => format!("{weekday} {day} de {month}"),
    }
}

/// "9:00", "15:30".
pub fn time_text(t: NaiveTime) -> String {
    t.format("%-H:%M").to_string()
}

/// "today at 9:00" / "tomorrow, Friday 18 Sep, at 9:00" / "Monday 21 Sep at 9:00", from `today`.
fn when_text(t: &DateTime<chrono_tz::Tz>, today: NaiveDate, lang: Lang) -> String {
    let d = t.date_naive();
    let time = time_text(t.time());
    if d == today {
        fill(ui::TODAY_AT.get(lang), &time)
    } else if d == today + Duration::days(1) {
        fill(ui::TOMORROW_AT.get(lang), &date_text(d, lang)) + &time
    } else {
        fill(ui::DAY_AT.get(lang), &date_text(d, lang)) + &time
    }
}

/// "Open now, closes at 15:00." / "Closed today (Independence Day); opens Thursday 17 Sep at 9:00."
pub fn status_line(status: &Status, lang: Lang) -> String {
    let today = status.at.date_naive();
    if status.reason == Reason::Open {
        let close = status.next_change.map(|t| time_text(t.time())).unwrap_or_default();
        return fill(ui::OPEN_NOW.get(lang), &close);
    }
    let why = match &status.reason {
        Reason::Weekend => ui::CLOSED_WEEKEND.get(lang).to_string(),
        Reason::Holiday(c) if c.customary => fill(ui::CLOSED_CUSTOMARY.get(lang), c.name.get(lang)),
        Reason::Holiday(c) => fill(ui::CLOSED_HOLIDAY.get(lang), c.name.get(lang)),
        Reason::NoHoursToday => ui::CLOSED_TODAY.get(lang).to_string(),
        Reason::BeforeOpening => ui::CLOSED_NOW.get(lang).to_string(),
        Reason::Open | Reason::AfterClosing => ui::CLOSED_FOR_THE_DAY.get(lang).to_string(),
    };
    match &status.next_change {
        Some(n) => fill(ui::OPENS.get(lang), &why) + &when_text(n, today, lang) + ".",
        None => format!("🔴 {why}."),
    }
}

type Range = (NaiveTime, NaiveTime);

/// One day's ranges: "9:00-15:00" / "de 9:00 a 15:00".
pub fn ranges_text(ranges: &[Range], lang: Lang) -> String {
    ranges
        .iter()
        .map(|(o, c)| match lang {
            Lang::En => format!("{}-{}", time_text(*o), time_text(*c)),
            Lang::Es => format!("de {} a {}", time_text(*o), time_text(*c)),
        })
        .collect::<Vec<_>>()
        .join(ui::RANGE_JOIN.get(lang))
}

/// The days the office opens: "Monday to Friday" / "de lunes a viernes".
pub fn days_text(cal: &Calendar, lang: Lang) -> String {
    let mut runs: Vec<(Weekday, Weekday)> = Vec::new();
    for d in (0..7u8).filter_map(|i| Weekday::try_from(i).ok()) {
        if cal.hours_on(d).is_empty() {
            continue;
        }
        match runs.last_mut() {
            Some((_, last)) if last.succ() == d => *last = d,
            _ => runs.push((d, d)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            let (x, y) = (weekday_name(*a, lang), weekday_name(*b, lang));
            match (lang, a == b) {
                (Lang::En, true) => format!("on {x}s"),
                (Lang::En, false) => format!("{x} to {y}"),
                (Lang::Es, true) => format!("los {x}"),
                (Lang::Es, false) => format!("de {x} a {y}"),
            }
        })
        .collect::<Vec<_>>()
        .join(ui::RANGE_JOIN.get(lang))
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
            let times = ranges_text(ranges, lang);
            let (a, b) = (weekday_name(*first, lang), weekday_name(*last, lang));
            match (lang, first == last) {
                (Lang::En, true) => format!("{a}, {times}"),
                (Lang::En, false) => format!("{a} to {b}, {times}"),
                (Lang::Es, true) => format!("los {a}, {times}"),
                (Lang::Es, false) => format!("de {a} a {b}, {times}"),
            }
        })
        .collect();
    parts.join("; ")
}

/// The next closed working days, one per line.
pub fn closures_text(cal: &Calendar, from: NaiveDate, lang: Lang) -> String {
    let list = cal.upcoming_closures(from, CLOSURES_LISTED);
    if list.is_empty() {
        return ui::NO_CLOSURES.get(lang).to_string();
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
                format!(
                    "• {} {} {} {}: {}",
                    date_text(u.from, lang),
                    ui::DATE_RANGE_TO.get(lang),
                    date_text(u.until, lang),
                    u.until.year(),
                    u.closure.name.get(lang)
                )
            };
            if u.closure.customary {
                line.push_str(ui::CUSTOMARY_MARK.get(lang));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 17).unwrap();
        assert_eq!(date_text(d, Lang::En), "Thursday 17 Sep");
        assert_eq!(date_text(d, Lang::Es), "jueves 17 de sep");
    }
}

//! The verdict for the moment a question asks about, in words: "Saturday 28 Nov: closed (the
//! office opens Monday to Friday). Next opening: Monday 30 Nov, 9:00." The hours and holidays
//! answers lead with it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::time::{date_text, days_text, ranges_text, time_text};
use crate::calendar::Calendar;
use crate::dates::{Moment, Part};
use crate::knowledge::Lang;
use crate::ui::{self, Ui, fill};

/// The verdict for `m`, as plain text; `now` decides whether a year is worth saying.
pub fn verdict(cal: &Calendar, m: &Moment, lang: Lang, now: DateTime<Utc>) -> String {
    let this_year = now.with_timezone(&cal.time_zone()).year();
    let label = |d: NaiveDate| {
        let mut s = date_text(d, lang);
        if d.year() != this_year {
            s.push_str(&fill(ui::V_YEAR.get(lang), &d.year().to_string()));
        }
        s
    };
    let text = if m.days > 1 {
        span(cal, m, lang, &label)
    } else {
        day(cal, m, lang, label(m.date))
    };
    capitalize(&text)
}

fn fill2(t: Ui, lang: Lang, a: &str, b: &str) -> String {
    fill(&fill(t.get(lang), a), b)
}

/// The verdict for one day, with its time or part of the day when given.
fn day(cal: &Calendar, m: &Moment, lang: Lang, label: String) -> String {
    let d = m.date;
    let ranges = cal.hours_on(d.weekday());
    let end_of_day = local(
        cal.time_zone(),
        d,
        NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default(),
    );
    if ranges.is_empty() {
        return fill2(ui::V_CLOSED_WEEKDAY, lang, &label, &days_text(cal, lang)) + &next_opening(cal, end_of_day, lang);
    }
    if let Some(c) = cal.closure_on(d) {
        let t = if c.customary {
            ui::V_CUSTOMARY
        } else {
            ui::V_CLOSED_HOLIDAY
        };
        return fill2(t, lang, &label, c.name.get(lang)) + &next_opening(cal, end_of_day, lang);
    }
    let (first_open, last_close) = (ranges[0].0, ranges[ranges.len() - 1].1);
    if let Some(t) = m.time {
        let at = fill(ui::V_AT.get(lang), &time_text(t));
        let who = if m.explicit {
            format!("{label} {at}")
        } else {
            at.clone()
        };
        if ranges.iter().any(|(o, c)| *o <= t && t < *c) {
            return fill2(ui::V_OPEN_AT, lang, &who, &ranges_text(ranges, lang));
        }
        let prefix = if m.explicit {
            format!("{label}: ")
        } else {
            String::new()
        };
        let time = time_text(t);
        return if t < first_open {
            prefix + &fill2(ui::V_BEFORE_OPENING, lang, &time, &time_text(first_open))
        } else {
            prefix
                + &fill2(ui::V_AFTER_CLOSING, lang, &time, &time_text(last_close))
                + &next_opening(cal, local(cal.time_zone(), d, t), lang)
        };
    }
    if let Some(part) = m.part {
        let name: Ui = match part {
            Part::Morning => ui::V_MORNING,
            Part::Afternoon => ui::V_AFTERNOON,
            Part::Evening => ui::V_EVENING,
            Part::Early => ui::V_EARLY,
        };
        let name = *name.get(lang);
        let who = if m.explicit {
            format!("{label}, {name}")
        } else {
            name.to_string()
        };
        let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
        let (from, until) = match part {
            Part::Morning => (hm(0), hm(12)),
            Part::Afternoon => (hm(12), hm(19)),
            Part::Evening => (hm(19), NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()),
            Part::Early => return fill2(ui::V_OPENS_AT, lang, &who, &time_text(first_open)),
        };
        let overlaps = ranges.iter().any(|(o, c)| *o < until && *c > from);
        return if !overlaps {
            fill2(ui::V_PART_CLOSED, lang, &who, &time_text(last_close))
        } else if first_open > from {
            fill2(ui::V_PART_OPEN_FROM, lang, &who, &time_text(first_open))
        } else if last_close < until {
            fill2(ui::V_PART_OPEN_UNTIL, lang, &who, &time_text(last_close))
        } else {
            fill2(ui::V_PART_OPEN, lang, &who, &ranges_text(ranges, lang))
        };
    }
    fill2(ui::V_OPEN_DAY, lang, &label, &ranges_text(ranges, lang))
}

/// Several days (Holy Week, a weekend): the closed working days, then the rest.
fn span(cal: &Calendar, m: &Moment, lang: Lang, label: &dyn Fn(NaiveDate) -> String) -> String {
    let until = m.until();
    let whole = format!("{} {} {}", label(m.date), ui::DATE_RANGE_TO.get(lang), label(until));
    let mut closed = Vec::new();
    let mut customary = Vec::new();
    let mut open_days = 0;
    let mut d = m.date;
    while d <= until {
        if !cal.hours_on(d.weekday()).is_empty() {
            match cal.closure_on(d) {
                Some(c) if c.customary => customary.push(format!("{} ({})", date_text(d, lang), c.name.get(lang))),
                Some(c) => closed.push(format!("{} ({})", date_text(d, lang), c.name.get(lang))),
                None => open_days += 1,
            }
        }
        d += Duration::days(1);
    }
    if closed.is_empty() && customary.is_empty() && open_days == 0 {
        let end = local(
            cal.time_zone(),
            until,
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default(),
        );
        return fill2(ui::V_CLOSED_WEEKDAY, lang, &whole, &days_text(cal, lang)) + &next_opening(cal, end, lang);
    }
    let and = ui::V_SPAN_AND.get(lang);
    let mut parts = Vec::new();
    if !closed.is_empty() {
        parts.push(fill(ui::V_SPAN_CLOSED.get(lang), &closed.join(and)));
    }
    if !customary.is_empty() {
        parts.push(fill(ui::V_SPAN_CUSTOMARY.get(lang), &customary.join(and)));
    }
    if open_days > 0 {
        let ranges = cal.hours_on(chrono::Weekday::Mon);
        let any = if ranges.is_empty() {
            (0..7u8)
                .filter_map(|i| chrono::Weekday::try_from(i).ok())
                .map(|w| cal.hours_on(w))
                .find(|r| !r.is_empty())
                .unwrap_or(ranges)
        } else {
            ranges
        };
        parts.push(fill(ui::V_SPAN_OPEN_REST.get(lang), &ranges_text(any, lang)));
    }
    format!("{whole}: {}.", parts.join("; "))
}

/// " Next opening: Monday 30 Nov, 9:00." after `after`.
fn next_opening(cal: &Calendar, after: Option<DateTime<Tz>>, lang: Lang) -> String {
    let Some(after) = after else { return String::new() };
    let status = cal.status_at(after.with_timezone(&Utc));
    let next = if status.open { None } else { status.next_change };
    match next {
        Some(n) => {
            let mut when = date_text(n.date_naive(), lang);
            if n.year() != after.year() {
                when.push_str(&fill(ui::V_YEAR.get(lang), &n.year().to_string()));
            }
            when.push_str(", ");
            when.push_str(&time_text(n.time()));
            fill(ui::V_NEXT_OPENING.get(lang), &when)
        }
        None => String::new(),
    }
}

fn local(tz: Tz, d: NaiveDate, t: NaiveTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&d.and_time(t)).earliest()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

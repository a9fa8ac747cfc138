//! The office calendar: whether the office is open at an instant, why not, and when that changes,
//! always computed in the office's own time zone (Mexico City) whatever the server's zone is.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::knowledge::{Knowledge, Text, When};

/// How far ahead to look for the next opening; a year covers any real closure.
const HORIZON_DAYS: i64 = 400;

/// The office's weekly hours and closures, ready to answer questions about instants.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    /// Opening ranges per weekday, Monday first, sorted.
    hours: [Vec<(NaiveTime, NaiveTime)>; 7],
    rules: Vec<(When, Closure)>,
    dated: Vec<(NaiveDate, NaiveDate, Closure)>,
}

/// A day the office is closed although its weekday has hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub name: Text,
    /// Set for closures that are custom rather than law: worth checking before going.
    pub customary: bool,
}

/// Why the office is open or closed.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Open,
    Weekend,
    Holiday(Closure),
    /// A weekday on which the office has no hours at all.
    NoHoursToday,
    BeforeOpening,
    AfterClosing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub open: bool,
    pub reason: Reason,
    /// The instant this status was computed for, in office time.
    pub at: DateTime<Tz>,
    /// When the office next opens (if closed) or closes (if open); `None` only when the office
    /// has no opening in the next year, which a validated knowledge base cannot produce.
    pub next_change: Option<DateTime<Tz>>,
}

/// A run of consecutive closed days with one name.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingClosure {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub closure: Closure,
}

impl Calendar {
    pub fn new(kb: &Knowledge) -> Calendar {
        let mut hours: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        for h in &kb.office.hours {
            for d in &h.days {
                hours[Weekday::from(*d).num_days_from_monday() as usize].push((h.open.0, h.close.0));
            }
        }
        for day in &mut hours {
            day.sort();
        }
        let rules = kb
            .closures
            .rules
            .iter()
            .map(|r| {
                (
                    r.when.clone(),
                    Closure {
                        name: r.name.clone(),
                        customary: r.customary,
                    },
                )
            })
            .collect();
        let dated = kb
            .closures
            .dated
            .iter()
            .map(|d| {
                (
                    d.from,
                    d.until.unwrap_or(d.from),
                    Closure {
                        name: d.name.clone(),
                        customary: true,
                    },
                )
            })
            .collect();
        Calendar {
            tz: kb.time_zone(),
            hours,
            rules,
            dated,
        }
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The opening ranges of a weekday.
    pub fn hours_on(&self, day: Weekday) -> &[(NaiveTime, NaiveTime)] {
        &self.hours[day.num_days_from_monday() as usize]
    }

    /// The closure that falls on a date, if any (weekends are not closures).
    pub fn closure_on(&self, date: NaiveDate) -> Option<&Closure> {
        for (from, until, c) in &self.dated {
            if *from <= date && date <= *until {
                return Some(c);
            }
        }
        self.rules.iter().find(|(w, _)| falls_on(w, date)).map(|(_, c)| c)
    }

    /// Open or closed at an instant, and when that changes.
    pub fn status_at(&self, instant: DateTime<Utc>) -> Status {
        let at = instant.with_timezone(&self.tz);
        let date = at.date_naive();
        let time = at.time();
        let ranges = self.hours_on(date.weekday());
        let reason = if ranges.is_empty() {
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                Reason::Weekend
            } else {
                Reason::NoHoursToday
            }
        } else if let Some(c) = self.closure_on(date) {
            Reason::Holiday(c.clone())
        } else if let Some(&(_, close)) = ranges.iter().find(|(o, c)| *o <= time && time < *c) {
            let next_change = self.local(date, close);
            return Status {
                open: true,
                reason: Reason::Open,
                at,
                next_change,
            };
        } else if ranges.iter().any(|(o, _)| time < *o) {
            Reason::BeforeOpening
        } else {
            Reason::AfterClosing
        };
        Status {
            open: false,
            reason,
            at,
            next_change: self.next_opening(at),
        }
    }

    /// The first opening strictly after `at`.
    fn next_opening(&self, at: DateTime<Tz>) -> Option<DateTime<Tz>> {
        let start = at.date_naive();
        for offset in 0..HORIZON_DAYS {
            let date = start + Duration::days(offset);
            if self.closure_on(date).is_some() {
                continue;
            }
            for &(open, _) in self.hours_on(date.weekday()) {
                if let Some(t) = self.local(date, open)
                    && t > at
                {
                    return Some(t);
                }
            }
        }
        None
    }

    /// Closed days that fall on working days from `from` on, merged into runs, at most `limit`.
    pub fn upcoming_closures(&self, from: NaiveDate, limit: usize) -> Vec<UpcomingClosure> {
        let mut out: Vec<UpcomingClosure> = Vec::new();
        for offset in 0..HORIZON_DAYS {
            let date = from + Duration::days(offset);
            let Some(c) = self.closure_on(date) else { continue };
            if let Some(last) = out.last_mut()
                && last.closure == *c
                && (date - last.until).num_days() <= 3
            {
                // A run that continues across a weekend is still one closure.
                last.until = date;
                continue;
            }
            if self.hours_on(date.weekday()).is_empty() {
                continue;
            }
            if out.len() == limit {
                break;
            }
            out.push(UpcomingClosure {
                from: date,
                until: date,
                closure: c.clone(),
            });
        }
        out
    }

    fn local(&self, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Tz>> {
        self.tz.from_local_datetime(&date.and_time(time)).earliest()
    }
}

/// Whether a yearly rule falls on a date.
pub fn falls_on(when: &When, date: NaiveDate) -> bool {
    occurrence(when, date.year()) == Some(date)
}

/// The date a rule falls on in a year, if it falls in that year at all.
pub fn occurrence(when: &When, year: i32) -> Option<NaiveDate> {
    match *when {
        When::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
        When::NthWeekday { month, weekday, n } => NaiveDate::from_weekday_of_month_opt(year, month, weekday.into(), n),
        When::EasterOffset(days) => easter(year).map(|e| e + Duration::days(days)),
        When::EveryYears {
            month,
            day,
            base_year,
            every,
        } => {
            if every > 0 && year >= base_year && (year - base_year) % every == 0 {
                NaiveDate::from_ymd_opt(year, month, day)
            } else {
                None
            }
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Day;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter(2030), Some(d(2030, 4, 21)));
        assert_eq!(easter(2038), Some(d(2038, 4, 25)));
    }

    #[test]
    fn rule_kinds() {
        let fixed = When::Fixed { month: 9, day: 16 };
        assert!(falls_on(&fixed, d(2026, 9, 16)));
        assert!(!falls_on(&fixed, d(2026, 9, 15)));
        let third_monday = When::NthWeekday {
            month: 3,
            weekday: Day::Mon,
            n: 3,
        };
        assert_eq!(occurrence(&third_monday, 2026), Some(d(2026, 3, 16)));
        assert_eq!(occurrence(&third_monday, 2027), Some(d(2027, 3, 15)));
        let fifth = When::NthWeekday {
            month: 2,
            weekday: Day::Mon,
            n: 5,
        };
        assert_eq!(occurrence(&fifth, 2026), None);
        let good_friday = When::EasterOffset(-2);
        assert_eq!(occurrence(&good_friday, 2026), Some(d(2026, 4, 3)));
        let every6 = When::EveryYears {
            month: 10,
            day: 1,
            base_year: 2024,
            every: 6,
        };
        assert!(falls_on(&every6, d(2030, 10, 1)));
        assert!(falls_on(&every6, d(2024, 10, 1)));
        assert!(!falls_on(&every6, d(2027, 10, 1)));
        assert!(!falls_on(&every6, d(2018, 10, 1)));
    }
}

//! The office calendar against real dates: every closure rule, 2026-2030 holidays, and instants
//! around opening and closing time, computed in Mexico City time whatever the server's zone.

use chrono::{DateTime, NaiveDate, Utc};
use inm_bot::Engine;
use inm_bot::calendar::{Reason, Status};
use inm_bot::knowledge::Lang;
use inm_bot::render;

fn engine() -> Engine {
    inm_bot::load(None).expect("built-in knowledge base")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn status(e: &Engine, s: &str) -> Status {
    e.calendar.status_at(at(s))
}

fn holiday_name(st: &Status) -> Option<String> {
    match &st.reason {
        Reason::Holiday(c) => Some(c.name.en.clone()),
        _ => None,
    }
}

fn closed_for(e: &Engine, date: &str) -> Option<String> {
    let d: NaiveDate = date.parse().unwrap();
    e.calendar.closure_on(d).map(|c| c.name.en.clone())
}

#[test]
fn federal_holidays_2026_to_2030() {
    let e = engine();
    let expect = [
        ("2026-01-01", "New Year's Day"),
        ("2026-02-02", "Constitution Day"),
        ("2026-03-16", "Benito Juárez's birthday"),
        ("2026-04-02", "Holy Thursday"),
        ("2026-04-03", "Good Friday"),
        ("2026-05-01", "Labour Day"),
        ("2026-05-05", "Battle of Puebla"),
        ("2026-09-16", "Independence Day"),
        ("2026-11-02", "Day of the Dead"),
        ("2026-11-16", "Revolution Day"),
        ("2026-12-25", "Christmas Day"),
        ("2027-02-01", "Constitution Day"),
        ("2027-03-15", "Benito Juárez's birthday"),
        ("2027-03-26", "Good Friday"),
        ("2027-11-15", "Revolution Day"),
        ("2028-02-07", "Constitution Day"),
        ("2028-03-20", "Benito Juárez's birthday"),
        ("2028-04-14", "Good Friday"),
        ("2029-02-05", "Constitution Day"),
        ("2029-11-19", "Revolution Day"),
        ("2030-10-01", "Presidential inauguration"),
        ("2030-04-19", "Good Friday"),
    ];
    for (date, name) in expect {
        assert_eq!(closed_for(&e, date).as_deref(), Some(name), "{date}");
    }
    // Ordinary working days, including 1 Oct outside inauguration years and the Monday after a
    // third-Monday holiday.
    for date in [
        "2026-02-03",
        "2026-03-09",
        "2026-09-17",
        "2026-11-23",
        "2027-10-01",
        "2029-10-01",
        "2026-11-27",
    ] {
        assert_eq!(closed_for(&e, date), None, "{date}");
    }
}

#[test]
fn closed_on_a_holiday_with_the_reason_and_next_opening() {
    let e = engine();
    let st = status(&e, "2026-09-16T10:00:00-06:00");
    assert!(!st.open);
    assert_eq!(holiday_name(&st).as_deref(), Some("Independence Day"));
    assert_eq!(st.next_change.unwrap().to_rfc3339(), "2026-09-17T09:00:00-06:00");
    let line = render::status_line(&st, Lang::En);
    assert!(line.contains("Closed today (Independence Day)"), "{line}");
    assert!(line.contains("opens tomorrow, Thursday 17 Sep, at 9:00"), "{line}");

    for (instant, name) in [
        ("2026-02-02T11:00:00-06:00", "Constitution Day"),
        ("2026-03-16T11:00:00-06:00", "Benito Juárez's birthday"),
        ("2026-11-16T11:00:00-06:00", "Revolution Day"),
        ("2026-12-25T11:00:00-06:00", "Christmas Day"),
        ("2027-02-01T11:00:00-06:00", "Constitution Day"),
        ("2030-10-01T11:00:00-06:00", "Presidential inauguration"),
    ] {
        let st = status(&e, instant);
        assert!(!st.open, "{instant}");
        assert_eq!(holiday_name(&st).as_deref(), Some(name), "{instant}");
    }
}

#[test]
fn christmas_2026_reopens_after_the_weekend_and_new_year() {
    let e = engine();
    // Fri 25 Dec 2026 is a holiday: the next opening is Monday 28 Dec.
    let st = status(&e, "2026-12-25T12:00:00-06:00");
    assert_eq!(st.next_change.unwrap().to_rfc3339(), "2026-12-28T09:00:00-06:00");
    // Thu 31 Dec after hours: Fri 1 Jan is closed, then the weekend: Monday 4 Jan.
    let st = status(&e, "2026-12-31T16:00:00-06:00");
    assert_eq!(st.reason, Reason::AfterClosing);
    assert_eq!(st.next_change.unwrap().to_rfc3339(), "2027-01-04T09:00:00-06:00");
}

#[test]
fn opening_and_closing_instants() {
    let e = engine();
    // Friday 27 Nov 2026, an ordinary working day.
    let before = status(&e, "2026-11-27T08:59:59-06:00");
    assert!(!before.open);
    assert_eq!(before.reason, Reason::BeforeOpening);
    assert_eq!(before.next_change.unwrap().to_rfc3339(), "2026-11-27T09:00:00-06:00");
    assert!(render::status_line(&before, Lang::En).contains("opens today at 9:00"));

    let opening = status(&e, "2026-11-27T09:00:00-06:00");
    assert!(opening.open);
    assert_eq!(opening.next_change.unwrap().to_rfc3339(), "2026-11-27T15:00:00-06:00");
    assert_eq!(render::status_line(&opening, Lang::En), "🟢 Open now, closes at 15:00.");
    assert_eq!(
        render::status_line(&opening, Lang::Es),
        "🟢 Abierto ahora; cierra a las 15:00."
    );

    assert!(status(&e, "2026-11-27T14:59:59-06:00").open);

    let closing = status(&e, "2026-11-27T15:00:00-06:00");
    assert!(!closing.open);
    assert_eq!(closing.reason, Reason::AfterClosing);
    // Friday after hours: next opening is Monday.
    assert_eq!(closing.next_change.unwrap().to_rfc3339(), "2026-11-30T09:00:00-06:00");
}

#[test]
fn weekends_are_closed() {
    let e = engine();
    let st = status(&e, "2026-11-28T10:00:00-06:00");
    assert!(!st.open);
    assert_eq!(st.reason, Reason::Weekend);
    assert_eq!(st.next_change.unwrap().to_rfc3339(), "2026-11-30T09:00:00-06:00");
    assert!(render::status_line(&st, Lang::Es).contains("fin de semana"));
}

#[test]
fn mexico_city_time_whatever_the_instant_zone() {
    let e = engine();
    // 15:30 UTC is 9:30 in Mexico City (UTC-6 all year since 2022): open.
    assert!(status(&e, "2026-07-01T15:30:00Z").open);
    // 14:30 UTC is 8:30 there: not yet, though it is afternoon in Europe.
    assert!(!status(&e, "2026-07-01T14:30:00Z").open);
    // 20:59 UTC = 14:59 local: open; 21:00 UTC = 15:00: closed. No daylight saving in summer.
    assert!(status(&e, "2026-07-01T20:59:00Z").open);
    assert!(!status(&e, "2026-07-01T21:00:00Z").open);
    // The same instant written in another offset gives the same answer.
    assert_eq!(
        status(&e, "2026-07-01T17:30:00+02:00").open,
        status(&e, "2026-07-01T15:30:00Z").open
    );
}

#[test]
fn upcoming_closures_are_listed_and_merge_runs() {
    let e = engine();
    let list = e.calendar.upcoming_closures("2026-11-27".parse().unwrap(), 3);
    let names: Vec<_> = list.iter().map(|u| u.closure.name.en.as_str()).collect();
    assert_eq!(names, vec!["Christmas Day", "New Year's Day", "Constitution Day"]);
    // The 2020 year-end closure spans a weekend but is one run.
    let list = e.calendar.upcoming_closures("2020-12-20".parse().unwrap(), 1);
    assert_eq!(list[0].from.to_string(), "2020-12-25");
    assert_eq!(list[0].until.to_string(), "2021-01-01");
}

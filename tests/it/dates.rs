//! Questions by date, generated from the calendar's rules: every day of 2026-2030 and every
//! closure rule asked in both languages ("is it open on 16 September 2027?", "¿abren el 16 de
//! septiembre de 2027?") must get the hours (or holidays) answer with the right verdict first.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use inm_bot::answer::{Context, Engine, Memory};
use inm_bot::calendar::occurrence;
use inm_bot::knowledge::Lang;
use inm_bot::render::{self, Format};

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn engine() -> Engine {
    inm_bot::load(None).expect("built-in knowledge base")
}

/// A message sent on Thursday 1 Jan 2026 at 10:00 in Mexico City.
fn sent() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T10:00:00-06:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn question(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "is it open on {} {} {}?",
            d.day(),
            MONTHS_EN[d.month0() as usize],
            d.year()
        ),
        Lang::Es => format!(
            "¿abren el {} de {} de {}?",
            d.day(),
            MONTHS_ES[d.month0() as usize],
            d.year()
        ),
    }
}

/// Asks about `d` and checks the verdict against the calendar; returns the verdict.
fn check(e: &Engine, d: NaiveDate, lang: Lang) -> String {
    let q = question(d, lang);
    let a = e.answer(&q, &Context::new(None, sent()));
    assert_eq!(a.lang, lang, "{q}");
    let topic = a.topic().map(|t| e.topic_id(t));
    assert!(matches!(topic, Some("hours" | "holidays")), "{q}: {topic:?}");
    let m = a.when.unwrap_or_else(|| panic!("{q}: no moment read"));
    assert_eq!(m.date, d, "{q}");
    let v = render::verdict(&e.calendar, &m, lang, sent()).to_lowercase();
    let (closed, customary, open) = match lang {
        Lang::En => ("closed", "usually closed", ": open"),
        Lang::Es => ("cerrado", "normalmente cerrado", ": abierto"),
    };
    if e.calendar.hours_on(d.weekday()).is_empty() {
        assert!(v.contains(closed) && !v.contains(open), "{q}: {v}");
    } else if let Some(c) = e.calendar.closure_on(d) {
        let name = c.name.get(lang).to_lowercase();
        assert!(v.contains(&name), "{q}: {v}");
        assert!(v.contains(if c.customary { customary } else { closed }), "{q}: {v}");
    } else {
        assert!(v.contains(open) && !v.contains(closed), "{q}: {v}");
    }
    v
}

#[test]
fn every_day_of_2026_to_2030_asked_by_date() {
    let e = engine();
    let mut d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
    let mut closed = 0;
    while d <= last {
        for lang in Lang::ALL {
            if check(&e, d, lang).contains(match lang {
                Lang::En => "closed",
                Lang::Es => "cerrado",
            }) {
                closed += 1;
            }
        }
        d += Duration::days(1);
    }
    // Weekends alone close about 2 days in 7.
    assert!(closed > 2 * 5 * 104, "{closed}");
}

#[test]
fn every_closure_rule_of_2026_to_2030() {
    let e = engine();
    let mut asked = 0;
    for rule in &e.kb.closures.rules {
        for year in 2026..=2030 {
            let Some(d) = occurrence(&rule.when, year) else {
                continue;
            };
            for lang in Lang::ALL {
                let v = check(&e, d, lang);
                if !e.calendar.hours_on(d.weekday()).is_empty() {
                    assert!(v.contains(&rule.name.get(lang).to_lowercase()), "{d}: {v}");
                }
                asked += 1;
            }
        }
    }
    for c in &e.kb.closures.dated {
        if (2026..=2030).contains(&c.from.year()) {
            for lang in Lang::ALL {
                check(&e, c.from, lang);
            }
        }
    }
    assert!(asked >= 100, "{asked}");
}

#[test]
fn dates_from_the_sources() {
    // Ley Federal del Trabajo art. 74 (facts.md), worked out by hand for 2027 and 2030.
    let e = engine();
    for (date, en) in [
        ("2027-02-01", "Thursday"),
        ("2027-03-15", "Benito"),
        ("2027-11-15", "Revolution"),
        ("2030-10-01", "inauguration"),
    ] {
        let d: NaiveDate = date.parse().unwrap();
        let v = check(&e, d, Lang::En);
        assert!(v.contains(&en.to_lowercase()) || en == "Thursday", "{date}: {v}");
    }
}

#[test]
fn the_issue_examples() {
    let e = engine();
    let friday = DateTime::parse_from_rfc3339("2026-11-27T11:00:00-06:00")
        .unwrap()
        .with_timezone(&Utc);
    let say = |q: &str, memory: Memory| {
        let a = e.answer(q, &Context::new(None, friday).with_memory(memory));
        (
            render::answer(&e, &a, friday, Format::Plain),
            a.remember(memory, friday),
        )
    };
    let (text, memory) = say("is it open this Saturday?", Memory::default());
    assert!(
        text.starts_with(
            "Saturday 28 Nov: closed (the office opens Monday to Friday). Next opening: Monday 30 Nov, 9:00."
        ),
        "{text}"
    );
    assert!(!text.contains("Open now"), "{text}");
    // An elliptic follow-up keeps the subject; a message with its own subject starts afresh.
    let (text, memory) = say("y el martes?", memory);
    assert!(text.starts_with("Martes 1 de dic: abierto, de 9:00 a 15:00."), "{text}");
    let (text, _) = say("where can I park?", memory);
    assert!(!text.contains("Martes") && !text.contains("Tuesday"), "{text}");
    let (text, _) = say("can i go at 3:30 pm?", Memory::default());
    assert!(text.starts_with("15:30 is after closing time (15:00)."), "{text}");
    let (text, _) = say("¿abren el 16 de septiembre de 2027?", Memory::default());
    assert!(
        text.starts_with("Jueves 16 de sep de 2027: cerrado, Día de la Independencia."),
        "{text}"
    );
    let (text, _) = say("open on good friday?", Memory::default());
    assert!(
        text.contains("usually closed (Good Friday) — check before you go"),
        "{text}"
    );
}

#[test]
fn a_date_never_sinks_a_match() {
    let e = engine();
    let ask = |q: &str| e.answer(q, &Context::new(None, sent()));
    for (plain, dated) in [
        (
            "how do I renew my residency card",
            "how do I renew my residency card on december 14th",
        ),
        ("donde esta la oficina", "donde esta la oficina, voy el 14 de diciembre"),
        ("where can I park", "where can I park at 10am"),
    ] {
        let (a, b) = (ask(plain), ask(dated));
        assert!(a.topic().is_some(), "{plain}");
        assert_eq!(a.topic(), b.topic(), "{dated}");
    }
    // A weekday leans towards the hours, but a procedure named with it stays the subject.
    let a = ask("what documents for the canje next monday");
    let topic = a.topic().map(|t| e.topic_id(t));
    assert!(topic.is_some() && topic != Some("hours"), "{topic:?}");
}

#[test]
fn after_a_holiday_an_ordinary_weekday_asks_for_the_hours_and_a_date_whether_it_is_one_too() {
    let e = engine();
    // Sunday 15 Nov 2026; Monday 16 Nov is the Revolution Day holiday.
    let sunday = DateTime::parse_from_rfc3339("2026-11-15T11:00:00-06:00")
        .unwrap()
        .with_timezone(&Utc);
    let ask = |q: &str, memory: Memory| {
        let a = e.answer(q, &Context::new(None, sunday).with_memory(memory));
        let id = a.topic().map(|t| e.topic_id(t).to_string());
        (
            id,
            render::answer(&e, &a, sunday, Format::Plain),
            a.remember(memory, sunday),
        )
    };
    let (id, text, memory) = ask("are you open tomorrow?", Memory::default());
    assert_eq!(id.as_deref(), Some("holidays"), "{text}");
    let (id, text, _) = ask("ugh ok, tuesday then?", memory);
    assert_eq!(id.as_deref(), Some("hours"), "{text}");
    assert!(text.starts_with("Tuesday 17 Nov: open"), "{text}");
    let (id, text, _) = ask("and dec 24?", memory);
    assert_eq!(id.as_deref(), Some("holidays"), "{text}");
}

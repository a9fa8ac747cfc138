//! The knowledge base's types, as authors write them in YAML: the office, its closures, the
//! topics with their answers, checklists and facts, and the referrals.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// Longest phrase, in words (the matcher tracks the words a phrase covers in a `u64`).
pub const MAX_PHRASE_WORDS: usize = 8;

/// The two languages the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Reads a language code such as Telegram's `language_code` ("es-MX" counts as Spanish).
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s).ok_or_else(|| format!("unknown language '{s}' (use en or es)"))
    }
}

/// Something said in both languages.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bilingual<T> {
    pub en: T,
    pub es: T,
}

impl<T> Bilingual<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

pub type Text = Bilingual<String>;

/// The whole knowledge base, merged from every YAML file of a directory.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub office: Office,
    pub closures: Closures,
    pub topics: Vec<Topic>,
    pub referrals: Vec<Referral>,
    /// Where the knowledge base came from, for messages ("embedded" or a directory).
    pub origin: String,
    /// Where each topic was written (parallel to `topics`), for problems found after loading.
    pub sources: Vec<super::source::TopicSource>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub name: Text,
    pub address: String,
    pub map_query: String,
    #[serde(default)]
    pub pin: Option<Pin>,
    pub time_zone: String,
    pub hours: Vec<HoursRange>,
    #[serde(default)]
    pub sources: Vec<String>,
    pub last_verified: NaiveDate,
    /// The one-line reminder that ends every answer.
    pub reminder: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default)]
    pub approximate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursRange {
    pub days: Vec<Day>,
    pub open: ClockTime,
    pub close: ClockTime,
}

/// A day of the week as written in YAML (`mon` … `sun`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<Day> for Weekday {
    fn from(d: Day) -> Weekday {
        match d {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// A wall-clock time written "HH:MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M")
            .map(ClockTime)
            .map_err(|_| serde::de::Error::custom(format!("invalid time '{s}', expected HH:MM")))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closures {
    #[serde(default)]
    pub rules: Vec<ClosureRule>,
    #[serde(default)]
    pub dated: Vec<DatedClosure>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosureRule {
    pub id: String,
    pub name: Text,
    pub when: When,
    pub source: String,
    /// A customary closure rather than one set by law: the answer says to check.
    #[serde(default)]
    pub customary: bool,
}

/// How a yearly closure falls.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(try_from = "WhenDoc")]
pub enum When {
    Fixed {
        month: u32,
        day: u32,
    },
    NthWeekday {
        month: u32,
        weekday: Day,
        n: u8,
    },
    EasterOffset(i64),
    EveryYears {
        month: u32,
        day: u32,
        base_year: i32,
        every: i32,
    },
}

/// `When` as written in YAML: a map with exactly one of these keys (plain maps read more easily
/// than YAML tags for the people who edit these files).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenDoc {
    fixed: Option<MonthDay>,
    nth_weekday: Option<NthWeekday>,
    easter_offset: Option<i64>,
    every_years: Option<EveryYears>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthDay {
    month: u32,
    day: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NthWeekday {
    month: u32,
    weekday: Day,
    n: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EveryYears {
    month: u32,
    day: u32,
    base_year: i32,
    every: i32,
}

impl TryFrom<WhenDoc> for When {
    type Error = String;
    fn try_from(w: WhenDoc) -> Result<When, String> {
        let mut found = Vec::new();
        if let Some(MonthDay { month, day }) = w.fixed {
            found.push(When::Fixed { month, day });
        }
        if let Some(NthWeekday { month, weekday, n }) = w.nth_weekday {
            found.push(When::NthWeekday { month, weekday, n });
        }
        if let Some(days) = w.easter_offset {
            found.push(When::EasterOffset(days));
        }
        if let Some(EveryYears {
            month,
            day,
            base_year,
            every,
        }) = w.every_years
        {
            found.push(When::EveryYears {
                month,
                day,
                base_year,
                every,
            });
        }
        if found.len() != 1 {
            return Err("`when` needs exactly one of fixed, nth_weekday, easter_offset, every_years".into());
        }
        Ok(found.remove(0))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedClosure {
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    pub name: Text,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub title: Text,
    pub keywords: Bilingual<Vec<String>>,
    #[serde(default)]
    pub phrases: Bilingual<Vec<String>>,
    pub answer: Text,
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
    #[serde(default)]
    pub related: Vec<String>,
    /// Ways real people ask for this topic, in both languages: evidence for the matcher.
    #[serde(default)]
    pub examples: Bilingual<Vec<String>>,
    /// Single facts of a procedure, answered on their own ("how much is it?").
    #[serde(default)]
    pub facts: BTreeMap<FactKind, Fact>,
    /// The kinds of fact this topic answers in general, when a question names no procedure
    /// ("fees" for `fee`): a question that names one gets that procedure's fact instead.
    #[serde(default)]
    pub general_for: Vec<FactKind>,
    /// The kinds of fact that, asked of this topic's subject, are other people's business: a
    /// price asked of the neighbourhood ("how much is a coffee in Polanco?") is a café's, so
    /// such a question is not answered with this topic.
    #[serde(default)]
    pub others_for: Vec<FactKind>,
    pub sources: Vec<String>,
    pub last_verified: NaiveDate,
}

impl Topic {
    /// How many of this topic's checklist items are among `ticked`. Ticks of items no longer in
    /// the checklist (removed by an author) do not count; they stay saved should the item return.
    pub fn ticked_count(&self, ticked: &std::collections::BTreeSet<String>) -> usize {
        self.checklist.iter().filter(|i| ticked.contains(&i.id)).count()
    }
}

/// The kinds of single fact a procedure can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    Fee,
    Deadline,
    Documents,
    Form,
    Validity,
    Who,
    Where,
    Duration,
}

/// One fact of a procedure, with where it comes from. An absent fact means the sources do not give it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub answer: Text,
    /// A deadline that can be computed from a date in the question.
    #[serde(default)]
    pub days: Option<DeadlineDays>,
    pub sources: Vec<String>,
}

/// "Within N days of/before an event": lets a date in the question give a concrete date.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineDays {
    pub days: i64,
    /// `after`: the N days start at the event (entry, the change); `before`: they end at it (expiry).
    pub counted: Counted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Counted {
    After,
    Before,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub en: String,
    pub es: String,
    /// A short label for the item's button (the full text is in the message).
    #[serde(default)]
    pub short: Option<Text>,
}

/// Something people confuse with this office, answered with where to go instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub id: String,
    pub keywords: Bilingual<Vec<String>>,
    #[serde(default)]
    pub phrases: Bilingual<Vec<String>>,
    #[serde(default)]
    pub examples: Bilingual<Vec<String>>,
    pub answer: Text,
    #[serde(default)]
    pub sources: Vec<String>,
}

impl ChecklistItem {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

/// The placeholders an answer may contain; `render` fills them in.
pub const PLACEHOLDERS: &[&str] = &["status", "hours", "address", "map_link", "closures"];

/// The `{name}` placeholders in a text, in order.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

impl Knowledge {
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn topic_index(&self, id: &str) -> Option<usize> {
        self.topics.iter().position(|t| t.id == id)
    }

    pub fn time_zone(&self) -> chrono_tz::Tz {
        // Validated at load time.
        self.office.time_zone.parse().unwrap_or(chrono_tz::America::Mexico_City)
    }
}

//! The knowledge base: the YAML schema, loading it from disk or from the copy compiled into the
//! binary, and checking it so that authors get every problem at once, with file, line and column.
//!
//! Nothing here knows about matching, rendering or Telegram; other modules read these types.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// The knowledge base shipped with the bot, compiled into the binary so it runs anywhere.
static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/knowledge");

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
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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
    pub sources: Vec<String>,
    pub last_verified: NaiveDate,
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

/// One problem found in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            (Some(l), None) => write!(f, "{}:{}: {}", self.file, l, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found while loading a knowledge base.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the knowledge base has {} problem(s):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// What one YAML file may hold. Any file may hold topics; exactly one holds the office.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    office: Option<Office>,
    #[serde(default)]
    closures: Option<Closures>,
    #[serde(default)]
    topics: Vec<Topic>,
    #[serde(default)]
    referrals: Vec<Referral>,
}

/// Loads the knowledge base compiled into the binary.
pub fn load_embedded() -> Result<Knowledge, Problems> {
    let mut files: Vec<(String, String)> = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    load_files("embedded", files)
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if is_yaml(f.path()) {
            let text = String::from_utf8_lossy(f.contents()).into_owned();
            out.push((format!("knowledge/{}", f.path().display()), text));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Loads every `*.yaml` file under `dir` (recursively).
pub fn load_dir(dir: &Path) -> Result<Knowledge, Problems> {
    let mut paths = Vec::new();
    if let Err(e) = walk(dir, &mut paths) {
        return Err(Problems(vec![Problem::new(
            dir.display().to_string(),
            format!("cannot read: {e}"),
        )]));
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match std::fs::read_to_string(&p) {
            Ok(text) => files.push((p.display().to_string(), text)),
            Err(e) => problems.push(Problem::new(p.display().to_string(), format!("cannot read: {e}"))),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    load_files(&dir.display().to_string(), files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            walk(&p, out)?;
        } else if is_yaml(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Parses and checks a set of (file name, YAML text) pairs. All problems are reported together.
pub fn load_files(origin: &str, mut files: Vec<(String, String)>) -> Result<Knowledge, Problems> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut problems = Vec::new();
    let mut office: Option<(String, Office)> = None;
    let mut closures: Option<(String, Closures)> = None;
    let mut topics: Vec<(String, Topic)> = Vec::new();
    let mut referrals: Vec<Referral> = Vec::new();

    if files.is_empty() {
        problems.push(Problem::new(origin, "no .yaml files found"));
    }
    for (name, text) in &files {
        let doc: FileDoc = match serde_yaml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                let loc = e.location();
                problems.push(Problem {
                    file: name.clone(),
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                    message: strip_location(&e.to_string()),
                });
                continue;
            }
        };
        if let Some(o) = doc.office {
            if let Some((first, _)) = &office {
                problems.push(Problem::new(
                    name,
                    format!("a second `office` section (the first is in {first})"),
                ));
            } else {
                office = Some((name.clone(), o));
            }
        }
        if let Some(c) = doc.closures {
            if let Some((first, _)) = &closures {
                problems.push(Problem::new(
                    name,
                    format!("a second `closures` section (the first is in {first})"),
                ));
            } else {
                closures = Some((name.clone(), c));
            }
        }
        topics.extend(doc.topics.into_iter().map(|t| (name.clone(), t)));
        referrals.extend(doc.referrals);
    }

    let parse_failed = !problems.is_empty();
    if office.is_none() && !files.is_empty() && !parse_failed {
        problems.push(Problem::new(origin, "no file has an `office` section"));
    }
    if let Some((file, o)) = &office {
        check_office(file, o, &mut problems);
    }
    if let Some((file, c)) = &closures {
        check_closures(file, c, &mut problems);
    }
    check_topics(&topics, parse_failed, &mut problems);

    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let (_, office) = office.expect("checked above");
    Ok(Knowledge {
        office,
        closures: closures.map(|(_, c)| c).unwrap_or_default(),
        topics: topics.into_iter().map(|(_, t)| t).collect(),
        referrals,
        origin: origin.to_string(),
    })
}

/// serde_yaml appends " at line L column C"; we report the location separately.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn check_text(file: &str, what: &str, t: &Text, problems: &mut Vec<Problem>) {
    for lang in Lang::ALL {
        if t.get(lang).trim().is_empty() {
            problems.push(Problem::new(file, format!("{what}: missing {lang} translation")));
        }
    }
}

fn check_office(file: &str, o: &Office, problems: &mut Vec<Problem>) {
    check_text(file, "office name", &o.name, problems);
    check_text(file, "office reminder", &o.reminder, problems);
    if o.address.trim().is_empty() {
        problems.push(Problem::new(file, "office address is empty"));
    }
    if o.time_zone.parse::<chrono_tz::Tz>().is_err() {
        problems.push(Problem::new(file, format!("invalid time zone '{}'", o.time_zone)));
    }
    if let Some(pin) = &o.pin
        && (!(-90.0..=90.0).contains(&pin.latitude) || !(-180.0..=180.0).contains(&pin.longitude))
    {
        problems.push(Problem::new(file, "office pin is not a valid latitude/longitude"));
    }
    if o.hours.is_empty() {
        problems.push(Problem::new(file, "office hours are empty"));
    }
    let mut per_day: BTreeMap<u32, Vec<(NaiveTime, NaiveTime)>> = BTreeMap::new();
    for h in &o.hours {
        if h.open >= h.close {
            problems.push(Problem::new(
                file,
                format!(
                    "office hours {}-{} are inverted or empty",
                    h.open.0.format("%H:%M"),
                    h.close.0.format("%H:%M")
                ),
            ));
            continue;
        }
        if h.days.is_empty() {
            problems.push(Problem::new(file, "office hours range with no days"));
        }
        for d in &h.days {
            per_day
                .entry(Weekday::from(*d).num_days_from_monday())
                .or_default()
                .push((h.open.0, h.close.0));
        }
    }
    for (day, mut ranges) in per_day {
        ranges.sort();
        for w in ranges.windows(2) {
            if w[1].0 < w[0].1 {
                let name = Weekday::try_from(day as u8).map(|d| d.to_string()).unwrap_or_default();
                problems.push(Problem::new(file, format!("office hours overlap on {name}")));
            }
        }
    }
}

fn check_closures(file: &str, c: &Closures, problems: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for r in &c.rules {
        if !ids.insert(r.id.as_str()) {
            problems.push(Problem::new(file, format!("closure rule id '{}' is repeated", r.id)));
        }
        check_text(file, &format!("closure '{}' name", r.id), &r.name, problems);
        let bad = match &r.when {
            When::Fixed { month, day } => NaiveDate::from_ymd_opt(2024, *month, *day).is_none(),
            When::NthWeekday { month, n, .. } => !(1..=12).contains(month) || !(1..=5).contains(n),
            When::EasterOffset(off) => off.abs() > 100,
            When::EveryYears { month, day, every, .. } => {
                NaiveDate::from_ymd_opt(2024, *month, *day).is_none() || *every < 1
            }
        };
        if bad {
            problems.push(Problem::new(
                file,
                format!("closure '{}' has an impossible date rule", r.id),
            ));
        }
    }
    for d in &c.dated {
        check_text(file, &format!("closure on {} name", d.from), &d.name, problems);
        if let Some(until) = d.until
            && until < d.from
        {
            problems.push(Problem::new(
                file,
                format!("closure from {} ends before it starts ({until})", d.from),
            ));
        }
    }
}

/// `partial` is set when some file did not parse: references into it cannot be checked.
fn check_topics(topics: &[(String, Topic)], partial: bool, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, t) in topics {
        // Ids travel in Telegram callback data (64 bytes with a checklist item id): keep them short.
        let id_ok =
            t.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if t.id.is_empty() || t.id.len() > 24 || !id_ok {
            problems.push(Problem::new(
                file,
                format!("topic id '{}' must be 1-24 lower-case letters, digits and _", t.id),
            ));
        }
        if let Some(first) = seen.insert(&t.id, file) {
            problems.push(Problem::new(
                file,
                format!("duplicate topic id '{}' (also in {first})", t.id),
            ));
        }
    }
    for (file, t) in topics {
        let what = format!("topic '{}'", t.id);
        check_text(file, &format!("{what} title"), &t.title, problems);
        check_text(file, &format!("{what} answer"), &t.answer, problems);
        for lang in Lang::ALL {
            let kw = t.keywords.get(lang);
            if kw.iter().all(|k| k.trim().is_empty()) {
                problems.push(Problem::new(file, format!("{what}: empty {lang} keyword list")));
            }
            for phrase in t.phrases.get(lang) {
                if phrase.split_whitespace().count() > crate::matching::MAX_PHRASE_WORDS {
                    problems.push(Problem::new(
                        file,
                        format!(
                            "{what}: phrase '{phrase}' has more than {} words",
                            crate::matching::MAX_PHRASE_WORDS
                        ),
                    ));
                }
            }
            for p in placeholders(t.answer.get(lang)) {
                if !PLACEHOLDERS.contains(&p) {
                    problems.push(Problem::new(
                        file,
                        format!(
                            "{what}: unknown placeholder {{{p}}} in the {lang} answer (known: {})",
                            PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
        for r in &t.related {
            if !partial && !seen.contains_key(r.as_str()) {
                problems.push(Problem::new(
                    file,
                    format!("{what}: related topic '{r}' does not exist"),
                ));
            }
            if r == &t.id {
                problems.push(Problem::new(file, format!("{what}: lists itself as related")));
            }
        }
        if t.sources.is_empty() {
            problems.push(Problem::new(file, format!("{what}: no sources")));
        }
        let mut items = HashSet::new();
        for item in &t.checklist {
            if !items.insert(item.id.as_str()) {
                problems.push(Problem::new(
                    file,
                    format!("{what}: checklist item id '{}' is repeated", item.id),
                ));
            }
            if item.id.is_empty()
                || item.id.len() > 24
                || !item.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                problems.push(Problem::new(
                    file,
                    format!(
                        "{what}: checklist item id '{}' must be 1-24 ASCII letters, digits or _",
                        item.id
                    ),
                ));
            }
            for lang in Lang::ALL {
                if item.text(lang).trim().is_empty() {
                    problems.push(Problem::new(
                        file,
                        format!("{what}: checklist item '{}' is missing {lang}", item.id),
                    ));
                }
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_knowledge_loads() {
        let kb = load_embedded().expect("shipped knowledge base must validate");
        assert!(kb.topics.len() >= 19);
        assert_eq!(kb.office.time_zone, "America/Mexico_City");
    }

    #[test]
    fn placeholders_are_found() {
        let v: Vec<_> = placeholders("a {status} b {x} c { d").collect();
        assert_eq!(v, vec!["status", "x"]);
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
    }
}

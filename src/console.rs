//! The console front end: the same conversation as on Telegram, in a terminal, with no token.
//! Reads one message per line and answers in plain text; checklist ticks live for the session.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use chrono::{DateTime, Utc};

use crate::answer::{Context, Engine, Memory, Reply};
use crate::knowledge::{FactKind, Lang};
use crate::render::{self, Focus, Format};
use crate::ui::{self, Where};

/// One console conversation's state.
pub struct Console<'a> {
    engine: &'a Engine,
    lang: Option<Lang>,
    /// The language of the last question, for commands when no /language was chosen.
    last_lang: Option<Lang>,
    /// The topics last offered as numbered choices ("Did you mean…"), so "2" picks the second.
    offered: Vec<usize>,
    /// The checklist on screen, for `/tick N`.
    checklist: Option<usize>,
    ticked: HashMap<usize, BTreeSet<String>>,
    /// What the conversation was last about, for follow-ups ("and on Saturday?").
    memory: Memory,
}

impl<'a> Console<'a> {
    pub fn new(engine: &'a Engine, lang: Option<Lang>) -> Self {
        Console {
            engine,
            lang,
            last_lang: None,
            offered: Vec::new(),
            checklist: None,
            ticked: HashMap::new(),
            memory: Memory::default(),
        }
    }

    fn lang(&self) -> Lang {
        self.lang.or(self.last_lang).unwrap_or(Lang::En)
    }

    /// Answers one line; `None` means the user asked to quit.
    pub fn reply(&mut self, line: &str, now: DateTime<Utc>) -> Option<String> {
        let line = line.trim();
        if line.is_empty() {
            return Some(String::new());
        }
        if let Some(cmd) = line.strip_prefix('/') {
            let (name, arg) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
            return self.command(&name.to_ascii_lowercase(), arg.trim(), now);
        }
        if let Ok(n) = line.parse::<usize>()
            && let Some(&topic) = n.checked_sub(1).and_then(|i| self.offered.get(i))
        {
            return Some(self.show_topic(topic, self.lang(), now));
        }
        let before = self.memory.fresh(now);
        let ctx = Context::new(self.lang.or(self.last_lang), now).with_memory(before);
        let answer = self.engine.answer(line, &ctx);
        self.memory = answer.remember(before, now);
        let lang = answer.lang;
        self.last_lang = Some(lang);
        Some(match &answer.reply {
            Reply::Topic { topic, .. } => {
                let has_checklist = !self.engine.kb.topics[*topic].checklist.is_empty();
                if answer.fact == Some(FactKind::Documents) && has_checklist {
                    self.show_checklist(*topic, lang)
                } else {
                    self.show_focused(*topic, Focus::of(&answer), lang, now)
                }
            }
            Reply::Suggestions { topics } => self.numbered(ui::DID_YOU_MEAN.get(lang), topics, lang),
            Reply::Referral(r) => render::referral(self.engine, *r, lang, Format::Plain),
            Reply::Unknown => render::unknown(lang, Format::Plain),
            Reply::SmallTalk(talk) => render::small_talk(*talk, lang, Format::Plain),
        })
    }

    fn command(&mut self, name: &str, arg: &str, now: DateTime<Utc>) -> Option<String> {
        let lang = self.lang();
        let topic = |id: &str| self.engine.kb.topic_index(id);
        let text = match name {
            "quit" | "exit" | "q" => return None,
            "start" | "help" => ui::help(Where::Console, lang),
            "language" | "idioma" => match arg.parse::<Lang>() {
                Ok(l) => {
                    self.lang = Some(l);
                    ui::LANGUAGE_SET.get(l).to_string()
                }
                Err(_) => ui::LANGUAGE_USAGE.get(lang).to_string(),
            },
            "hours" | "address" | "advice" | "procedures" => match topic(name) {
                Some(t) => self.show_topic(t, lang, now),
                None => render::unknown(lang, Format::Plain),
            },
            "checklist" => {
                let procedures = self.engine.checklist_topics();
                let found = if arg.is_empty() {
                    None
                } else {
                    self.engine.find_checklist(arg, self.lang)
                };
                match found {
                    Some(t) => self.show_checklist(t, lang),
                    None => self.numbered(ui::WHICH_PROCEDURE_NUMBER.get(lang), &procedures, lang),
                }
            }
            "tick" => match (self.checklist, arg.parse::<usize>()) {
                (Some(t), Ok(n)) if n >= 1 && n <= self.engine.kb.topics[t].checklist.len() => {
                    let id = self.engine.kb.topics[t].checklist[n - 1].id.clone();
                    let set = self.ticked.entry(t).or_default();
                    if !set.remove(&id) {
                        set.insert(id);
                    }
                    self.show_checklist(t, lang)
                }
                _ => ui::TICK_FIRST.get(lang).to_string(),
            },
            _ => format!(
                "{}\n\n{}",
                ui::UNKNOWN_COMMAND.get(lang),
                ui::help(Where::Console, lang)
            ),
        };
        Some(text)
    }

    fn show_topic(&mut self, topic: usize, lang: Lang, now: DateTime<Utc>) -> String {
        self.show_focused(topic, Focus::default(), lang, now)
    }

    fn show_focused(&mut self, topic: usize, focus: Focus, lang: Lang, now: DateTime<Utc>) -> String {
        self.offered.clear();
        let has_checklist = !self.engine.kb.topics[topic].checklist.is_empty();
        let mut text = render::focused(self.engine, topic, focus, lang, now, Format::Plain, false);
        if has_checklist {
            self.checklist = Some(topic);
            text.push_str("\n\n");
            text.push_str(&self.checklist_body(topic, lang));
        }
        text
    }

    fn show_checklist(&mut self, topic: usize, lang: Lang) -> String {
        self.checklist = Some(topic);
        self.offered.clear();
        format!(
            "{}\n{}",
            self.engine.kb.topics[topic].title.get(lang),
            self.checklist_body(topic, lang)
        )
    }

    fn checklist_body(&self, topic: usize, lang: Lang) -> String {
        let empty = BTreeSet::new();
        let ticked = self.ticked.get(&topic).unwrap_or(&empty);
        let t = &self.engine.kb.topics[topic];
        let mut out = String::new();
        for (i, item) in t.checklist.iter().enumerate() {
            let mark = if ticked.contains(&item.id) { "✅" } else { "☐" };
            out.push_str(&format!("{:>2}. {mark} {}\n", i + 1, item.text(lang)));
        }
        out.push_str(&render::progress(t.ticked_count(ticked), t.checklist.len(), lang));
        out.push_str(ui::TICK_HINT.get(lang));
        out
    }

    fn numbered(&mut self, title: &str, topics: &[usize], lang: Lang) -> String {
        self.offered = topics.to_vec();
        let mut out = title.to_string();
        for (i, t) in topics.iter().enumerate() {
            out.push_str(&format!("\n  {}. {}", i + 1, self.engine.kb.topics[*t].title.get(lang)));
        }
        out
    }
}

/// Runs a conversation over any lines (a terminal, or pipes in tests).
pub fn run(
    engine: &Engine,
    lang: Option<Lang>,
    input: impl Iterator<Item = std::io::Result<String>>,
    output: &mut dyn Write,
) -> std::io::Result<()> {
    let mut console = Console::new(engine, lang);
    writeln!(output, "{}", ui::CONSOLE_GREETING.get(lang.unwrap_or(Lang::En)))?;
    write!(output, "> ")?;
    output.flush()?;
    for line in input {
        match console.reply(&line?, Utc::now()) {
            Some(text) => {
                if !text.is_empty() {
                    writeln!(output, "{text}\n")?;
                }
            }
            None => break,
        }
        write!(output, "> ")?;
        output.flush()?;
    }
    writeln!(output)?;
    Ok(())
}

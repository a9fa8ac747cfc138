//! The core decision: a loaded knowledge base with its matcher and calendar, and the `Answer` it
//! decides for a question. Front ends (console, Telegram, the `ask` command) only render answers.

use std::path::Path;

use crate::calendar::Calendar;
use crate::knowledge::{self, Knowledge, Lang, Problem, Problems};
use crate::matching::{self, Confidence, Match, Matcher, SmallTalk};
use crate::render;

/// A knowledge base ready to answer: loaded, validated and indexed once.
pub struct Engine {
    pub kb: Knowledge,
    pub matcher: Matcher,
    pub calendar: Calendar,
}

/// What the bot decided to say to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A confident match: answer with this topic; `related` are runner-ups worth offering.
    Topic {
        topic: usize,
        lang: Lang,
        score: f32,
        related: Vec<usize>,
    },
    /// A weak match: offer these topics, best first ("Did you mean…").
    Suggestions { topics: Vec<usize>, lang: Lang, score: f32 },
    /// Nothing fits.
    Unknown { lang: Lang },
    /// Only a greeting or thanks: no question to answer.
    SmallTalk { talk: SmallTalk, lang: Lang },
}

impl Answer {
    pub fn lang(&self) -> Lang {
        match self {
            Answer::Topic { lang, .. }
            | Answer::Suggestions { lang, .. }
            | Answer::Unknown { lang }
            | Answer::SmallTalk { lang, .. } => *lang,
        }
    }

    /// The topic answered with, when confident.
    pub fn topic(&self) -> Option<usize> {
        match self {
            Answer::Topic { topic, .. } => Some(*topic),
            _ => None,
        }
    }
}

impl Engine {
    /// Indexes a knowledge base after the checks that need rendering (answer lengths).
    pub fn new(kb: Knowledge) -> Result<Engine, Problems> {
        let calendar = Calendar::new(&kb);
        let matcher = Matcher::new(&kb);
        let engine = Engine { kb, matcher, calendar };
        let problems = engine.check_lengths();
        if problems.is_empty() {
            Ok(engine)
        } else {
            Err(Problems(problems))
        }
    }

    /// The knowledge base compiled into the binary.
    pub fn embedded() -> Result<Engine, Problems> {
        Engine::new(knowledge::load_embedded()?)
    }

    /// A knowledge base from a directory of YAML files.
    pub fn from_dir(dir: &Path) -> Result<Engine, Problems> {
        Engine::new(knowledge::load_dir(dir)?)
    }

    /// From a directory when given, else the embedded knowledge base.
    pub fn load(dir: Option<&Path>) -> Result<Engine, Problems> {
        match dir {
            Some(d) => Engine::from_dir(d),
            None => Engine::embedded(),
        }
    }

    /// Decides the answer to a question; `hint` is the language to assume without a clear signal.
    pub fn ask(&self, question: &str, hint: Option<Lang>) -> Answer {
        let m = self.matcher.find(question, hint);
        match matching::small_talk(question) {
            Some(talk) => Answer::SmallTalk { talk, lang: m.lang },
            None => self.decide(&m),
        }
    }

    pub fn decide(&self, m: &Match) -> Answer {
        let lang = m.lang;
        match (m.confidence, m.best) {
            (Confidence::Confident, Some(best)) => Answer::Topic {
                topic: best.topic,
                lang,
                score: best.score,
                related: m.runner_ups.iter().map(|s| s.topic).collect(),
            },
            (Confidence::Weak, Some(best)) => Answer::Suggestions {
                topics: std::iter::once(best.topic)
                    .chain(m.runner_ups.iter().map(|s| s.topic))
                    .take(3)
                    .collect(),
                lang,
                score: best.score,
            },
            _ => Answer::Unknown { lang },
        }
    }

    /// The topics that have a checklist (the procedures), in knowledge-base order.
    pub fn checklist_topics(&self) -> Vec<usize> {
        (0..self.kb.topics.len())
            .filter(|&t| !self.kb.topics[t].checklist.is_empty())
            .collect()
    }

    /// The procedure a user means by `text` ("canje", "renovacion", a topic id), if one with a
    /// checklist fits.
    pub fn find_checklist(&self, text: &str, hint: Option<Lang>) -> Option<usize> {
        let has = |t: usize| !self.kb.topics[t].checklist.is_empty();
        if let Some(t) = self.kb.topic_index(text.trim()).filter(|&t| has(t)) {
            return Some(t);
        }
        let m = self.matcher.find(text, hint);
        m.best
            .into_iter()
            .chain(m.runner_ups)
            .map(|s| s.topic)
            .find(|&t| has(t))
    }

    pub fn topic_id(&self, topic: usize) -> &str {
        &self.kb.topics[topic].id
    }

    /// Every rendered answer must fit one Telegram message.
    fn check_lengths(&self) -> Vec<Problem> {
        let now = chrono::Utc::now();
        let mut problems = Vec::new();
        for (i, t) in self.kb.topics.iter().enumerate() {
            for lang in Lang::ALL {
                let html = render::topic(self, i, lang, now, render::Format::Html, true);
                let len = render::html_visible_len(&html);
                if len > render::TELEGRAM_LIMIT {
                    problems.push(Problem::new(
                        self.kb.origin.clone(),
                        format!(
                            "topic '{}': the {lang} answer is {len} characters once rendered, over Telegram's {}",
                            t.id,
                            render::TELEGRAM_LIMIT
                        ),
                    ));
                }
            }
        }
        problems
    }
}

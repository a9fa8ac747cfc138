//! The core decision: a loaded knowledge base with its matcher and calendar (`Engine`), and the one
//! function every front end calls to turn a message into an `Answer` (`Engine::answer`). Front ends
//! (console, Telegram, the `ask` and `eval` commands, inline mode) only render answers.

use chrono::{DateTime, Utc};

use crate::calendar::Calendar;
use crate::knowledge::{Knowledge, Lang};
use crate::matching::{self, Confidence, Explanation, Match, Matcher, SmallTalk};

/// A knowledge base ready to answer: loaded, validated and indexed once.
pub struct Engine {
    pub kb: Knowledge,
    pub matcher: Matcher,
    pub calendar: Calendar,
}

/// What is known about a message besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The language to assume when the text gives no clear signal.
    pub hint: Option<Lang>,
    /// When the message was sent.
    pub at: DateTime<Utc>,
}

impl Context {
    pub fn new(hint: Option<Lang>, at: DateTime<Utc>) -> Context {
        Context { hint, at }
    }
}

/// What the bot decided to say to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub reply: Reply,
    pub lang: Lang,
    /// What the matcher found, whatever was decided: the ranking, its confidence and score.
    pub matched: Match,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A confident match: answer with this topic; `related` are runner-ups worth offering.
    Topic { topic: usize, related: Vec<usize> },
    /// A weak match: offer these topics, best first ("Did you mean…").
    Suggestions { topics: Vec<usize> },
    /// Nothing fits.
    Unknown,
    /// Only a greeting or thanks: no question to answer.
    SmallTalk(SmallTalk),
}

impl Answer {
    /// The topic answered with, when confident.
    pub fn topic(&self) -> Option<usize> {
        match &self.reply {
            Reply::Topic { topic, .. } => Some(*topic),
            _ => None,
        }
    }

    /// The topics offered besides the answer: related ones, or the suggestions.
    pub fn suggestions(&self) -> &[usize] {
        match &self.reply {
            Reply::Topic { related, .. } => related,
            Reply::Suggestions { topics } => topics,
            Reply::Unknown | Reply::SmallTalk(_) => &[],
        }
    }

    /// The matcher's confidence in its best topic (0 to 1).
    pub fn score(&self) -> f32 {
        self.matched.score()
    }
}

impl Engine {
    /// Indexes a knowledge base. Front ends load through `inm_bot::load`, which also checks that
    /// every rendered answer fits a Telegram message.
    pub fn new(kb: Knowledge) -> Engine {
        let calendar = Calendar::new(&kb);
        let matcher = Matcher::new(&kb);
        Engine { kb, matcher, calendar }
    }

    /// Decides the answer to a message.
    pub fn answer(&self, text: &str, ctx: &Context) -> Answer {
        self.decide(text, self.matcher.find(text, ctx.hint))
    }

    /// Like `answer`, with how the matcher read and scored the message.
    pub fn explain(&self, text: &str, ctx: &Context) -> (Answer, Explanation) {
        let (m, explanation) = self.matcher.explain(text, ctx.hint);
        (self.decide(text, m), explanation)
    }

    fn decide(&self, text: &str, m: Match) -> Answer {
        let lang = m.lang;
        let reply = if let Some(talk) = matching::small_talk(text) {
            Reply::SmallTalk(talk)
        } else {
            match (m.confidence, m.best) {
                (Confidence::Confident, Some(best)) => Reply::Topic {
                    topic: best.topic,
                    related: m.runner_ups.iter().map(|s| s.topic).collect(),
                },
                (Confidence::Weak, Some(_)) => Reply::Suggestions {
                    topics: m.ranked().take(3).collect(),
                },
                _ => Reply::Unknown,
            }
        };
        Answer {
            reply,
            lang,
            matched: m,
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
        self.matcher.find(text, hint).ranked().find(|&t| has(t))
    }

    pub fn topic_id(&self, topic: usize) -> &str {
        &self.kb.topics[topic].id
    }
}

//! How a question was read and scored, for people tuning the knowledge base (`ask --explain`).
//! The scorer fills an `Explanation` with numbers; turning it into lines of text happens here,
//! outside the scoring loop.

use serde::Serialize;

use crate::knowledge::Knowledge;

/// How one word of the question was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reading {
    /// A function word or a domain word ("the", "oficina"): neither for nor against a topic.
    Stop,
    /// A common word the knowledge base does not use: weighs a little against every topic.
    Common,
    /// A word the knowledge base has never seen: weighs against every topic.
    Unknown,
    /// A vocabulary word, with its weight (idf) in each language.
    Known {
        en_idf: Option<f32>,
        es_idf: Option<f32>,
        typo_corrected: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordReading {
    pub word: String,
    #[serde(flatten)]
    pub reading: Reading,
}

/// A topic's score: from its words and from its phrases, and the confidence they give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicScore {
    /// Index into `Knowledge::topics`.
    pub topic: usize,
    pub words: f32,
    pub phrases: f32,
    pub confidence: f32,
}

/// Everything the scorer weighed for one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    pub words: Vec<WordReading>,
    /// The weight of the whole question; a topic's confidence is the share of it it explains.
    pub mass: f32,
    /// Language signals: (English, Spanish).
    pub votes: (f32, f32),
    /// The five best topics, best first.
    pub top: Vec<TopicScore>,
    /// The two best referrals, best first (`topic` indexes `Knowledge::referrals`).
    pub referrals: Vec<TopicScore>,
}

impl Explanation {
    /// One line per word, then the question's mass and one line per top topic.
    pub fn lines(&self, kb: &Knowledge) -> Vec<String> {
        let idf = |x: Option<f32>| x.map(|v| format!("{v:.2}"));
        let mut out: Vec<String> = self
            .words
            .iter()
            .map(|w| match &w.reading {
                Reading::Stop => format!("{}: stop word", w.word),
                Reading::Common => format!("{}: en None es None (common word)", w.word),
                Reading::Unknown => format!("{}: en None es None", w.word),
                Reading::Known {
                    en_idf,
                    es_idf,
                    typo_corrected,
                } => format!(
                    "{}: en {:?} es {:?}{}",
                    w.word,
                    idf(*en_idf),
                    idf(*es_idf),
                    if *typo_corrected { " (typo-corrected)" } else { "" }
                ),
            })
            .collect();
        out.push(format!(
            "question mass {:.2}; language votes en {} es {}",
            self.mass, self.votes.0, self.votes.1
        ));
        let line = |name: String, t: &TopicScore| {
            format!(
                "  {name:<22} words {:.2} + phrases {:.2} = {:.2}  confidence {:.2}",
                t.words,
                t.phrases,
                t.words + t.phrases,
                t.confidence
            )
        };
        for t in &self.top {
            let id = kb.topics.get(t.topic).map_or("?", |t| t.id.as_str());
            out.push(line(id.to_string(), t));
        }
        for r in &self.referrals {
            let id = kb.referrals.get(r.topic).map_or("?", |r| r.id.as_str());
            out.push(line(format!("referral {id}"), r));
        }
        out
    }
}

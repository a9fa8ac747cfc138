//! The question matcher: turns a user's free text into the best topic, runner-up suggestions, a
//! confidence and the language the question was written in.
//!
//! By stage: `words` (normalisation and word lists), `index` (the vocabulary built from the
//! knowledge base), `typos` (correction by edit distance), `score` (BM25-style scoring and the
//! confidence), `explain` (how a question was scored), `small_talk` (greetings and thanks),
//! `verbs` (Spanish verb forms the stemmer leaves apart).
//!
//! Text is lower-cased, accent-folded and split into words; stop words are dropped; every word is
//! stemmed with both the English and the Spanish Snowball stemmer and looked up in that language's
//! vocabulary. Unknown words of 5+ letters are corrected to a vocabulary word at edit distance 1
//! (2 from 8 letters). Topics are scored BM25-style (rare words count more, keywords more than
//! answer text), multi-word phrases add a bonus, and the confidence is the share of the question's
//! telling words that the best topic explains: words the knowledge base has never seen weigh
//! against it, which is what sends "a US visa" to "none".

use rust_stemmers::Stemmer;
use rustc_hash::{FxHashMap, FxHashSet};

mod diminutives;
mod explain;
mod facts;
mod index;
mod score;
mod small_talk;
mod subjects;
mod typos;
mod verbs;
mod words;

pub use explain::{Explanation, Reading, TopicScore, WordReading};
pub use facts::{FactQuestion, asks_how_to_pay, asks_location, asks_office_location, fact_asked, facts_named};
pub use index::indexed_text;
pub use score::{CONFIDENT, WEAK};
pub use small_talk::{SmallTalk, small_talk, small_talk_in};
pub use subjects::{asks_if_done_here, asks_others_opening, asks_walking_time, asks_when_to_arrive, defined_term};
pub use words::{normalize, read_words};

use crate::knowledge::Lang;

/// How sure the matcher is of its best topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Answer with the best topic.
    Confident,
    /// Offer the best topics as suggestions ("Did you mean…").
    Weak,
    /// Nothing fits.
    None,
}

/// A topic with its score (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Index into `Knowledge::topics`.
    pub topic: usize,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub confidence: Confidence,
    /// The best topic, whatever the confidence (`None` when no word matched at all).
    pub best: Option<Scored>,
    /// Up to three runner-ups, best first.
    pub runner_ups: Vec<Scored>,
    /// How many of the runner-ups are in a dead heat with the best: the words alone cannot
    /// choose between them (`Confidence::Weak`, however well they fit).
    pub tied: usize,
    /// The referral (something this office does not do) that explains the question best, when it
    /// explains it better than any topic: `topic` is then an index into `Knowledge::referrals`.
    pub referral: Option<Scored>,
    /// The best topic misses what the message asks about: it explains only the moment named
    /// ("will it rain tomorrow morning?") or not the thing sought ("how much is a torta?"). At
    /// most weak, and neither an example question nor a fact asked makes it more.
    pub subject_missed: bool,
    pub lang: Lang,
}

impl Match {
    /// The topic to answer with, only when confident.
    pub fn topic(&self) -> Option<usize> {
        match self.confidence {
            Confidence::Confident => self.best.map(|b| b.topic),
            _ => None,
        }
    }

    pub fn score(&self) -> f32 {
        self.best.map_or(0.0, |b| b.score)
    }

    /// The match with `topic` as its confident best, the others it ranked after it.
    pub fn promoted(self, topic: usize) -> Match {
        let best = self.ranked_scored().find(|s| s.topic == topic).unwrap_or(Scored {
            topic,
            score: self.score(),
        });
        let runner_ups = self.ranked_scored().filter(|s| s.topic != topic).take(3).collect();
        Match {
            confidence: Confidence::Confident,
            best: Some(best),
            runner_ups,
            tied: 0,
            ..self
        }
    }

    fn ranked_scored(&self) -> impl Iterator<Item = Scored> + '_ {
        self.best.iter().chain(&self.runner_ups).copied()
    }

    /// Whether `topic` is the best or scores within `margin` of it.
    pub fn level_with_best(&self, topic: usize, margin: f32) -> bool {
        let best = self.score();
        self.ranked_scored()
            .any(|s| s.topic == topic && s.score >= best - margin)
    }

    /// The best topic and the runner-ups, best first.
    pub fn ranked(&self) -> impl Iterator<Item = usize> + '_ {
        self.ranked_scored().map(|s| s.topic)
    }
}

/// A phrase of a topic: the phrase-vocabulary ids of its words (stop words included), in order.
struct Phrase {
    topic: usize,
    words: Vec<u32>,
}

/// The index over a knowledge base; build once (`Matcher::new`), match many.
pub struct Matcher {
    /// Unique to this index, so that what a thread remembers of another index is not used.
    id: u64,
    /// Topics are documents `0..n_topics`; referrals follow them, up to `n_docs`.
    n_topics: usize,
    n_docs: usize,
    stem_en: Stemmer,
    stem_es: Stemmer,
    terms_en: FxHashMap<String, u32>,
    terms_es: FxHashMap<String, u32>,
    idf: Vec<f32>,
    /// Postings of term `t` are `postings[post_start[t]..post_start[t + 1]]`.
    post_start: Vec<u32>,
    postings: Vec<(u16, f32)>,
    unknown_idf: f32,
    typos: typos::Typos,
    phrase_vocab_en: FxHashMap<String, u32>,
    phrase_vocab_es: FxHashMap<String, u32>,
    phrases: Vec<Phrase>,
    phrases_by_first: FxHashMap<u32, Vec<u32>>,
    stop_en: &'static FxHashSet<&'static str>,
    stop_es: &'static FxHashSet<&'static str>,
    /// `words::COMMON_WORDS`, sorted, for binary search.
    common: &'static [&'static str],
    /// The knowledge base's Spanish words by how they sound (`words::sounds`), for spellings such
    /// as "ofisina"; `Matcher::sounds_like` adds the fixed word lists.
    sounds_like: FxHashMap<String, String>,
}

impl Matcher {
    /// Matches a question. `hint` is the language to assume when the text gives no clear signal.
    pub fn find(&self, text: &str, hint: Option<Lang>) -> Match {
        self.score(text, hint, None)
    }

    /// Like `find`, and says how each word was read and how the top topics scored.
    pub fn explain(&self, text: &str, hint: Option<Lang>) -> (Match, Explanation) {
        let mut explanation = Explanation::default();
        let m = self.score(text, hint, Some(&mut explanation));
        (m, explanation)
    }

    /// Whether a normalised word tells nothing about a topic: a stop word or a domain word
    /// ("office", "inm"). Used to see that "and on Saturday?" has no subject of its own.
    pub fn is_filler(&self, word: &str) -> bool {
        words::DOMAIN.contains(&word)
            || self.stop_en.contains(word)
            || self.stop_es.contains(word)
            || words::is_interjection(word)
    }

    /// A key that groups wordings of one question: its content words, stemmed, sorted, without
    /// stop words ("Where can I PARK?" and "park where" share one).
    pub fn key(&self, text: &str) -> String {
        let mut stems: Vec<String> = normalize(text)
            .into_iter()
            .filter(|w| {
                !words::DOMAIN.contains(&w.as_str())
                    && !self.stop_en.contains(w.as_str())
                    && !self.stop_es.contains(w.as_str())
            })
            .map(|w| words::stem(&self.stem_es, &words::stem(&self.stem_en, &w)).into_owned())
            .collect();
        stems.sort();
        stems.dedup();
        stems.join(" ")
    }
}

//! The nearest example question, to settle a dead heat or a close call. When the words of a
//! message fit two topics (nearly) as well ("me toman huellas?" fits the photos and the day of the
//! visit alike), the topic with an example question most like the whole message is the one meant;
//! when none is clearly closer, a dead heat is still asked back and a close call keeps its best.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::knowledge::{Knowledge, Lang};
use crate::matching::{Confidence, Match, Matcher, Scored};

/// How much closer (Jaccard similarity of content-word stems) the nearest example of one topic
/// must be than the nearest of any other tied topic.
const MARGIN: f32 = 0.05;
/// A runner-up within this share of a confident best's confidence is close enough for the
/// nearest example to choose between them.
const CLOSE: f32 = 0.1;
/// Content words a message needs before its nearness to an example means anything.
const MIN_WORDS: usize = 2;
/// Words (all of them) that make a message a whole question rather than a keyword.
const LONG: usize = 4;
/// Content words past which a weak best whose own example is the nearest of all is meant: a
/// long message ("my card went through the washing machine, can I get a new one?") spreads its
/// weight over story words, but its likeness to one topic's example questions still tells. In
/// shorter messages a like example is too often a word or two in common ("hours of the SAT").
const MANY_WORDS: usize = 5;
/// How like (Jaccard) the nearest example must be for that.
const LIKE: f32 = 0.25;

/// Each topic's example questions as sets of content-word stems, made on the first dead heat:
/// loading stays fast, and most messages never need them.
#[derive(Default)]
pub struct Examples {
    keys: OnceLock<Vec<Vec<BTreeSet<String>>>>,
}

impl Examples {
    fn keys(&self, kb: &Knowledge, matcher: &Matcher) -> &[Vec<BTreeSet<String>>] {
        self.keys.get_or_init(|| {
            kb.topics
                .iter()
                .map(|t| {
                    Lang::ALL
                        .into_iter()
                        .flat_map(|l| t.examples.get(l).iter())
                        .map(|e| stems(matcher, e))
                        .collect()
                })
                .collect()
        })
    }

    /// The match with its dead heat or close call (`CLOSE`) settled by the nearest example, when
    /// one topic's is clearly nearer; otherwise the match as it was.
    /// `words` are the message's as `normalize` makes them.
    pub fn settle(&self, kb: &Knowledge, matcher: &Matcher, text: &str, words: &[String], m: Match) -> Match {
        let Some(best) = m.best else { return m };
        // A dead heat is settled below; a weak best alone may be confirmed.
        if m.confidence == Confidence::Weak && m.tied == 0 && m.referral.is_none() {
            return self.confirmed(kb, matcher, text, m, best);
        }
        // A dead heat, or a confident best with runner-ups close behind it ("do they take the
        // photo there or do I bring my own?" fits what to bring nearly as well as the photos).
        let candidates = if m.tied > 0 {
            m.tied
        } else if m.confidence == Confidence::Confident && m.referral.is_none() {
            m.runner_ups
                .iter()
                .take_while(|r| r.score >= best.score * (1.0 - CLOSE))
                .count()
        } else {
            0
        };
        if candidates == 0 {
            return m;
        }
        let question = stems(matcher, text);
        // One word ("card") is too little to be like an example: that is a question to ask back.
        // A dead heat on the one telling word of a whole question ("how early should I get
        // there?") is not: the example it is like was written with the same small words around.
        let whole_question = m.tied > 0 && question.len() == 1 && words.len() >= LONG;
        if question.len() < MIN_WORDS && !whole_question {
            return m;
        }
        let keys = self.keys(kb, matcher);
        let near = |topic: usize| {
            keys.get(topic)
                .into_iter()
                .flatten()
                .map(|e| jaccard(&question, e))
                .fold(0.0f32, f32::max)
        };
        let tied: Vec<Scored> = std::iter::once(best)
            .chain(m.runner_ups.iter().take(candidates).copied())
            .collect();
        let mut by_nearness: Vec<(f32, Scored)> = tied.iter().map(|s| (near(s.topic), *s)).collect();
        by_nearness.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (nearest, chosen) = by_nearness[0];
        if nearest <= 0.0 || by_nearness.get(1).is_some_and(|(n, _)| nearest - n < MARGIN) {
            return m;
        }
        let runner_ups = tied
            .iter()
            .chain(m.runner_ups.iter().skip(candidates))
            .filter(|s| s.topic != chosen.topic)
            .copied()
            .collect();
        Match {
            confidence: Confidence::Confident,
            best: Some(chosen),
            runner_ups,
            tied: 0,
            ..m
        }
    }
}

impl Examples {
    /// A weak match made confident when the message is long and the nearest of all example
    /// questions is clearly its best topic's; otherwise the match as it was.
    fn confirmed(&self, kb: &Knowledge, matcher: &Matcher, text: &str, m: Match, best: Scored) -> Match {
        let question = stems(matcher, text);
        if question.len() < MANY_WORDS || m.subject_missed {
            return m;
        }
        let mut near: Vec<(f32, usize)> = self
            .keys(kb, matcher)
            .iter()
            .enumerate()
            .map(|(t, examples)| (examples.iter().map(|e| jaccard(&question, e)).fold(0.0f32, f32::max), t))
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (nearest, topic) = near[0];
        let next = near.get(1).map_or(0.0, |n| n.0);
        if topic != best.topic || nearest < LIKE || nearest - next < MARGIN {
            return m;
        }
        Match {
            confidence: Confidence::Confident,
            tied: 0,
            ..m
        }
    }
}

fn stems(matcher: &Matcher, text: &str) -> BTreeSet<String> {
    matcher
        .key(text)
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let both = a.intersection(b).count();
    let either = a.len() + b.len() - both;
    if either == 0 { 0.0 } else { both as f32 / either as f32 }
}

//! Building the index: every topic's text (title, keywords, phrases, answer, checklist) in each
//! language, stemmed into a vocabulary with BM25-style weights, plus the phrases and the words
//! typos are corrected to.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use super::typos::Typos;
use super::words::{COMMON_WORDS, DOMAIN, EN_STOP, ES_STOP, normalize, skipped_in_phrases, sounds};
use super::{Matcher, Phrase};
use crate::knowledge::{Knowledge, Lang, MAX_PHRASE_WORDS, Referral, Topic};

/// Field weights: what a keyword or title word says about a topic, against a word that merely
/// occurs in its answer.
const W_TITLE: f32 = 1.2;
pub(super) const W_KEYWORD: f32 = 1.0;
const W_ANSWER: f32 = 0.3;
/// A word of one of the topic's example questions: people ask this way, so it counts more than
/// answer text, less than a keyword an author chose.
const W_EXAMPLE: f32 = 0.6;
/// Mass of a word the knowledge base has never seen, as a share of the rarest word's idf.
const UNKNOWN_SHARE: f32 = 1.3;

/// All the text the matcher indexes for a topic in one language, as (text, weight) pairs.
fn fields(t: &Topic, lang: Lang) -> Vec<(String, f32)> {
    let mut v = vec![(t.title.get(lang).clone(), W_TITLE)];
    v.extend(t.keywords.get(lang).iter().map(|k| (k.clone(), W_KEYWORD)));
    v.extend(t.phrases.get(lang).iter().map(|p| (p.clone(), W_KEYWORD)));
    v.push((strip_placeholders(t.answer.get(lang)), W_ANSWER));
    v.extend(t.checklist.iter().map(|i| (i.text(lang).to_string(), W_ANSWER)));
    v.extend(t.examples.get(lang).iter().map(|e| (e.clone(), W_EXAMPLE)));
    v
}

/// The text of a referral (something this office does not do), indexed like a topic so that it
/// can win over one: "how much is a metro ticket" is about fares, not INM fees.
fn referral_fields(r: &Referral, lang: Lang) -> Vec<(String, f32)> {
    let mut v: Vec<(String, f32)> = r.keywords.get(lang).iter().map(|k| (k.clone(), W_KEYWORD)).collect();
    v.extend(r.phrases.get(lang).iter().map(|p| (p.clone(), W_KEYWORD)));
    v.extend(r.examples.get(lang).iter().map(|e| (e.clone(), W_EXAMPLE)));
    v.push((r.answer.get(lang).clone(), W_ANSWER));
    v
}

/// One indexed document: a topic, or a referral after all the topics.
struct Doc<'a> {
    fields: [Vec<(String, f32)>; 2],
    phrases: &'a crate::knowledge::Bilingual<Vec<String>>,
}

fn docs(kb: &Knowledge) -> Vec<Doc<'_>> {
    let topics = kb.topics.iter().map(|t| Doc {
        fields: [fields(t, Lang::En), fields(t, Lang::Es)],
        phrases: &t.phrases,
    });
    let referrals = kb.referrals.iter().map(|r| Doc {
        fields: [referral_fields(r, Lang::En), referral_fields(r, Lang::Es)],
        phrases: &r.phrases,
    });
    topics.chain(referrals).collect()
}

fn strip_placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_ph = false;
    for c in s.chars() {
        match c {
            '{' => in_ph = true,
            '}' if in_ph => in_ph = false,
            _ if !in_ph => out.push(c),
            _ => {}
        }
    }
    out
}

/// Everything the matcher indexes for each topic and language, joined, for comparing with other
/// retrieval methods on the same text (`inm-bot topics --json`).
pub fn indexed_text(kb: &Knowledge) -> Vec<(String, Lang, String)> {
    let mut out = Vec::new();
    for t in &kb.topics {
        for lang in Lang::ALL {
            let text: Vec<String> = fields(t, lang).into_iter().map(|(s, _)| s).collect();
            out.push((t.id.clone(), lang, text.join("\n")));
        }
    }
    out
}

impl Matcher {
    /// Indexes a knowledge base: build once, match many.
    pub fn new(kb: &Knowledge) -> Matcher {
        let stem_en = Stemmer::create(Algorithm::English);
        let stem_es = Stemmer::create(Algorithm::Spanish);
        let stop_en: HashSet<&'static str> = EN_STOP.iter().copied().collect();
        let stop_es: HashSet<&'static str> = ES_STOP.iter().copied().collect();
        let n_topics = kb.topics.len();
        let docs = docs(kb);

        let mut terms_en: HashMap<String, u32> = HashMap::new();
        let mut terms_es: HashMap<String, u32> = HashMap::new();
        // Per term, the best weight it has in each topic.
        let mut weights: Vec<Vec<(u16, f32)>> = Vec::new();
        let mut typos = Typos::default();
        // The knowledge base's Spanish words, each once, in the order first seen.
        let mut seen_es: HashSet<String> = HashSet::new();
        let mut spanish_words: Vec<String> = Vec::new();
        let mut phrase_vocab_en: HashMap<String, u32> = HashMap::new();
        let mut phrase_vocab_es: HashMap<String, u32> = HashMap::new();
        let mut phrases: Vec<Phrase> = Vec::new();

        for (ti, doc) in docs.iter().enumerate() {
            for (li, lang) in Lang::ALL.into_iter().enumerate() {
                let (stemmer, terms, stop) = match lang {
                    Lang::En => (&stem_en, &mut terms_en, &stop_en),
                    Lang::Es => (&stem_es, &mut terms_es, &stop_es),
                };
                for (text, w) in &doc.fields[li] {
                    let w = *w;
                    for word in normalize(text) {
                        if stop.contains(word.as_str()) || DOMAIN.contains(&word.as_str()) {
                            continue;
                        }
                        if lang == Lang::Es && !seen_es.contains(&word) {
                            seen_es.insert(word.clone());
                            spanish_words.push(word.clone());
                        }
                        let stem = stemmer.stem(&word).into_owned();
                        let next = weights.len() as u32;
                        let id = *terms.entry(stem).or_insert(next);
                        if id == next {
                            weights.push(Vec::new());
                        }
                        let list = &mut weights[id as usize];
                        match list.iter_mut().find(|(t, _)| *t as usize == ti) {
                            Some(entry) => entry.1 = entry.1.max(w),
                            None => list.push((ti as u16, w)),
                        }
                        if w >= W_KEYWORD && word.chars().count() >= 5 {
                            typos.add(&word, lang);
                        }
                    }
                }
                // The two languages' phrase ids share one space: Spanish ones carry the top bit.
                let (vocab, tag) = match lang {
                    Lang::En => (&mut phrase_vocab_en, 0),
                    Lang::Es => (&mut phrase_vocab_es, 1 << 31),
                };
                for p in doc.phrases.get(lang) {
                    let words: Vec<u32> = normalize(p)
                        .iter()
                        .filter(|w| !skipped_in_phrases(w))
                        .map(|w| {
                            let next = vocab.len() as u32 | tag;
                            *vocab.entry(stemmer.stem(w).into_owned()).or_insert(next)
                        })
                        .collect();
                    if (2..=MAX_PHRASE_WORDS).contains(&words.len()) {
                        phrases.push(Phrase { topic: ti, words });
                    }
                }
            }
        }

        let n = docs.len().max(1) as f32;
        let idf: Vec<f32> = weights
            .iter()
            .map(|p| {
                // A word that only appears in other topics' answers says less against this one
                // than a keyword of theirs would: weigh document frequency by field weight.
                let df: f32 = p.iter().map(|(_, w)| w.min(1.0)).sum();
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        let max_idf = (1.0 + (n - 0.5) / 1.5f32).ln();
        let mut post_start = Vec::with_capacity(weights.len() + 1);
        let mut postings = Vec::new();
        for p in &weights {
            post_start.push(postings.len() as u32);
            postings.extend_from_slice(p);
        }
        post_start.push(postings.len() as u32);

        typos.build();

        // Spanish words by how they sound: function and domain words first, then the knowledge
        // base's own words, then common words.
        let mut sounds_like: HashMap<String, String> = HashMap::new();
        let spanish = ES_STOP
            .iter()
            .chain(DOMAIN)
            .map(|w| w.to_string())
            .chain(spanish_words)
            .chain(COMMON_WORDS.lines().map(str::to_string));
        for w in spanish {
            if w.chars().count() >= 3 {
                sounds_like.entry(sounds(&w)).or_insert(w);
            }
        }

        let mut phrases_by_first: HashMap<u32, Vec<u32>> = HashMap::new();
        for (pi, p) in phrases.iter().enumerate() {
            phrases_by_first.entry(p.words[0]).or_default().push(pi as u32);
        }

        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Matcher {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            n_topics,
            n_docs: docs.len(),
            stem_en,
            stem_es,
            terms_en,
            terms_es,
            idf,
            post_start,
            postings,
            unknown_idf: max_idf * UNKNOWN_SHARE,
            typos,
            phrase_vocab_en,
            phrase_vocab_es,
            phrases,
            phrases_by_first,
            stop_en,
            stop_es,
            common: COMMON_WORDS.lines().collect(),
            sounds_like,
        }
    }
}

//! Building the index: every topic's text (title, keywords, phrases, answer, checklist) in each
//! language, stemmed into a vocabulary with BM25-style weights, plus the phrases and the words
//! typos are corrected to.

use std::borrow::Cow;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use super::typos::Typos;
use super::words::{COMMON_WORDS, DOMAIN, EN_STOP, ES_STOP, for_each_word, skipped_in_phrases, sounds};
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
fn fields(t: &Topic, lang: Lang) -> Vec<(Cow<'_, str>, f32)> {
    let mut v = vec![(Cow::from(t.title.get(lang)), W_TITLE)];
    v.extend(t.keywords.get(lang).iter().map(|k| (Cow::from(k), W_KEYWORD)));
    v.extend(t.phrases.get(lang).iter().map(|p| (Cow::from(p), W_KEYWORD)));
    v.push((strip_placeholders(t.answer.get(lang)), W_ANSWER));
    v.extend(t.checklist.iter().map(|i| (Cow::from(i.text(lang)), W_ANSWER)));
    v.extend(t.examples.get(lang).iter().map(|e| (Cow::from(e), W_EXAMPLE)));
    v
}

/// The text of a referral (something this office does not do), indexed like a topic so that it
/// can win over one: "how much is a metro ticket" is about fares, not INM fees.
fn referral_fields(r: &Referral, lang: Lang) -> Vec<(Cow<'_, str>, f32)> {
    let mut v: Vec<(Cow<'_, str>, f32)> = r.keywords.get(lang).iter().map(|k| (Cow::from(k), W_KEYWORD)).collect();
    v.extend(r.phrases.get(lang).iter().map(|p| (Cow::from(p), W_KEYWORD)));
    v.extend(r.examples.get(lang).iter().map(|e| (Cow::from(e), W_EXAMPLE)));
    v.push((Cow::from(r.answer.get(lang)), W_ANSWER));
    v
}

/// One indexed document: a topic, or a referral after all the topics.
struct Doc<'a> {
    fields: [Vec<(Cow<'a, str>, f32)>; 2],
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

fn strip_placeholders(s: &str) -> Cow<'_, str> {
    // Most answers have no placeholder: they are read where they are, not copied.
    if !s.contains('{') {
        return Cow::Borrowed(s);
    }
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
    Cow::Owned(out)
}

/// Everything the matcher indexes for each topic and language, joined, for comparing with other
/// retrieval methods on the same text (`inm-bot topics --json`).
pub fn indexed_text(kb: &Knowledge) -> Vec<(String, Lang, String)> {
    let mut out = Vec::new();
    for t in &kb.topics {
        for lang in Lang::ALL {
            let text: Vec<String> = fields(t, lang).into_iter().map(|(s, _)| s.into_owned()).collect();
            out.push((t.id.clone(), lang, text.join("\n")));
        }
    }
    out
}

/// A word already read in one language while indexing: the same words come back in every
/// field, and stemming them again was most of the cost of building the index.
struct Seen {
    /// Its term, or `None` for a stop word or a domain word.
    term: Option<u32>,
    /// Long enough (5 letters or more) to be a word typos are corrected to.
    long: bool,
    /// Already given to `Typos::add` for this language.
    in_typos: bool,
    /// A date word ("thursday", "tomorrow"): never a referral's subject. Asked only once a
    /// referral uses the word (`None` until then): most words are only in topics, where it does
    /// not matter, and asking was a tenth of the cost of indexing.
    date: Option<bool>,
}

/// Short strings one after another in one buffer, each found by its index: thousands of stems
/// with one allocation rather than one each.
#[derive(Default)]
struct Arena {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
}

impl Arena {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// The words of one language read so far while indexing, each once.
#[derive(Default)]
struct Read {
    ids: FxHashMap<String, u32>,
    seen: Vec<Seen>,
    /// The phrase-vocabulary id of each word read in a phrase.
    phrase_ids: FxHashMap<String, u32>,
}

impl Matcher {
    /// Indexes a knowledge base: build once, match many.
    pub fn new(kb: &Knowledge) -> Matcher {
        let stem_en = Stemmer::create(Algorithm::English);
        let stem_es = Stemmer::create(Algorithm::Spanish);
        let n_topics = kb.topics.len();
        let docs = docs(kb);

        let mut terms_en: FxHashMap<String, u32> = FxHashMap::default();
        let mut terms_es: FxHashMap<String, u32> = FxHashMap::default();
        // Per term, the best weight it has in each topic.
        let mut weights: Vec<Vec<(u16, f32)>> = Vec::new();
        // Per term, its stem: a phrase's words were all read before, so few need stemming again.
        let mut stems = Arena::default();
        let mut typos = Typos::default();
        let mut read: [Read; 2] = Default::default();
        // The knowledge base's Spanish words (stop words aside), each once, in the order first seen.
        let mut spanish_words: Vec<String> = Vec::new();
        let mut phrase_vocab_en: FxHashMap<String, u32> = FxHashMap::default();
        let mut phrase_vocab_es: FxHashMap<String, u32> = FxHashMap::default();
        let mut phrases: Vec<Phrase> = Vec::new();

        for (ti, doc) in docs.iter().enumerate() {
            for (li, lang) in Lang::ALL.into_iter().enumerate() {
                let (stemmer, terms, stop) = match lang {
                    Lang::En => (&stem_en, &mut terms_en, &*STOP_EN),
                    Lang::Es => (&stem_es, &mut terms_es, &*STOP_ES),
                };
                let read = &mut read[li];
                for (text, w) in &doc.fields[li] {
                    let w = *w;
                    for_each_word(text, |word| {
                        let si = match read.ids.get(word) {
                            Some(&si) => si as usize,
                            None => {
                                // Referrals come after the topics: a date word first seen in
                                // one is in no topic, and stays out of the vocabulary (below).
                                let skipped = stop.contains(word) || DOMAIN.contains(&word);
                                let date = (ti >= n_topics && !skipped).then(|| crate::dates::is_date_word(word));
                                let term = if skipped || date == Some(true) {
                                    None
                                } else {
                                    if lang == Lang::Es {
                                        spanish_words.push(word.to_string());
                                    }
                                    let stem = super::words::stem(stemmer, word);
                                    let id = match terms.get(&*stem) {
                                        Some(&id) => id,
                                        None => {
                                            let id = weights.len() as u32;
                                            weights.push(Vec::new());
                                            stems.push(&stem);
                                            terms.insert(stem.into_owned(), id);
                                            id
                                        }
                                    };
                                    Some(id)
                                };
                                read.ids.insert(word.to_string(), read.seen.len() as u32);
                                read.seen.push(Seen {
                                    term,
                                    long: word.chars().count() >= 5,
                                    in_typos: false,
                                    date,
                                });
                                read.seen.len() - 1
                            }
                        };
                        let seen = &mut read.seen[si];
                        let Some(id) = seen.term else { return };
                        // A referral's subject is never a moment: "and on Thursday?" after the
                        // hours is not the weather's, though its examples ask about Thursday.
                        if ti >= n_topics && *seen.date.get_or_insert_with(|| crate::dates::is_date_word(word)) {
                            return;
                        }
                        // Documents are read in order, so this one's entry, if any, is the last.
                        let list = &mut weights[id as usize];
                        match list.last_mut() {
                            Some(entry) if entry.0 as usize == ti => entry.1 = entry.1.max(w),
                            _ => list.push((ti as u16, w)),
                        }
                        if w >= W_KEYWORD && seen.long && !seen.in_typos {
                            seen.in_typos = true;
                            typos.add(word, lang);
                        }
                    });
                }
                // The two languages' phrase ids share one space: Spanish ones carry the top bit.
                let (vocab, tag) = match lang {
                    Lang::En => (&mut phrase_vocab_en, 0),
                    Lang::Es => (&mut phrase_vocab_es, 1 << 31),
                };
                for p in doc.phrases.get(lang) {
                    let mut words: Vec<u32> = Vec::new();
                    for_each_word(p, |w| {
                        if skipped_in_phrases(w) {
                            return;
                        }
                        let id = match read.phrase_ids.get(w) {
                            Some(&id) => id,
                            None => {
                                let stem = match read.ids.get(w).and_then(|&si| read.seen[si as usize].term) {
                                    Some(term) => Cow::from(stems.get(term as usize)),
                                    None => super::words::stem(stemmer, w),
                                };
                                let id = match vocab.get(&*stem) {
                                    Some(&id) => id,
                                    None => {
                                        let id = vocab.len() as u32 | tag;
                                        vocab.insert(stem.into_owned(), id);
                                        id
                                    }
                                };
                                read.phrase_ids.insert(w.to_string(), id);
                                id
                            }
                        };
                        words.push(id);
                    });
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
        let mut postings = Vec::with_capacity(weights.iter().map(Vec::len).sum());
        for p in &weights {
            post_start.push(postings.len() as u32);
            postings.extend_from_slice(p);
        }
        post_start.push(postings.len() as u32);

        typos.build();

        // Spanish words by how they sound: function and domain words first (`SOUNDS_FIRST`), then
        // the knowledge base's own words, then common words (`SOUNDS_LAST`).
        let mut sounds_like: FxHashMap<String, String> = FxHashMap::default();
        for w in spanish_words {
            if w.chars().count() >= 3 {
                let s = sounds(&w);
                if !SOUNDS_FIRST.contains_key(&s) {
                    sounds_like.entry(s).or_insert(w);
                }
            }
        }

        let mut phrases_by_first: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
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
            stop_en: &STOP_EN,
            stop_es: &STOP_ES,
            common: &COMMON,
            sounds_like,
        }
    }

    /// The known Spanish word that sounds like `sound` (`words::sounds`): a function or domain
    /// word first, then a word of the knowledge base, then a common word.
    pub(super) fn sounds_like(&self, sound: &str) -> Option<&str> {
        SOUNDS_FIRST
            .get(sound)
            .copied()
            .or_else(|| self.sounds_like.get(sound).map(String::as_str))
            .or_else(|| SOUNDS_LAST.get(sound).copied())
    }
}

// The tables that do not depend on the knowledge base, made once per process.
static STOP_EN: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| EN_STOP.iter().copied().collect());
static STOP_ES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| ES_STOP.iter().copied().collect());
/// `COMMON_WORDS`, sorted, for binary search.
static COMMON: LazyLock<Vec<&'static str>> = LazyLock::new(|| COMMON_WORDS.lines().collect());
/// Function and domain words by how they sound, the first of each sound.
static SOUNDS_FIRST: LazyLock<FxHashMap<String, &'static str>> =
    LazyLock::new(|| by_sound(ES_STOP.iter().chain(DOMAIN).copied()));
/// Common words by how they sound, the first of each sound.
static SOUNDS_LAST: LazyLock<FxHashMap<String, &'static str>> = LazyLock::new(|| by_sound(COMMON_WORDS.lines()));

fn by_sound(words: impl Iterator<Item = &'static str>) -> FxHashMap<String, &'static str> {
    let mut map = FxHashMap::default();
    for w in words {
        if w.chars().count() >= 3 {
            map.entry(sounds(w)).or_insert(w);
        }
    }
    map
}

//! The question matcher: turns a user's free text into the best topic, runner-up suggestions, a
//! confidence and the language the question was written in.
//!
//! Text is lower-cased, accent-folded and split into words; stop words are dropped; every word is
//! stemmed with both the English and the Spanish Snowball stemmer and looked up in that language's
//! vocabulary. Unknown words of 5+ letters are corrected to a vocabulary word at edit distance 1
//! (2 from 8 letters) through a deletion index built once at load. Topics are scored BM25-style
//! (rare words count more, keywords more than answer text), multi-word phrases add a bonus, and the
//! confidence is the share of the question's telling words that the best topic explains: words the
//! knowledge base has never seen weigh against it, which is what sends "a US visa" to "none".

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::knowledge::{Knowledge, Lang, Topic};

/// Only the start of a very long message is matched: a question does not need more, and it keeps
/// the time per message bounded whatever is pasted in.
const MAX_CHARS: usize = 600;
const MAX_TOKENS: usize = 48;
/// Longer phrases are refused by validation; the matcher tracks covered words in a `u64`.
pub const MAX_PHRASE_WORDS: usize = 8;

/// Field weights: what a keyword or title word says about a topic, against a word that merely
/// occurs in its answer.
const W_TITLE: f32 = 1.2;
const W_KEYWORD: f32 = 1.0;
const W_ANSWER: f32 = 0.3;
/// A typo-corrected word counts a little less than one typed right.
const TYPO_FACTOR: f32 = 0.85;
/// Bonus per word of a matched phrase, in idf units; stop words in a phrase count less.
const PHRASE_BONUS: f32 = 0.9;
const PHRASE_STOP_BONUS: f32 = 0.3;
/// Weight of a match in the other language than the question's, when the language is clear.
const OTHER_LANGUAGE: f32 = 0.5;
/// Mass of a word the knowledge base has never seen, as a share of the rarest word's idf.
const UNKNOWN_SHARE: f32 = 1.3;
/// Past this many content words, a message's unexplained words are scaled down (see `find`).
const CHATTY_WORDS: f32 = 3.0;
/// How much a common word the knowledge base does not use ("tried", "really") weighs against a
/// topic, as a share of an unknown word: less than "weather" or "joke", more than nothing, since
/// "us" in "a US visa" is one too.
const COMMON_WORD_SHARE: f32 = 0.7;
/// How much of a weakly known word (only in answer text, or typo-corrected) counts as unknown.
const WEAK_WORD: f32 = 0.5;

/// Calibrated on `shared/eval/questions.tsv`; see the README ("Matcher") for the figures.
pub const CONFIDENT: f32 = 0.52;
pub const WEAK: f32 = 0.34;
/// A best topic whose lead over the runner-up (in confidence and in raw score) is smaller than
/// this share is only a suggestion.
const AMBIGUOUS: f32 = 0.06;
/// A confident answer needs at least this raw score: one word from an answer's text is not enough.
const MIN_RAW: f32 = 1.0;

/// Function words, question words and chat fillers: they say nothing about the topic (phrases
/// still use them) and nothing against it either.
const EN_STOP: &[&str] = &[
    "a",
    "about",
    "actually",
    "after",
    "general",
    "kind",
    "again",
    "all",
    "already",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "as",
    "at",
    "available",
    "be",
    "because",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "currently",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "each",
    "exact",
    "exactly",
    "for",
    "from",
    "get",
    "getting",
    "go",
    "going",
    "got",
    "guys",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "know",
    "let",
    "ll",
    "m",
    "may",
    "me",
    "might",
    "must",
    "my",
    "myself",
    "not",
    "of",
    "ok",
    "okay",
    "on",
    "or",
    "our",
    "please",
    "possible",
    "process",
    "processes",
    "re",
    "really",
    "s",
    "she",
    "should",
    "so",
    "some",
    "someone",
    "something",
    "step",
    "steps",
    "still",
    "sure",
    "t",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "ve",
    "very",
    "want",
    "was",
    "we",
    "went",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "without",
    "would",
    "you",
    "your",
];

const ES_STOP: &[&str] = &[
    "a",
    "al",
    "algo",
    "alguien",
    "ante",
    "antes",
    "aqui",
    "ahi",
    "alla",
    "aun",
    "buenas",
    "bueno",
    "buenos",
    "como",
    "con",
    "cual",
    "cuales",
    "cuando",
    "de",
    "del",
    "disponible",
    "donde",
    "el",
    "ella",
    "ellos",
    "en",
    "entre",
    "era",
    "eres",
    "es",
    "esa",
    "ese",
    "eso",
    "esta",
    "estan",
    "estas",
    "este",
    "esto",
    "estos",
    "estoy",
    "exactamente",
    "favor",
    "fue",
    "gracias",
    "ha",
    "hago",
    "hay",
    "hola",
    "ir",
    "la",
    "las",
    "le",
    "les",
    "lo",
    "los",
    "mas",
    "me",
    "mi",
    "mis",
    "muy",
    "ni",
    "no",
    "nos",
    "o",
    "oye",
    "para",
    "pero",
    "por",
    "porfa",
    "paso",
    "pasos",
    "proceso",
    "procesos",
    "porfavor",
    "porque",
    "puedo",
    "puede",
    "pueden",
    "que",
    "quien",
    "quiero",
    "se",
    "ser",
    "si",
    "sin",
    "sobre",
    "soy",
    "su",
    "sus",
    "tambien",
    "tardes",
    "te",
    "tengo",
    "tiene",
    "tienen",
    "todavia",
    "tu",
    "tus",
    "un",
    "una",
    "uno",
    "unos",
    "unas",
    "va",
    "vamos",
    "voy",
    "y",
    "ya",
    "yo",
];

/// Greetings, thanks and goodbyes: a message made only of these is small talk, not a question.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hola",
    "buenas",
    "buenos",
    "buen",
    "dias",
    "tardes",
    "noches",
    "good",
    "morning",
    "afternoon",
    "evening",
    "there",
    "guys",
    "everyone",
    "all",
    "bye",
    "adios",
    "hasta",
    "luego",
    "ciao",
    "chao",
    "saludos",
    "que",
    "tal",
    "onda",
];
const THANKS: &[&str] = &[
    "thanks", "thank", "you", "thx", "ty", "gracias", "muchas", "mil", "much", "so", "very",
];

/// What a message made only of greetings or thanks is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallTalk {
    Greeting,
    Thanks,
}

/// Reads a message made only of greetings or thanks ("hola!", "thank you so much").
pub fn small_talk(text: &str) -> Option<SmallTalk> {
    let words = normalize(text);
    if words.is_empty() {
        return None;
    }
    let thanks = words
        .iter()
        .any(|w| matches!(w.as_str(), "thanks" | "thank" | "thx" | "ty" | "gracias"));
    let all = |list: &[&str]| {
        words
            .iter()
            .all(|w| list.contains(&w.as_str()) || GREETINGS.contains(&w.as_str()))
    };
    if thanks && all(THANKS) {
        Some(SmallTalk::Thanks)
    } else if words.iter().all(|w| GREETINGS.contains(&w.as_str())) {
        Some(SmallTalk::Greeting)
    } else {
        None
    }
}

/// Chat shorthand and contractions (apostrophes are already gone), spelled out.
const EXPANSIONS: &[(&str, &[&str])] = &[
    ("whats", &["what", "is"]),
    ("wheres", &["where", "is"]),
    ("hows", &["how", "is"]),
    ("whens", &["when", "is"]),
    ("whos", &["who", "is"]),
    ("theres", &["there", "is"]),
    ("dont", &["do", "not"]),
    ("doesnt", &["does", "not"]),
    ("cant", &["can", "not"]),
    ("isnt", &["is", "not"]),
    ("im", &["i", "am"]),
    ("ive", &["i", "have"]),
    ("u", &["you"]),
    ("ur", &["your"]),
    ("r", &["are"]),
    ("pls", &["please"]),
    ("plz", &["please"]),
    ("q", &["que"]),
    ("xq", &["porque"]),
    ("pq", &["porque"]),
    ("tb", &["tambien"]),
];

/// Common English and Spanish words (the ISO stop-word lists, accent-folded, sorted), from
/// `build.rs`. One the knowledge base does not use is filler ("tried", "really", "próximo"), not a
/// sign that the question is about something else.
static COMMON_WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/common_words.txt"));

/// Words that say a question is about this office but not which topic: every topic is about the
/// INM office in Mexico City. They neither score nor count against a topic.
const DOMAIN: &[&str] = &[
    "inm",
    "instituto",
    "nacional",
    "migracion",
    "migratoria",
    "immigration",
    "migration",
    "office",
    "offices",
    "oficina",
    "oficinas",
    "mexico",
    "city",
    "ciudad",
    "cdmx",
    "df",
];

/// Phrases match across articles and domain words: "where is the office" also reads
/// "where's the INM office".
fn skipped_in_phrases(word: &str) -> bool {
    ARTICLES.contains(&word) || DOMAIN.contains(&word)
}

const ARTICLES: &[&str] = &["the", "a", "an", "el", "la", "los", "las", "un", "una"];

/// Letters and marks that only Spanish uses among the two languages.
const SPANISH_MARKS: &[char] = &['ñ', 'á', 'é', 'í', 'ó', 'ú', 'ü', '¿', '¡'];

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
}

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// One word of a question, read against the vocabulary.
struct Token {
    stop_en: bool,
    stop_es: bool,
    term_en: Option<u32>,
    term_es: Option<u32>,
    /// Below 1 when the word was typo-corrected.
    factor: f32,
    phrase_en: Option<u32>,
    phrase_es: Option<u32>,
}

impl Token {
    fn phrase(&self, lang: Lang) -> Option<u32> {
        match lang {
            Lang::En => self.phrase_en,
            Lang::Es => self.phrase_es,
        }
    }
}

struct Phrase {
    topic: usize,
    /// Phrase-vocabulary ids of its words (stop words included), in order.
    words: Vec<u32>,
}

/// A word of the vocabulary that typos can be corrected to.
struct Surface {
    word: String,
    en: bool,
    es: bool,
}

/// The index over a knowledge base; build once, match many.
pub struct Matcher {
    n_topics: usize,
    stem_en: Stemmer,
    stem_es: Stemmer,
    terms_en: HashMap<String, u32>,
    terms_es: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Postings of term `t` are `postings[post_start[t]..post_start[t + 1]]`.
    post_start: Vec<u32>,
    postings: Vec<(u16, f32)>,
    unknown_idf: f32,
    surfaces: Vec<Surface>,
    surface_ids: HashMap<String, u32>,
    deletes: IdMap<Vec<u32>>,
    phrase_vocab_en: HashMap<String, u32>,
    phrase_vocab_es: HashMap<String, u32>,
    phrases: Vec<Phrase>,
    phrases_by_first: HashMap<u32, Vec<u32>>,
    stop_en: std::collections::HashSet<&'static str>,
    stop_es: std::collections::HashSet<&'static str>,
    /// `COMMON_WORDS`, sorted, for binary search.
    common: Vec<&'static str>,
}

/// Lower-cases, folds accents and splits into words: everything that is not a letter or a digit
/// (punctuation, emoji, control characters) separates words.
pub fn normalize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().take(MAX_CHARS).flat_map(char::to_lowercase).nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            cur.push(c);
        } else if c == '\'' || c == '’' {
            // "what's" and "don't" stay one word, then `EXPANSIONS` spells them out.
        } else if !cur.is_empty() {
            push_word(&mut out, std::mem::take(&mut cur));
            if out.len() >= MAX_TOKENS {
                out.truncate(MAX_TOKENS);
                return out;
            }
        }
    }
    if !cur.is_empty() {
        push_word(&mut out, cur);
    }
    out.truncate(MAX_TOKENS);
    out
}

fn push_word(out: &mut Vec<String>, word: String) {
    match EXPANSIONS.iter().find(|(w, _)| *w == word) {
        Some((_, full)) => out.extend(full.iter().map(|w| w.to_string())),
        None => out.push(word),
    }
}

/// All the text the matcher indexes for a topic in one language, as (text, weight) pairs.
fn fields(t: &Topic, lang: Lang) -> Vec<(String, f32)> {
    let mut v = vec![(t.title.get(lang).clone(), W_TITLE)];
    v.extend(t.keywords.get(lang).iter().map(|k| (k.clone(), W_KEYWORD)));
    v.extend(t.phrases.get(lang).iter().map(|p| (p.clone(), W_KEYWORD)));
    v.push((strip_placeholders(t.answer.get(lang)), W_ANSWER));
    v.extend(t.checklist.iter().map(|i| (i.text(lang).to_string(), W_ANSWER)));
    v
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

fn fnv(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(c as u32)).wrapping_mul(0x100_0000_01b3)
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Calls `f` with the hash of the word and of every variant with up to `max` characters deleted.
fn for_each_deletion(word: &[char], max: usize, f: &mut impl FnMut(u64)) {
    let hash_skipping = |skip: &[usize]| {
        let mut h = FNV_START;
        for (i, &c) in word.iter().enumerate() {
            if !skip.contains(&i) {
                h = fnv(h, c);
            }
        }
        h
    };
    f(hash_skipping(&[]));
    if max >= 1 {
        for i in 0..word.len() {
            f(hash_skipping(&[i]));
            if max >= 2 {
                for j in i + 1..word.len() {
                    f(hash_skipping(&[i, j]));
                }
            }
        }
    }
}

/// The edit distance allowed between two words, from the shorter one's length.
fn allowed_distance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

impl Matcher {
    pub fn new(kb: &Knowledge) -> Matcher {
        let stem_en = Stemmer::create(Algorithm::English);
        let stem_es = Stemmer::create(Algorithm::Spanish);
        let stop_en: std::collections::HashSet<&'static str> = EN_STOP.iter().copied().collect();
        let stop_es: std::collections::HashSet<&'static str> = ES_STOP.iter().copied().collect();
        let n_topics = kb.topics.len();

        let mut terms_en: HashMap<String, u32> = HashMap::new();
        let mut terms_es: HashMap<String, u32> = HashMap::new();
        // Per term, the best weight it has in each topic.
        let mut weights: Vec<Vec<(u16, f32)>> = Vec::new();
        let mut surfaces: Vec<Surface> = Vec::new();
        let mut surface_ids: HashMap<String, u32> = HashMap::new();
        let mut phrase_vocab_en: HashMap<String, u32> = HashMap::new();
        let mut phrase_vocab_es: HashMap<String, u32> = HashMap::new();
        let mut phrases: Vec<Phrase> = Vec::new();

        for (ti, topic) in kb.topics.iter().enumerate() {
            for lang in Lang::ALL {
                let (stemmer, terms, stop) = match lang {
                    Lang::En => (&stem_en, &mut terms_en, &stop_en),
                    Lang::Es => (&stem_es, &mut terms_es, &stop_es),
                };
                for (text, w) in fields(topic, lang) {
                    for word in normalize(&text) {
                        if stop.contains(word.as_str()) || DOMAIN.contains(&word.as_str()) {
                            continue;
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
                            let next = surfaces.len() as u32;
                            let sid = *surface_ids.entry(word.clone()).or_insert(next);
                            if sid == next {
                                surfaces.push(Surface {
                                    word,
                                    en: false,
                                    es: false,
                                });
                            }
                            let s = &mut surfaces[sid as usize];
                            match lang {
                                Lang::En => s.en = true,
                                Lang::Es => s.es = true,
                            }
                        }
                    }
                }
                // The two languages' phrase ids share one space: Spanish ones carry the top bit.
                let (vocab, tag) = match lang {
                    Lang::En => (&mut phrase_vocab_en, 0),
                    Lang::Es => (&mut phrase_vocab_es, 1 << 31),
                };
                for p in topic.phrases.get(lang) {
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

        let n = n_topics.max(1) as f32;
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

        let mut deletes: IdMap<Vec<u32>> = IdMap::default();
        let mut chars = Vec::new();
        for (sid, s) in surfaces.iter().enumerate() {
            chars.clear();
            chars.extend(s.word.chars());
            for_each_deletion(&chars, allowed_distance(chars.len()), &mut |h| {
                let list = deletes.entry(h).or_default();
                if list.last() != Some(&(sid as u32)) {
                    list.push(sid as u32);
                }
            });
        }

        let mut phrases_by_first: HashMap<u32, Vec<u32>> = HashMap::new();
        for (pi, p) in phrases.iter().enumerate() {
            phrases_by_first.entry(p.words[0]).or_default().push(pi as u32);
        }

        Matcher {
            n_topics,
            stem_en,
            stem_es,
            terms_en,
            terms_es,
            idf,
            post_start,
            postings,
            unknown_idf: max_idf * UNKNOWN_SHARE,
            surfaces,
            surface_ids,
            deletes,
            phrase_vocab_en,
            phrase_vocab_es,
            phrases,
            phrases_by_first,
            stop_en,
            stop_es,
            common: COMMON_WORDS.lines().collect(),
        }
    }

    /// A key that groups wordings of one question: its content words, stemmed, sorted, without
    /// stop words ("Where can I PARK?" and "park where" share one).
    pub fn key(&self, text: &str) -> String {
        let mut stems: Vec<String> = normalize(text)
            .into_iter()
            .filter(|w| {
                !DOMAIN.contains(&w.as_str())
                    && !self.stop_en.contains(w.as_str())
                    && !self.stop_es.contains(w.as_str())
            })
            .map(|w| self.stem_es.stem(&self.stem_en.stem(&w)).into_owned())
            .collect();
        stems.sort();
        stems.dedup();
        stems.join(" ")
    }

    /// The vocabulary words closest to `word` within the allowed edit distance: the best English
    /// one and the best Spanish one (only those at the smallest distance found).
    fn correct(&self, word: &str) -> (Option<&Surface>, Option<&Surface>) {
        let chars: Vec<char> = word.chars().collect();
        let max = allowed_distance(chars.len());
        if max == 0 {
            return (None, None);
        }
        // (distance, surface id) of the best candidate per language.
        let mut best_en: Option<(usize, u32)> = None;
        let mut best_es: Option<(usize, u32)> = None;
        for_each_deletion(&chars, max, &mut |h| {
            let Some(list) = self.deletes.get(&h) else { return };
            for &sid in list {
                let s = &self.surfaces[sid as usize];
                let limit = allowed_distance(chars.len().min(s.word.chars().count()));
                let d = strsim::damerau_levenshtein(word, &s.word);
                if d > limit {
                    continue;
                }
                for (has, best) in [(s.en, &mut best_en), (s.es, &mut best_es)] {
                    if has && best.is_none_or(|(bd, bs)| d < bd || (d == bd && sid < bs)) {
                        *best = Some((d, sid));
                    }
                }
            }
        });
        let min = best_en.iter().chain(&best_es).map(|(d, _)| *d).min();
        let pick = |b: Option<(usize, u32)>| {
            b.filter(|(d, _)| Some(*d) == min)
                .map(|(_, sid)| &self.surfaces[sid as usize])
        };
        (pick(best_en), pick(best_es))
    }

    fn postings(&self, term: u32) -> &[(u16, f32)] {
        let t = term as usize;
        &self.postings[self.post_start[t] as usize..self.post_start[t + 1] as usize]
    }

    /// Matches a question. `hint` is the language to assume when the text gives no clear signal.
    pub fn find(&self, text: &str, hint: Option<Lang>) -> Match {
        self.find_traced(text, hint, None)
    }

    /// Like `find`, and says how each word was read and how the top topics scored, for people
    /// tuning the knowledge base (`inm-bot ask --explain`).
    pub fn explain(&self, text: &str, hint: Option<Lang>, kb: &Knowledge) -> (Match, Vec<String>) {
        let mut trace = Vec::new();
        let m = self.find_traced(text, hint, Some((&mut trace, kb)));
        (m, trace)
    }

    fn find_traced(&self, text: &str, hint: Option<Lang>, mut trace: Option<(&mut Vec<String>, &Knowledge)>) -> Match {
        let words = normalize(text);
        let mut votes_en = 0.0f32;
        let mut votes_es = 0.0f32;
        if text
            .chars()
            .take(MAX_CHARS)
            .any(|c| SPANISH_MARKS.contains(&c.to_lowercase().next().unwrap_or(c)))
        {
            votes_es += 1.5;
        }

        // First read every word: stop word or not, its terms in each language (after typo
        // correction), its phrase ids; and count the language signals.
        let tokens: Vec<Token> = words.iter().map(|w| self.read(w)).collect();
        for t in &tokens {
            match (t.stop_en, t.stop_es, t.term_en.is_some(), t.term_es.is_some()) {
                (true, false, ..) => votes_en += 1.0,
                (false, true, ..) => votes_es += 1.0,
                (false, false, true, false) => votes_en += 0.5,
                (false, false, false, true) => votes_es += 0.5,
                _ => {}
            }
        }
        let lang = if votes_es > votes_en {
            Lang::Es
        } else if votes_en > votes_es {
            Lang::En
        } else {
            hint.unwrap_or(Lang::En)
        };
        // A word that only matches in the other language is often a false friend ("form" is not
        // "formarse"): with a clear language signal it counts less.
        let clear = (votes_en - votes_es).abs() >= 1.0;
        let lang_weight = |l: Lang| if clear && l != lang { OTHER_LANGUAGE } else { 1.0 };

        let mut scores = vec![0.0f32; self.n_topics];
        let mut token_best = vec![0.0f32; self.n_topics];
        let mut mass = 0.0f32;
        for (word, t) in words.iter().zip(&tokens) {
            if let Some((tr, _)) = trace.as_mut() {
                let idf = |term: Option<u32>| term.map(|x| format!("{:.2}", self.idf[x as usize]));
                tr.push(if t.stop_en || t.stop_es {
                    format!("{word}: stop word")
                } else {
                    format!(
                        "{word}: en {:?} es {:?}{}",
                        idf(t.term_en),
                        idf(t.term_es),
                        if t.factor == 0.0 {
                            " (common word)"
                        } else if t.factor < 1.0 {
                            " (typo-corrected)"
                        } else {
                            ""
                        }
                    )
                });
            }
            if t.stop_en || t.stop_es {
                continue;
            }
            if t.term_en.is_none() && t.term_es.is_none() {
                // A common word the knowledge base does not use (factor 0) weighs less than an
                // unknown content word.
                let share = if t.factor == 0.0 { COMMON_WORD_SHARE } else { 1.0 };
                mass += self.unknown_idf * share;
                continue;
            }
            token_best.iter_mut().for_each(|s| *s = 0.0);
            let mut ideal = 0.0f32;
            for (term, l) in [(t.term_en, Lang::En), (t.term_es, Lang::Es)] {
                let Some(term) = term else { continue };
                let idf = self.idf[term as usize];
                ideal = ideal.max(idf * lang_weight(l));
                let k = t.factor * lang_weight(l);
                for &(topic, w) in self.postings(term) {
                    let s = &mut token_best[topic as usize];
                    *s = s.max(idf * w * k);
                }
            }
            // A word weighs what the topic it says most about gets from it; the part of it that is
            // weakly known (only in answer text, only in the other language, typo-corrected)
            // also counts as unknown.
            let best = token_best.iter().copied().fold(0.0, f32::max);
            let share = if ideal > 0.0 { (best / ideal).min(1.0) } else { 0.0 };
            mass += best + WEAK_WORD * (1.0 - share) * self.unknown_idf;
            for (total, best) in scores.iter_mut().zip(&token_best) {
                *total += best;
            }
        }

        // Each word of the question counts once towards a topic's phrase bonus, however many of
        // its phrases (or their stemmed variants) cover it; stop words count less.
        let mut covered = vec![0u64; self.n_topics];
        for l in Lang::ALL {
            let ids: Vec<(usize, Option<u32>)> = words
                .iter()
                .zip(&tokens)
                .enumerate()
                .filter(|(_, (w, _))| !skipped_in_phrases(w))
                .map(|(i, (_, t))| (i, t.phrase(l)))
                .collect();
            self.phrase_cover(&ids, &mut covered);
        }
        let stop_mask: u64 = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.stop_en || t.stop_es)
            .map(|(i, _)| 1u64 << i)
            .sum();
        let bonus: Vec<f32> = covered
            .iter()
            .map(|c| {
                PHRASE_BONUS * (c & !stop_mask).count_ones() as f32
                    + PHRASE_STOP_BONUS * (c & stop_mask).count_ones() as f32
            })
            .collect();

        // The confidence is the share of the question the topic explains; rank on it, then on
        // the raw score (several topics can explain everything).
        // In a long message (someone typing in a queue) the words a topic leaves unexplained weigh
        // as if there were only `CHATTY_WORDS` content words: the telling ones still decide.
        let content_words = tokens.iter().filter(|t| !(t.stop_en || t.stop_es)).count() as f32;
        let lambda = if content_words > CHATTY_WORDS {
            CHATTY_WORDS / content_words
        } else {
            1.0
        };
        let conf = |t: usize| {
            let explained = scores[t] + bonus[t];
            let unexplained = (mass - scores[t]).max(0.0);
            (explained / (explained + lambda * unexplained)).min(1.0)
        };
        let mut ranked: Vec<(usize, f32, f32)> = (0..self.n_topics)
            .map(|t| (t, conf(t), scores[t] + bonus[t]))
            .filter(|(_, _, raw)| *raw > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        if let Some((t, kb)) = trace.as_mut() {
            t.push(format!(
                "question mass {mass:.2}; language votes en {votes_en} es {votes_es}"
            ));
            for &(topic, c, raw) in ranked.iter().take(5) {
                t.push(format!(
                    "  {:<22} words {:.2} + phrases {:.2} = {raw:.2}  confidence {c:.2}",
                    kb.topics[topic].id, scores[topic], bonus[topic]
                ));
            }
        }

        let Some(&(best, best_conf, best_raw)) = ranked.first() else {
            return Match {
                confidence: Confidence::None,
                best: None,
                runner_ups: Vec::new(),
                lang,
            };
        };
        let runner_ups: Vec<Scored> = ranked
            .iter()
            .skip(1)
            .take(3)
            .filter(|(_, c, _)| *c >= 0.5 * best_conf)
            .map(|&(topic, score, _)| Scored { topic, score })
            .collect();
        let ambiguous = ranked
            .get(1)
            .is_some_and(|&(_, c, raw)| c > best_conf * (1.0 - AMBIGUOUS) && raw > best_raw * (1.0 - AMBIGUOUS));
        let enough = best_raw >= MIN_RAW || bonus[best] > 0.0;
        let confidence = if best_conf >= CONFIDENT && enough && !ambiguous {
            Confidence::Confident
        } else if best_conf >= WEAK {
            Confidence::Weak
        } else {
            Confidence::None
        };
        Match {
            confidence,
            best: Some(Scored {
                topic: best,
                score: best_conf,
            }),
            runner_ups,
            lang,
        }
    }

    /// How one word of a question reads against the vocabulary.
    fn read(&self, word: &str) -> Token {
        // Numbers ("3 months", "4 years") say nothing about the topic on their own.
        let is_domain = DOMAIN.contains(&word) || word.chars().all(|c| c.is_ascii_digit());
        let stop_en = is_domain || self.stop_en.contains(word);
        let stop_es = is_domain || self.stop_es.contains(word);
        let mut en_stem = self.stem_en.stem(word);
        let mut es_stem = self.stem_es.stem(word);
        let mut term_en = self.terms_en.get(en_stem.as_ref()).copied();
        let mut term_es = self.terms_es.get(es_stem.as_ref()).copied();
        let mut factor = 1.0;
        let known = term_en.is_some() || term_es.is_some() || self.surface_ids.contains_key(word);
        if !known && !stop_en && !stop_es && self.common.binary_search(&word).is_ok() {
            // Not typo-corrected: "tried" is a word, not a misspelt keyword. Factor 0 marks it.
            return Token {
                stop_en,
                stop_es,
                term_en,
                term_es,
                factor: 0.0,
                phrase_en: None,
                phrase_es: None,
            };
        }
        if !known && !stop_en && !stop_es {
            let (en, es) = self.correct(word);
            if let Some(s) = en {
                en_stem = self.stem_en.stem(&s.word);
                term_en = self.terms_en.get(en_stem.as_ref()).copied();
            }
            if let Some(s) = es {
                es_stem = self.stem_es.stem(&s.word);
                term_es = self.terms_es.get(es_stem.as_ref()).copied();
            }
            if en.is_some() || es.is_some() {
                factor = TYPO_FACTOR;
            }
        }
        Token {
            stop_en,
            stop_es,
            term_en,
            term_es,
            factor,
            phrase_en: self.phrase_vocab_en.get(en_stem.as_ref()).copied(),
            phrase_es: self.phrase_vocab_es.get(es_stem.as_ref()).copied(),
        }
    }

    /// Marks, per topic, the question words its phrases cover. `ids` are the question's words
    /// (articles and domain words left out) with their positions.
    fn phrase_cover(&self, ids: &[(usize, Option<u32>)], covered: &mut [u64]) {
        for start in 0..ids.len() {
            let Some(first) = ids[start].1 else { continue };
            let Some(candidates) = self.phrases_by_first.get(&first) else {
                continue;
            };
            for &pi in candidates {
                let p = &self.phrases[pi as usize];
                let end = start + p.words.len();
                if end <= ids.len() && p.words.iter().zip(&ids[start..end]).all(|(w, (_, id))| Some(*w) == *id) {
                    for (pos, _) in &ids[start..end] {
                        covered[p.topic] |= 1u64 << pos;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_accents_and_drops_punctuation() {
        assert_eq!(
            normalize("¿Dónde está la OFICINA? 🙂"),
            vec!["donde", "esta", "la", "oficina"]
        );
        assert_eq!(normalize("what's"), vec!["what", "is"]);
        assert_eq!(normalize("señor"), vec!["senor"]);
        assert!(normalize("🙂🙂 !!! \u{0007}").is_empty());
    }

    #[test]
    fn small_talk_is_only_greetings_or_thanks() {
        assert_eq!(small_talk("Hola!!"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("buenos días 🙂"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("hi there"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("thank you so much"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("muchas gracias"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("hola, a que hora abren"), None);
        assert_eq!(small_talk("thanks, where is the office?"), None);
        assert_eq!(small_talk(""), None);
        assert_eq!(small_talk("🙂"), None);
    }

    #[test]
    fn distance_rules() {
        assert_eq!(allowed_distance(4), 0);
        assert_eq!(allowed_distance(5), 1);
        assert_eq!(allowed_distance(8), 2);
    }
}

//! Scoring a question: each word is read against both languages' vocabularies (stop word,
//! common word, known term, typo-corrected term), topics are scored BM25-style with a bonus for
//! phrases, and the confidence is the share of the question's telling words the best topic
//! explains.

use std::collections::HashMap;

use super::explain::{Explanation, Reading, TopicScore, WordReading};
use super::words::{DOMAIN, MAX_CHARS, SPANISH_MARKS, frequency, skipped_in_phrases, sounds, stem};
use super::{Confidence, Match, Matcher, Scored};
use crate::knowledge::Lang;

/// Words whose stems a thread remembers (see `Matcher::stems`).
const STEM_CACHE: usize = 20_000;

/// Words that place a day relative to now ("NEXT tuesday", "el PRÓXIMO lunes"), and the periods
/// they may place besides days. Every word of every message is looked at: a `match`, not a list.
fn is_relative(word: &str) -> bool {
    matches!(
        word,
        "next"
            | "this"
            | "last"
            | "coming"
            | "proximo"
            | "proxima"
            | "pasado"
            | "pasada"
            | "siguiente"
            | "este"
            | "esta"
    )
}
fn is_period(word: &str) -> bool {
    matches!(word, "week" | "weekend" | "weekends" | "semana")
}

/// Whether word `i` only places a moment: a date word, a period (as its token says), or
/// "fin(es) de semana".
fn is_moment(words: &[String], tokens: &[Token], i: usize) -> bool {
    let w = words[i].as_str();
    tokens[i].moment
        || (matches!(w, "fin" | "fines") && words.get(i + 2).is_some_and(|s| s == "semana"))
        || (w == "de"
            && i > 0
            && matches!(words[i - 1].as_str(), "fin" | "fines")
            && words.get(i + 1).is_some_and(|s| s == "semana"))
}

/// Whether a word only says where: the office's neighbourhood, or near it.
fn is_place(word: &str) -> bool {
    matches!(word, "polanco" | "cerca" | "near" | "nearby" | "cdmx")
}

/// How much a message's unexplained words weigh, given its content words: past `CHATTY_WORDS`,
/// as if there were only that many.
fn chatty_scale(content_words: f32) -> f32 {
    if content_words > CHATTY_WORDS {
        CHATTY_WORDS / content_words
    } else {
        1.0
    }
}

/// A typo-corrected word counts a little less than one typed right.
const TYPO_FACTOR: f32 = 0.85;
/// Bonus per word of a matched phrase, in idf units; stop words in a phrase count less.
const PHRASE_BONUS: f32 = 0.9;
const PHRASE_STOP_BONUS: f32 = 0.3;
/// Weight of a match in the other language than the question's, when the language is clear.
const OTHER_LANGUAGE: f32 = 0.5;
/// Past this many content words, a message's unexplained words are scaled down (see `score`).
const CHATTY_WORDS: f32 = 3.0;
/// How much a common word the knowledge base does not use ("tried", "really") weighs against a
/// topic, as a share of an unknown word: less than "weather" or "joke", more than nothing, since
/// "us" in "a US visa" is one too.
const COMMON_WORD_SHARE: f32 = 0.7;
/// A word at least this frequent (Zipf scale: "pizza", "weather") is a real word, never corrected
/// as a typo; rarer real words ("stole") still may be, towards a keyword they resemble.
const REAL_WORD: f32 = 4.5;
/// Words this frequent ("really", "going", "pues") are fillers: they weigh this share of an
/// unknown word against a topic.
const VERY_COMMON: f32 = 5.5;
const VERY_COMMON_SHARE: f32 = 0.35;

/// Between these Zipf frequencies a known word that is no keyword goes from full weight to
/// `EVERYDAY_WEIGHT` ("canje" keeps all of it, "like" keeps the least).
const SPECIFIC: f32 = 4.0;
const EVERYDAY: f32 = 5.5;
const EVERYDAY_WEIGHT: f32 = 0.7;

fn everyday_weight(zipf: f32) -> f32 {
    let t = ((zipf - SPECIFIC) / (EVERYDAY - SPECIFIC)).clamp(0.0, 1.0);
    1.0 - t * (1.0 - EVERYDAY_WEIGHT)
}

/// How much of a weakly known word (only in answer text, or typo-corrected) counts as unknown.
const WEAK_WORD: f32 = 0.5;

/// Calibrated on `shared/eval/questions.tsv`; see the README ("Matcher") for the figures.
pub const CONFIDENT: f32 = 0.52;
pub const WEAK: f32 = 0.34;
/// Runner-up within this share of the best, in confidence and raw score: a dead heat.
const TIE: f32 = 0.02;
/// A word is a referral's own when no topic knows it and the referral has this share of its weight.
const OWN_WORD: f32 = 0.6;
/// A referral with a subject of its own wins in a question of at most `FOREIGN_SUBJECT_WORDS`
/// content words when its confidence is at least `FOREIGN_SUBJECT` and within `FOREIGN_GAP` of
/// the best topic's.
const FOREIGN_SUBJECT_WORDS: f32 = 4.0;
const FOREIGN_SUBJECT: f32 = 0.45;
const FOREIGN_GAP: f32 = 0.2;
/// A referral that explains this much more than any topic wins though not confident ("where do
/// I get the US visa for my trip to Texas?": a trip and Texas are words of no list).
const CLEAR_LEAD: f32 = 0.2;
/// A referral named by one of its phrases ("pasaporte mexicano", "registro civil") wins when it is
/// confident and within this much of the best topic: the topic's words are then often the
/// referral's business too ("the photo for the Mexican passport").
const NAMED_GAP: f32 = 0.05;
/// A confident answer needs at least this raw score: one word from an answer's text is not enough.
const MIN_RAW: f32 = 1.0;
/// A topic that explains less than this share of a question without its moment words was chosen
/// by the moment alone (see `moment_carried`).
const MOMENT_SUBJECT: f32 = 0.34;

/// One word of a question, read against the vocabulary.
#[derive(Debug, Clone, Copy)]
struct Token {
    stop_en: bool,
    stop_es: bool,
    term_en: Option<u32>,
    term_es: Option<u32>,
    /// Below 1 when the word was typo-corrected; 0 for a common word the vocabulary lacks.
    factor: f32,
    /// For a word the vocabulary lacks: how much of an unknown word's weight it has against a topic.
    unknown_share: f32,
    /// How much a known word weighs, for and against topics: below 1 for a word of everyday
    /// language that no author chose as a keyword ("like", "means", "sorry" in some example).
    weight: f32,
    phrase_en: Option<u32>,
    phrase_es: Option<u32>,
    /// A date word or a period ("tomorrow", "week"): it only places a moment.
    moment: bool,
}

impl Token {
    /// A word that says nothing about any topic, read like a stop word of both languages.
    fn neutral() -> Token {
        Token {
            stop_en: true,
            stop_es: true,
            term_en: None,
            term_es: None,
            factor: 1.0,
            unknown_share: 1.0,
            weight: 1.0,
            phrase_en: None,
            phrase_es: None,
            moment: false,
        }
    }

    fn phrase(&self, lang: Lang) -> Option<u32> {
        match lang {
            Lang::En => self.phrase_en,
            Lang::Es => self.phrase_es,
        }
    }

    fn reading(&self, idf: &[f32]) -> Reading {
        let idf = |term: Option<u32>| term.map(|x| idf[x as usize]);
        if self.stop_en || self.stop_es {
            Reading::Stop
        } else if self.term_en.is_none() && self.term_es.is_none() {
            if self.factor == 0.0 {
                Reading::Common
            } else {
                Reading::Unknown
            }
        } else {
            Reading::Known {
                en_idf: idf(self.term_en),
                es_idf: idf(self.term_es),
                typo_corrected: self.factor < 1.0,
            }
        }
    }
}

impl Matcher {
    /// Whether an author chose a term: a keyword, title or phrase word of some topic, not only a
    /// word of its examples or answer.
    fn chosen(&self, term: u32) -> bool {
        self.postings(term).iter().any(|&(_, w)| w >= super::index::W_KEYWORD)
    }

    fn postings(&self, term: u32) -> &[(u16, f32)] {
        let t = term as usize;
        &self.postings[self.post_start[t] as usize..self.post_start[t + 1] as usize]
    }

    /// Scores a question against every topic; fills `explain` with how, when asked.
    pub(super) fn score(&self, text: &str, hint: Option<Lang>, mut explain: Option<&mut Explanation>) -> Match {
        let words = super::words::read_words(text);
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
        let mut tokens: Vec<Token> = words.iter().map(|w| self.read(w)).collect();
        // "next Tuesday", "el próximo lunes", "this week": the word before the day only places
        // the moment, like the day itself, and says nothing of a topic.
        for i in 1..words.len() {
            if is_relative(&words[i - 1]) && (crate::dates::is_date_word(&words[i]) || is_period(&words[i])) {
                tokens[i - 1] = Token::neutral();
            }
        }
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

        let mut scores = vec![0.0f32; self.n_docs];
        let mut token_best = vec![0.0f32; self.n_docs];
        // What each topic gets from words other than everyday ones: a topic needs some of it.
        let mut telling = vec![0.0f32; self.n_docs];
        let mut own = vec![false; self.n_docs];
        let mut mass = 0.0f32;
        // What the words that only place a moment ("tomorrow morning", "el fin de semana") give
        // each topic and weigh in the question: see `moment_carried`.
        let moment_mask: u64 = (0..words.len())
            .filter(|&i| is_moment(&words, &tokens, i))
            .map(|i| 1u64 << i)
            .sum();
        let moment_at = |i: usize| (moment_mask >> i) & 1 == 1;
        // Where the office is ("Polanco", "cerca"): like a moment, it makes no topic the subject
        // ("busco depa en renta cerca de Polanco"), but unlike one it is still a word to explain.
        let place_mask: u64 = (0..words.len())
            .filter(|&i| is_place(&words[i]))
            .map(|i| 1u64 << i)
            .sum();
        let context_mask = moment_mask | place_mask;
        let mut moment_scores = vec![0.0f32; if context_mask != 0 { self.n_docs } else { 0 }];
        let mut moment_mass = 0.0f32;
        // What the question seeks ("how much is a PIZZA", "good DENTIST near Polanco"): a topic
        // that does not explain it is not what is asked, and a word no topic knows is something
        // the knowledge base has nothing on.
        let sought = super::subjects::sought(&words);
        let mut sought_missed = vec![false; if sought.is_empty() { 0 } else { self.n_docs }];
        let mut sought_unknown = false;
        let mut sought_any = false;
        for (i, (word, t)) in words.iter().zip(&tokens).enumerate() {
            let seeks = sought.contains(&i) && !(t.stop_en || t.stop_es || word.bytes().all(|b| b.is_ascii_digit()));
            if let Some(ex) = explain.as_deref_mut() {
                ex.words.push(WordReading {
                    word: word.clone(),
                    reading: t.reading(&self.idf),
                });
            }
            if t.stop_en || t.stop_es {
                continue;
            }
            if t.term_en.is_none() && t.term_es.is_none() {
                // A common word the knowledge base does not use (factor 0) weighs less than an
                // unknown content word.
                mass += self.unknown_idf * t.unknown_share;
                sought_unknown |= seeks;
                if moment_at(i) {
                    moment_mass += self.unknown_idf * t.unknown_share;
                }
                continue;
            }
            token_best.iter_mut().for_each(|s| *s = 0.0);
            let mut ideal = 0.0f32;
            for (term, l) in [(t.term_en, Lang::En), (t.term_es, Lang::Es)] {
                let Some(term) = term else { continue };
                let idf = self.idf[term as usize] * t.weight;
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
            let weighs = best + WEAK_WORD * (1.0 - share) * self.unknown_idf * t.weight;
            mass += weighs;
            for (total, best) in scores.iter_mut().zip(&token_best) {
                *total += best;
            }
            if seeks {
                sought_any = true;
                // A real word read as a keyword it resembles ("pizza" as "plaza") is still that word.
                sought_unknown |= t.factor < 1.0 && frequency(word) > 0.0;
                // Missed by a topic when a referral knows it best ("how much does a LAWYER cost").
                let (topics, referrals) = token_best.split_at(self.n_topics);
                if referrals.iter().copied().fold(0.0, f32::max)
                    >= topics.iter().copied().fold(f32::MIN_POSITIVE, f32::max)
                {
                    for (missed, best) in sought_missed.iter_mut().zip(&token_best) {
                        *missed |= *best == 0.0;
                    }
                }
            }
            if moment_at(i) {
                moment_mass += weighs;
            }
            if (context_mask >> i) & 1 == 1 {
                for (total, best) in moment_scores.iter_mut().zip(&token_best) {
                    *total += best;
                }
            }
            // A word a referral knows well and no topic knows at all ("embassy") is its own.
            let topic_best = token_best[..self.n_topics].iter().copied().fold(0.0, f32::max);
            if topic_best == 0.0 {
                for (d, &w) in token_best.iter().enumerate().skip(self.n_topics) {
                    own[d] |= w >= OWN_WORD * ideal;
                }
            }
            if t.weight >= 1.0 {
                for (total, best) in telling.iter_mut().zip(&token_best) {
                    *total += best;
                }
            }
        }

        // Each word of the question counts once towards a topic's phrase bonus, however many of
        // its phrases (or their stemmed variants) cover it; stop words count less.
        let mut covered = vec![0u64; self.n_docs];
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
        let bonus_of = |c: u64| {
            PHRASE_BONUS * (c & !stop_mask).count_ones() as f32
                + PHRASE_STOP_BONUS * (c & stop_mask).count_ones() as f32
        };
        let bonus: Vec<f32> = covered.iter().map(|&c| bonus_of(c)).collect();

        // The confidence is the share of the question the topic explains; rank on it, then on
        // the raw score (several topics can explain everything).
        // In a long message (someone typing in a queue) the words a topic leaves unexplained weigh
        // as if there were only `CHATTY_WORDS` content words: the telling ones still decide.
        let content_words = tokens.iter().filter(|t| !(t.stop_en || t.stop_es)).count() as f32;
        let lambda = chatty_scale(content_words);
        let conf = |t: usize| {
            let explained = scores[t] + bonus[t];
            let unexplained = (mass - scores[t]).max(0.0);
            (explained / (explained + lambda * unexplained)).min(1.0)
        };
        // "Will it rain in Polanco tomorrow morning?", "tacos en Polanco para el fin de semana":
        // the hours explain the moment, not what is asked about it. A topic that the rest of the
        // question does not point to is not confidently its subject; "and tomorrow morning?"
        // (nothing but the moment) is read by the answer's moment rules.
        let subject_words = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| !(t.stop_en || t.stop_es || moment_at(*i)))
            .count() as f32;
        let moment_carried = |t: usize| {
            if moment_scores.is_empty() || subject_words == 0.0 || mass - moment_mass <= 0.0 {
                return false;
            }
            let lambda = chatty_scale(subject_words);
            let own = scores[t] - moment_scores[t];
            let explained = own + bonus_of(covered[t] & !context_mask);
            let unexplained = (mass - moment_mass - own).max(0.0);
            unexplained >= COMMON_WORD_SHARE * self.unknown_idf
                && explained / (explained + lambda * unexplained) < MOMENT_SUBJECT
        };
        let subject_conf = |d: usize| {
            let rest = mass - moment_mass;
            if moment_scores.is_empty() || rest <= 0.0 {
                return 0.0;
            }
            let own = scores[d] - moment_scores[d] + bonus[d];
            (own / (own + lambda * (rest - own).max(0.0))).min(1.0)
        };
        let mut ranked: Vec<(usize, f32, f32)> = (0..self.n_topics)
            .map(|t| (t, conf(t), scores[t] + bonus[t]))
            .filter(|(_, _, raw)| *raw > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        if let Some(ex) = explain {
            ex.mass = mass;
            ex.votes = (votes_en, votes_es);
            ex.top = ranked
                .iter()
                .take(5)
                .map(|&(topic, confidence, _)| TopicScore {
                    topic,
                    words: scores[topic],
                    phrases: bonus[topic],
                    confidence,
                })
                .collect();
            let mut refs: Vec<(usize, f32)> = (self.n_topics..self.n_docs).map(|d| (d, conf(d))).collect();
            refs.sort_by(|a, b| b.1.total_cmp(&a.1));
            ex.referrals = refs
                .iter()
                .take(2)
                .map(|&(d, confidence)| TopicScore {
                    topic: d - self.n_topics,
                    words: scores[d],
                    phrases: bonus[d],
                    confidence,
                })
                .collect();
        }

        // The best referral, when it explains the question confidently and better than any topic;
        // or, in a short question, when its subject is a word of its own that no topic knows and
        // it explains nearly as much as the best topic ("is the embassy open on Saturday?": the
        // hours explain all but the embassy). In a long message such a word is often context.
        let carried = ranked.first().is_some_and(|r| moment_carried(r.0));
        let topic_conf = ranked
            .first()
            .map_or(0.0, |r| if carried { r.1.min(WEAK) } else { r.1 });
        let topic_raw = ranked.first().map_or(0.0, |r| r.2);
        let short = content_words <= FOREIGN_SUBJECT_WORDS;
        let topic_subject = ranked.iter().take(3).map(|r| subject_conf(r.0)).fold(0.0, f32::max);
        let referral = (self.n_topics..self.n_docs)
            .map(|d| (d, conf(d), scores[d] + bonus[d]))
            .filter(|&(d, c, raw)| {
                // Both may explain everything ("¿qué tiempo hace?"): then the one with more of it.
                let better = c >= CONFIDENT && (c > topic_conf || (c >= topic_conf && raw > topic_raw));
                // "¿La oficina de Guadalajara abre los sábados?": the moment is the hours', the
                // subject the referral's; judged on the words that are not the moment.
                let c_subject = subject_conf(d).max(c);
                let own_subject =
                    own[d] && short && c_subject >= FOREIGN_SUBJECT && c_subject >= topic_conf - FOREIGN_GAP;
                // Without the moment, the referral must still lead the topics explaining the rest.
                let clearly = c_subject >= FOREIGN_SUBJECT && c_subject >= topic_conf.max(topic_subject) + CLEAR_LEAD;
                let named = bonus[d] > 0.0 && c >= CONFIDENT && c >= topic_conf - NAMED_GAP;
                // "How much does a lawyer cost?": what is sought is the referral's, not the fees'.
                let sought_here = sought_any
                    && !sought_missed[d]
                    && ranked.first().is_some_and(|r| sought_missed[r.0])
                    && c >= FOREIGN_SUBJECT;
                (better || own_subject || clearly || named || sought_here) && (raw >= MIN_RAW || bonus[d] > 0.0)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)))
            .map(|(d, score, _)| Scored {
                topic: d - self.n_topics,
                score,
            });
        let Some(&(best, best_conf, best_raw)) = ranked.first() else {
            return Match {
                confidence: Confidence::None,
                best: None,
                runner_ups: Vec::new(),
                tied: 0,
                referral,
                subject_missed: false,
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
        // "and next tuesday" is not about the topic whose answer says "next".
        let enough = (best_raw >= MIN_RAW && telling[best] > 0.0) || bonus[best] > 0.0;
        // Two topics that both explain the question are not a reason to refuse: the best one is
        // answered and the other is offered with it. Only a dead heat ("card" fits the canje,
        // the replacement and photos alike) is a question to ask back.
        let tied = ranked
            .iter()
            .skip(1)
            .take(3)
            .take_while(|&&(_, c, raw)| c >= best_conf * (1.0 - TIE) && raw >= best_raw * (1.0 - TIE))
            .count();
        let dead_heat = tied > 0;
        let subject_missed = carried || sought_unknown || sought_missed.get(best).copied().unwrap_or(false);
        let confidence = if best_conf >= CONFIDENT && enough && !dead_heat && !subject_missed {
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
            tied: if enough && best_conf >= CONFIDENT { tied } else { 0 },
            referral,
            subject_missed,
            lang,
        }
    }

    /// Whether a normalised word is a term of the vocabulary (typed right or typo-corrected).
    pub(super) fn knows(&self, word: &str) -> bool {
        let t = self.read(word);
        t.term_en.is_some() || t.term_es.is_some()
    }

    /// Whether a message names no subject: each of its words is a filler, a moment, or a word the
    /// knowledge base has only in passing (in some example or answer, never as a keyword: "in
    /// person", "once he's landed"). A word it does not know at all ("weather") is a subject of
    /// its own. Such a message, in a conversation, is about what was being discussed.
    pub fn names_no_subject(&self, words: &[String]) -> bool {
        // A longer message without a keyword is more likely a new question the bot cannot answer.
        const MAX_CONTENT_WORDS: usize = 2;
        let mut content = 0;
        words.iter().all(|w| {
            let w = w.as_str();
            if self.is_filler(w) || w.bytes().all(|b| b.is_ascii_digit()) || crate::dates::is_calendar_word(w) {
                return true;
            }
            let t = self.read(w);
            if t.stop_en || t.stop_es {
                return true;
            }
            content += 1;
            let terms = [t.term_en, t.term_es];
            content <= MAX_CONTENT_WORDS
                && terms.iter().any(Option::is_some)
                && !terms.into_iter().flatten().any(|term| self.chosen(term))
        })
    }

    /// How one word of a question reads against the vocabulary.
    fn read(&self, word: &str) -> Token {
        // The same words come again and again: each thread remembers how it read them, for this
        // matcher (a reload starts afresh).
        thread_local! {
            static READ: std::cell::RefCell<(u64, HashMap<String, Token>)> = Default::default();
        }
        READ.with(|r| {
            let mut r = r.borrow_mut();
            if r.0 != self.id || r.1.len() >= STEM_CACHE {
                *r = (self.id, HashMap::new());
            }
            if let Some(t) = r.1.get(word) {
                return *t;
            }
            let mut t = self.read_new(word);
            t.moment = crate::dates::is_date_word(word) || is_period(word);
            r.1.insert(word.to_string(), t);
            t
        })
    }

    fn read_new(&self, word: &str) -> Token {
        let respelled = self.respell(word);
        let word = respelled.as_deref().unwrap_or(word);
        // Numbers ("3 months", "4 years") say nothing about the topic on their own.
        // Nor do interjections ("ah caray", "ugh").
        let is_domain =
            DOMAIN.contains(&word) || word.chars().all(|c| c.is_ascii_digit()) || super::words::is_interjection(word);
        let stop_en = is_domain || self.stop_en.contains(word);
        let stop_es = is_domain || self.stop_es.contains(word);
        let (en, es) = self.stems(word);
        let mut en_stem: std::borrow::Cow<'_, str> = en.into();
        let mut es_stem: std::borrow::Cow<'_, str> = es.into();
        let mut term_en = self.terms_en.get(en_stem.as_ref()).copied();
        let mut term_es = self.terms_es.get(es_stem.as_ref()).copied();
        if term_es.is_none() && !stop_es {
            // Another form of a word the knowledge base uses, looked up by its stem.
            let known_form = |f: &String| {
                let stem = self.stems(f).1;
                self.terms_es.get(&stem).map(|&t| (stem, t))
            };
            // "abrieron", "cerró": of the verb forms it may be, the one the knowledge base uses
            // most widely: "abrió" is "abre" (the hours), not "abrir" (only in "abrir una
            // cuenta"). Else "la tarjetita", "una filota": the plain word, nearest guess first.
            let form = super::verbs::forms(word)
                .iter()
                .filter_map(known_form)
                .min_by(|a, b| self.idf[a.1 as usize].total_cmp(&self.idf[b.1 as usize]))
                .or_else(|| super::diminutives::bases(word).iter().find_map(known_form));
            if let Some((stem, term)) = form {
                es_stem = stem.into();
                term_es = Some(term);
            }
        }
        let mut factor = 1.0;
        let known = term_en.is_some() || term_es.is_some() || self.typos.knows(word);
        if (!known && crate::dates::is_date_word(word)) || crate::dates::is_calendar_word(word) {
            // A date or a time the knowledge base does not use ("tmrw", "8am"), and any month or
            // day of the month ("diciembre", "12th"), says nothing about the topic: neutral, like
            // a stop word, so it never sinks a match.
            return Token::neutral();
        }
        let zipf = frequency(word);
        let listed = self.common.binary_search(&word).is_ok();
        if !known && !stop_en && !stop_es && (listed || zipf >= REAL_WORD) {
            // A real word, not a misspelt keyword ("tried", "pizza"): not typo-corrected (factor 0
            // marks it). The most frequent ones ("really", "going") say least against a topic.
            let unknown_share = if zipf >= VERY_COMMON {
                VERY_COMMON_SHARE
            } else if listed {
                COMMON_WORD_SHARE
            } else {
                1.0
            };
            return Token {
                stop_en,
                stop_es,
                term_en,
                term_es,
                factor: 0.0,
                unknown_share,
                weight: 1.0,
                phrase_en: None,
                phrase_es: None,
                moment: false,
            };
        }
        if !known && !stop_en && !stop_es {
            let (en, es) = self.typos.correct(word);
            if let Some(s) = en {
                en_stem = stem(&self.stem_en, s);
                term_en = self.terms_en.get(en_stem.as_ref()).copied();
            }
            if let Some(s) = es {
                es_stem = stem(&self.stem_es, s);
                term_es = self.terms_es.get(es_stem.as_ref()).copied();
            }
            if en.is_some() || es.is_some() {
                factor = TYPO_FACTOR;
            }
        }
        // A word of everyday language ("like", "means") that the knowledge base only has in
        // answers or examples, never as a keyword or title, tells little: it weighs less.
        let chosen = [term_en, term_es].into_iter().flatten().any(|term| self.chosen(term));
        let weight = if chosen { 1.0 } else { everyday_weight(zipf) };
        Token {
            stop_en,
            stop_es,
            term_en,
            term_es,
            factor,
            unknown_share: 1.0,
            weight,
            phrase_en: self.phrase_vocab_en.get(en_stem.as_ref()).copied(),
            phrase_es: self.phrase_vocab_es.get(es_stem.as_ref()).copied(),
            moment: false,
        }
    }

    /// A word's English and Spanish stems. Stemming is most of the cost of reading a word, and the
    /// same words come again and again, so each thread remembers the stems it has made.
    fn stems(&self, word: &str) -> (String, String) {
        thread_local! {
            static CACHE: std::cell::RefCell<HashMap<String, (String, String)>> = Default::default();
        }
        CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            if let Some(s) = cache.get(word) {
                return s.clone();
            }
            let s = (
                stem(&self.stem_en, word).into_owned(),
                stem(&self.stem_es, word).into_owned(),
            );
            // Bounded: a thread that has read very many different words starts afresh.
            if cache.len() >= STEM_CACHE {
                cache.clear();
            }
            cache.insert(word.to_string(), s.clone());
            s
        })
    }

    /// A word nobody writes that way, as the known word it sounds like ("ofisina" is "oficina").
    fn respell(&self, word: &str) -> Option<String> {
        let function = |w: &str| DOMAIN.contains(&w) || self.stop_en.contains(w) || self.stop_es.contains(w);
        if function(word) || word.chars().count() < 3 {
            return None;
        }
        let candidate = self.sounds_like(&sounds(word))?;
        // A spelling of a function or domain word is that word, even where an example question
        // happens to use the spelling ("ofisina"); other words are respelled only when unknown.
        if function(candidate) {
            return Some(candidate.to_string());
        }
        if candidate == word {
            return None;
        }
        let (en, es) = self.stems(word);
        let known = self.terms_en.contains_key(&en)
            || self.terms_es.contains_key(&es)
            || self.common.binary_search(&word).is_ok();
        (!known).then(|| candidate.to_string())
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

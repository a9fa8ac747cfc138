//! The core decision: a loaded knowledge base with its matcher and calendar (`Engine`), and the one
//! function every front end calls to turn a message into an `Answer` (`Engine::answer`). Front ends
//! (console, Telegram, the `ask` and `eval` commands, inline mode) only render answers.

use chrono::{DateTime, Utc};

use crate::calendar::Calendar;
use crate::dates::{self, Moment};
use crate::knowledge::{FactKind, Knowledge, Lang};
use crate::matching::{self, Confidence, Explanation, FactQuestion, Match, Matcher, SmallTalk};

/// How long a conversation remembers its subject.
pub const MEMORY_TTL: chrono::Duration = chrono::Duration::minutes(30);

/// A knowledge base ready to answer: loaded, validated and indexed once.
pub struct Engine {
    pub kb: Knowledge,
    pub matcher: Matcher,
    pub calendar: Calendar,
    /// The example questions, to settle a dead heat between topics.
    examples: crate::examples::Examples,
}

/// What is known about a message besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The language to assume when the text gives no clear signal.
    pub hint: Option<Lang>,
    /// When the message was sent.
    pub at: DateTime<Utc>,
    /// What the conversation was about before this message (nothing, for a first message or in
    /// inline mode).
    pub memory: Memory,
}

impl Context {
    /// A message with no conversation before it.
    pub fn new(hint: Option<Lang>, at: DateTime<Utc>) -> Context {
        Context {
            hint,
            at,
            memory: Memory::default(),
        }
    }

    /// A message in a conversation that remembers `memory`.
    pub fn with_memory(mut self, memory: Memory) -> Context {
        self.memory = memory;
        self
    }
}

/// What a conversation was last about, for follow-ups ("and on Saturday?", "y cuánto cuesta?").
/// It holds no message text. Front ends keep one per chat (see `memory`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Memory {
    /// The topic last answered.
    pub topic: Option<usize>,
    /// The moment last asked about.
    pub when: Option<Moment>,
    /// The fact of a procedure last asked about ("how much?"): "and for 2 years?" asks it again.
    pub fact: Option<FactKind>,
    /// When the conversation last spoke; a memory older than `memory::TTL` is forgotten.
    pub at: Option<DateTime<Utc>>,
}

impl Memory {
    /// This memory as it stands at `now`: forgotten once older than `MEMORY_TTL` (or dated more
    /// than a minute in the future, which only a wrong clock gives).
    pub fn fresh(self, now: DateTime<Utc>) -> Memory {
        match self.at {
            Some(at) if now - at <= MEMORY_TTL && at <= now + chrono::Duration::minutes(1) => self,
            _ => Memory::default(),
        }
    }
}

/// What the bot decided to say to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub reply: Reply,
    pub lang: Lang,
    /// The single fact of a procedure asked about ("how much is it?"), answered first.
    pub fact: Option<FactKind>,
    /// The moment the question is about ("on Saturday", "at 4 pm"), when it names one.
    pub when: Option<Moment>,
    /// What the matcher found, whatever was decided: the ranking, its confidence and score.
    pub matched: Match,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A confident match: answer with this topic; `related` are runner-ups worth offering.
    Topic { topic: usize, related: Vec<usize> },
    /// A weak match: offer these topics, best first ("Did you mean…").
    Suggestions { topics: Vec<usize> },
    /// Something this office does not do, with who does (an index into `Knowledge::referrals`).
    Referral(usize),
    /// Nothing fits.
    Unknown,
    /// Only a greeting or thanks: no question to answer.
    SmallTalk(SmallTalk),
}

impl Answer {
    /// The referral answered with, if any.
    pub fn referral(&self) -> Option<usize> {
        match &self.reply {
            Reply::Referral(r) => Some(*r),
            _ => None,
        }
    }

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
            Reply::Referral(_) | Reply::Unknown | Reply::SmallTalk(_) => &[],
        }
    }

    /// The matcher's confidence in its best topic (0 to 1).
    pub fn score(&self) -> f32 {
        self.matched.score()
    }

    /// What the conversation remembers after this answer.
    pub fn remember(&self, before: Memory, at: DateTime<Utc>) -> Memory {
        match &self.reply {
            Reply::Topic { topic, .. } => Memory {
                topic: Some(*topic),
                when: self.when.or(before.when),
                fact: self.fact.or(if before.topic == Some(*topic) {
                    before.fact
                } else {
                    None
                }),
                at: Some(at),
            },
            // Small talk and suggestions keep the subject: "thanks" and then "and on Monday?".
            _ => Memory { at: Some(at), ..before },
        }
    }
}

impl Engine {
    /// Indexes a knowledge base. Front ends load through `inm_bot::load`, which also checks that
    /// every rendered answer fits a Telegram message.
    pub fn new(kb: Knowledge) -> Engine {
        let calendar = Calendar::new(&kb);
        let matcher = Matcher::new(&kb);
        Engine {
            kb,
            matcher,
            calendar,
            examples: Default::default(),
        }
    }

    /// Decides the answer to a message.
    pub fn answer(&self, text: &str, ctx: &Context) -> Answer {
        let words = matching::read_words(text);
        let fact = self.matcher.fact_question_in(&words);
        let m = self.settled(text, &words, fact, self.matcher.find(text, ctx.hint), ctx);
        self.about_moment(text, &words, ctx, self.decide(text, &words, fact, m, ctx))
    }

    /// Like `answer`, with how the matcher read and scored the message.
    pub fn explain(&self, text: &str, ctx: &Context) -> (Answer, Explanation) {
        let (m, explanation) = self.matcher.explain(text, ctx.hint);
        let words = matching::read_words(text);
        let fact = self.matcher.fact_question_in(&words);
        let m = self.settled(text, &words, fact, m, ctx);
        (
            self.about_moment(text, &words, ctx, self.decide(text, &words, fact, m, ctx)),
            explanation,
        )
    }

    /// A dead heat between topics, settled by the nearest example question when one is; then
    /// what the question plainly asks, whatever its other words say.
    /// `fact` is the fact the message asks for (`Matcher::fact_question_in` of its words).
    fn settled(&self, text: &str, words: &[String], fact: Option<FactQuestion>, m: Match, ctx: &Context) -> Match {
        let m = self.examples.settle(&self.kb, &self.matcher, text, words, m);
        let m = self.by_sentence(text, m, ctx);
        self.by_intent(text, words, fact, m, ctx)
    }

    /// "How do I get temporary residency? Sorry if this was asked a million times, the search
    /// here is useless.": a weak message of several sentences whose one question sentence is
    /// confidently about a topic among its best is about that topic.
    fn by_sentence(&self, text: &str, m: Match, ctx: &Context) -> Match {
        if m.referral.is_some() {
            return m;
        }
        if m.confidence != Confidence::Weak {
            return self.referral_asked(text, m, ctx);
        }
        let sentences: Vec<&str> = text
            .split_inclusive(['?', '.', '!', '\n'])
            .map(str::trim)
            .filter(|s| s.split_whitespace().count() >= 2)
            .collect();
        if sentences.len() < 2 {
            return m;
        }
        // A told sentence ("my appointment is at 9") is context, not what is asked.
        let confident: Vec<usize> = sentences
            .iter()
            .filter(|s| s.ends_with('?'))
            .filter_map(|s| {
                let sm = self.matcher.find(s, ctx.hint);
                sm.topic()
                    .filter(|_| sm.confidence == Confidence::Confident && sm.referral.is_none())
            })
            .collect();
        match confident.as_slice() {
            [t] if m.ranked().take(3).any(|r| r == *t) => m.promoted(*t),
            _ => m,
        }
    }

    /// "I'm on a temporary resident card and just started a job. How do I enrol in IMSS?": a
    /// message whose only question is another institution's business (by the matcher's referral
    /// rules) is a referral, whatever the told sentences around it are about.
    fn referral_asked(&self, text: &str, m: Match, ctx: &Context) -> Match {
        let sentences: Vec<&str> = text
            .split_inclusive(['?', '.', '!', '\n'])
            .map(str::trim)
            .filter(|s| s.split_whitespace().count() >= 2)
            .collect();
        let questions: Vec<&&str> = sentences.iter().filter(|s| s.ends_with('?')).collect();
        if sentences.len() < 2 || questions.len() != 1 {
            return m;
        }
        let sm = self.matcher.find(questions[0], ctx.hint);
        if sm.referral.is_some() { sm } else { m }
    }

    /// "Where is the office?" is the topic general for where things are, and "can I pay by
    /// card?" the one general for fees when nothing else is clear: the question word and its
    /// verb say more than a story's stray words ("…my appointment email doesn't say where").
    /// "How long will it take inside?", unclear and not about a procedure being talked about,
    /// is the wait.
    fn by_intent(&self, text: &str, words: &[String], fact: Option<FactQuestion>, m: Match, ctx: &Context) -> Match {
        if m.referral.is_some() {
            return m;
        }
        // "What time does BBVA open?": the office's hours are a guess, offered, not the answer.
        // The neighbourhood answer names nearby places but not their hours, so it is no more an
        // answer to "is the Soumaya open on Monday?" than the office's own timetable.
        if m.topic()
            .is_some_and(|t| self.is_opening_topic(t) || self.topic_id(t) == "neighborhood")
            && matching::asks_others_opening(words, dates::is_date_word)
        {
            return Match {
                confidence: Confidence::Weak,
                ..m
            };
        }
        // "¿Cuánto cuesta una comida en Polanco?": the fee words are the fees', what is priced
        // the neighbourhood's, whose prices are the restaurants'.
        let others = |t: usize| fact.is_some_and(|q| self.kb.topics[t].others_for.contains(&q.kind));
        // Matching again costs µs: only when the fact's general topic (the fees) was chosen.
        let general_chosen = m
            .topic()
            .zip(fact)
            .is_some_and(|(t, q)| self.kb.topics[t].general_for.contains(&q.kind));
        if m.topic().is_some_and(others)
            || (general_chosen
                && (0..self.kb.topics.len()).any(others)
                && self.matcher.named_besides_fact(text, ctx.hint).is_some_and(others))
        {
            return Match {
                confidence: Confidence::Weak,
                ..m
            };
        }
        let general =
            |kind: FactKind| (0..self.kb.topics.len()).find(|&t| self.kb.topics[t].general_for.contains(&kind));
        let intended = if fact.is_some_and(|q| q.elliptic && q.kind == FactKind::Fee) && self.remembered(ctx).is_none()
        {
            // "¿cuánto sale?" with nothing before it: the fees, though "sale" is also leaving.
            general(FactKind::Fee)
        } else if matching::asks_office_location(words) || matching::asks_walking_time(words) {
            general(FactKind::Where)
        } else if matching::asks_when_to_arrive(words) {
            // "My appointment is at 10:30, what time should I get there?": a little early, as
            // the day of the visit says; the hours would only say the office is open then.
            self.kb.topic_index("on_the_day")
        } else if matching::asks_if_done_here(words) {
            // "¿Se hace aquí la reposición o es en otra oficina?": whether this office does it.
            self.kb.topic_index("procedures")
        } else if m.confidence != Confidence::Confident
            && let Some(named) = matching::defined_term(text).and_then(|t| self.matcher.find(&t, ctx.hint).topic())
        {
            // "What is a canje? everyone in my group keeps saying it": the thing asked about,
            // whatever the story around it.
            Some(named)
        } else if (m.confidence != Confidence::Confident
            || words.len() <= SHORT_QUESTION && m.topic().is_some_and(|t| !self.is_procedure(t)))
            && matching::asks_how_to_pay(words)
        {
            // "¿Cómo se paga el trámite?": a short question is how to pay, though the words of
            // paying someone to do it are the fixers'; a procedure named keeps its own answer,
            // and a longer message may be about paying someone ("…pay a gestor to…").
            general(FactKind::Fee).filter(|&t| m.ranked().any(|r| r == t))
        } else if m.confidence != Confidence::Confident && fact.is_some_and(|q| q.kind == FactKind::Duration) {
            // "How long does the renewal take?" is the renewal's, however weakly its other words
            // fit it; without a procedure named or talked about, the wait.
            let named = self
                .matcher
                .named_besides_fact(text, ctx.hint)
                .filter(|&t| self.is_procedure(t));
            let procedure_near = self.remembered(ctx).is_some_and(|t| self.is_procedure(t))
                || m.ranked().take(2).any(|t| self.is_procedure(t));
            named.or_else(|| general(FactKind::Duration).filter(|_| !procedure_near))
        } else if let Some(kind) = fact.map(|q| q.kind)
            && general(kind).is_none()
            && m.topic().is_some_and(|t| !self.kb.topics[t].facts.contains_key(&kind))
        {
            // "What happens if I miss the 30-day window for the canje?": a fact only procedures
            // have (no topic is general for it) is of the procedure close behind that has it, not
            // of the day of the visit whose words ("what happens", "day") fit, nor of a procedure
            // the sources give no such fact for.
            // In a conversation about a procedure that has it, that one's ("how long after I
            // enter do I have?" while talking of the canje).
            let has = |t: &usize| self.kb.topics[*t].facts.contains_key(&kind);
            m.ranked().take(2).find(has).or(self.remembered(ctx).filter(has))
        } else {
            None
        };
        match intended {
            Some(t) if m.topic() != Some(t) => m.promoted(t),
            _ => m,
        }
    }

    fn decide(&self, text: &str, words: &[String], question: Option<FactQuestion>, m: Match, ctx: &Context) -> Answer {
        let lang = m.lang;
        let remembered = self.remembered(ctx);
        // Only a conversation with a subject has follow-ups: a first message skips the check.
        // "ok where's the office?" says where to go, whatever was asked before.
        let locating = matching::asks_location(words);
        let no_subject = remembered.is_some() && !locating && self.matcher.says_nothing_else_in(words);
        // The fact is the one asked, or, in a follow-up that asks nothing new ("and for 2
        // years?", "I arrived on 28 January"), the one asked before.
        // "Where do I pay it?" after a fee asks how to pay: the fees, not the amount again.
        let carried = ctx
            .memory
            .fact
            .filter(|_| remembered.is_some() && !locating && !matching::asks_how_to_pay(words));
        let asked = question
            .map(|q| q.kind)
            .or(carried.filter(|_| no_subject || m.confidence != Confidence::Confident));
        let follow_up = match question {
            // "y cuánto cuesta?": only the fact, about the subject already.
            Some(q) if q.elliptic => remembered,
            // "plazo para el canje": a fact of a weakly named procedure (one of the two best, as
            // in a dead heat between the fees and the residency whose fee is asked), else of the
            // subject.
            // "how much is the canje and what do I bring for it": the fact words pull toward
            // the general topics, but the procedure named besides them, close behind, is asked.
            Some(_) if m.confidence != Confidence::Confident => {
                let weak = m.confidence == Confidence::Weak && !m.subject_missed;
                m.ranked()
                    .take(2)
                    .filter(|_| weak)
                    .find(|&t| self.is_procedure(t))
                    .or_else(|| {
                        self.matcher
                            .named_besides_fact(text, ctx.hint)
                            .filter(|&t| weak && self.is_procedure(t) && m.ranked().take(3).any(|r| r == t))
                    })
                    .or(remembered)
            }
            Some(_) => None,
            // "y la permanente igual?": a weakly named procedure, asked the same fact.
            None if carried.is_some() && m.confidence == Confidence::Weak => m
                .best
                .map(|b| b.topic)
                .filter(|&t| self.is_procedure(t))
                .or(remembered.filter(|_| no_subject)),
            None if carried.is_some() && no_subject => remembered,
            // "mine was stolen": a weak match that is the subject already, or level with the best
            // ("do they take them at the counter?" about the photos, as much the phones' words).
            // "Do I have to go in person?" names no subject of its own: it asks about the one
            // being discussed.
            None => remembered.filter(|&t| {
                m.confidence != Confidence::Confident
                    && (m.confidence == Confidence::Weak && m.level_with_best(t, LEVEL)
                        || self.matcher.names_no_subject(words))
            }),
        };
        let reply = if let Some(talk) = self.matcher.small_talk_in(text, words) {
            Reply::SmallTalk(talk)
        } else if let Some(r) = m.referral {
            Reply::Referral(r.topic)
        } else {
            let topic = match (follow_up, m.confidence, m.best) {
                (Some(t), ..) => Some(t),
                (None, Confidence::Confident, Some(best)) => Some(self.specific(text, words, best.topic, asked, ctx)),
                _ => None,
            };
            match (topic, m.confidence, m.best) {
                (Some(topic), ..) => Reply::Topic {
                    topic,
                    related: m.ranked().filter(|&t| t != topic).take(3).collect(),
                },
                (None, Confidence::Weak, Some(_)) => Reply::Suggestions {
                    topics: m.ranked().take(3).collect(),
                },
                _ => Reply::Unknown,
            }
        };
        // A fact is answered for a topic that can have facts (a procedure), or for another topic
        // when it asks a price the sources may not give ("how much does parking cost?"). "Where
        // do I wait?" or "how long will it take inside?" is what the topic's answer says already.
        let fact = match &reply {
            Reply::Topic { topic, .. } => asked.filter(|k| {
                !self.kb.topics[*topic].general_for.contains(k) && (self.is_procedure(*topic) || *k == FactKind::Fee)
            }),
            _ => None,
        };
        Answer {
            reply,
            lang,
            fact,
            when: None,
            matched: m,
        }
    }

    /// When a question asks for a fact and its best topic is the general one for that fact
    /// ("fees" for a fee), the procedure it names besides is meant: "how much is the replacement?"
    /// is about the replacement ("documents for my appointment" stays the documents). Without one, a recent subject of the conversation is.
    /// Two facts asked ("precio del canje y qué documentos llevo") make the topic general for
    /// either of them general here.
    fn specific(&self, text: &str, words: &[String], best: usize, asked: Option<FactKind>, ctx: &Context) -> usize {
        let Some(kind) = asked else { return best };
        let general = &self.kb.topics[best].general_for;
        if !general.contains(&kind) && !matching::facts_named(words).any(|k| general.contains(&k)) {
            return best;
        }
        self.matcher
            .named_besides_fact(text, ctx.hint)
            .filter(|&t| !self.kb.topics[t].general_for.contains(&kind) && self.is_procedure(t))
            .unwrap_or(best)
    }

    /// A topic with facts or a checklist: a procedure.
    fn is_procedure(&self, topic: usize) -> bool {
        let t = &self.kb.topics[topic];
        !t.facts.is_empty() || !t.checklist.is_empty()
    }

    /// The topic the conversation was about, while the memory is fresh.
    fn remembered(&self, ctx: &Context) -> Option<usize> {
        ctx.memory.fresh(ctx.at).topic
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

// Moments (issue 9): what a date or a time in a question changes about the answer. Kept apart
// from the topic decision above: it only reads the decided answer and the conversation memory.

/// Words that make a question naming a moment a question about whether the office is open.
const OPENING_WORDS: &[&str] = &[
    "open", "opens", "opened", "opening", "close", "closes", "closed", "closing", "hours", "work", "working", "abren",
    "abre", "abierto", "abierta", "abiertos", "atienden", "atiende", "atencion", "cerrado", "cerrada", "cierran",
    "cierra", "horario", "trabajan", "laboran", "servicio", "habil", "inhabil", "festivo", "holiday",
];

/// Verbs of being served ("will they still SEE me?", "do they SERVE us after 2?").
const SERVE_WORDS: &[&str] = &["see", "serve", "attend", "receive"];

/// Words of opening that also say other things ("how does it work", "waited 3 hours"): in a
/// story they do not make it a question about opening.
const PASSING_OPENING_WORDS: &[&str] = &[
    "work", "working", "hours", "servicio", "atencion", "trabajan", "laboran",
];

/// How near the best a weak match's runner-up may score and still be "level" with it.
const LEVEL: f32 = 0.06;

/// Words in a question short enough for its form to outweigh its words.
const SHORT_QUESTION: usize = 6;

/// Words past which a message is a story: a moment in it is told, not asked about.
const LONG_MESSAGE: usize = 15;

/// Words of going to the office: with a time of day ("can I come in the evening?") the question
/// is whether it is open then.
const VISIT_WORDS: &[&str] = &[
    "go", "come", "arrive", "visit", "show", "ir", "venir", "llegar", "voy", "vengo", "llego", "paso", "pasar",
];

/// Words of a follow-up that only point at a moment ("what about next Saturday?", "¿y el
/// próximo martes?").
const ELLIPTIC: &[&str] = &[
    "next",
    "this",
    "ok",
    "okay",
    "up",
    "then",
    "about",
    "que",
    "viene",
    "proximo",
    "proxima",
    "siguiente",
    "entonces",
    "este",
    "esta",
];

impl Engine {
    /// The opening-hours topics: an answer about them leads with the verdict for its moment.
    pub fn is_opening_topic(&self, topic: usize) -> bool {
        matches!(self.topic_id(topic), "hours" | "holidays")
    }

    /// Reads the moment a message names and, when the message is about opening (its topic is the
    /// hours or the holidays, it says "open" or "abren", or it only names a moment — "and on
    /// Saturday?" — after a question about opening), answers with that topic for that moment.
    fn about_moment(&self, text: &str, words: &[String], ctx: &Context, mut answer: Answer) -> Answer {
        // "Is the embassy open on Saturday?" is about the embassy, whatever the day.
        if matches!(answer.reply, Reply::SmallTalk(_) | Reply::Referral(_)) {
            return answer;
        }
        // "Is BBVA open on Saturday?" is about BBVA: the office's verdict for Saturday is not.
        // "My appointment is at 10:30, when should I arrive?": the time is the appointment's.
        if matching::asks_others_opening(words, dates::is_date_word) || matching::asks_when_to_arrive(words) {
            return answer;
        }
        let tz = self.calendar.time_zone();
        let Some(mut moment) = dates::read(text, ctx.at.with_timezone(&tz)) else {
            return answer;
        };
        // "and at 4?" after "on Saturday?": the time on the day asked about before.
        if !moment.explicit
            && let Some(before) = ctx.memory.when.filter(|b| b.explicit)
        {
            moment.date = before.date;
            moment.days = before.days;
            moment.explicit = true;
        }
        let topic = answer.topic();
        let opening = |t: Option<usize>| t.is_some_and(|t| self.is_opening_topic(t));
        // "if I get there at 2:45, will they still see me?": being served at a time is being open.
        let served = words
            .windows(2)
            .any(|w| SERVE_WORDS.contains(&w[0].as_str()) && matches!(w[1].as_str(), "me" | "us"));
        let says_opening = served || words.iter().any(|w| OPENING_WORDS.contains(&w.as_str()));
        // "and on Saturday?", "can I go at 2:30 pm?": nothing but the moment, fillers and going
        // there. "¿cómo está el clima mañana?" has a subject of its own. Even with a procedure
        // as the conversation's subject, "can I go today?" asks whether the office is open; a
        // date that answers a fact ("I arrived on 28 January", for a deadline) does not.
        let time_of_day = moment.time.is_some() || moment.part.is_some();
        let no_subject = words.iter().all(|w| {
            self.matcher.is_filler(w)
                || dates::is_date_word(w)
                || VISIT_WORDS.contains(&w.as_str())
                || ELLIPTIC.contains(&w.as_str())
                || w.bytes().all(|b| b.is_ascii_digit())
        });
        // The topic is the conversation's, not one the message names itself.
        let carried = topic.is_none() || answer.matched.topic() != topic;
        let says_going = words.iter().any(|w| VISIT_WORDS.contains(&w.as_str()));
        let says_visit = time_of_day && topic.is_some_and(|t| self.kb.topics[t].checklist.is_empty()) && says_going;
        // A long message whose own words name another subject ("…how does the residency work for
        // 2-3 years?", "can I pay by card? my appointment is tomorrow morning") mentions a moment
        // in passing.
        // "Will the office be open that day?" is asked even in a long message.
        let in_passing = !carried && words.len() > LONG_MESSAGE;
        let says_opening = says_opening
            && (!in_passing
                || words
                    .iter()
                    .any(|w| !PASSING_OPENING_WORDS.contains(&w.as_str()) && OPENING_WORDS.contains(&w.as_str())));
        let says_visit = says_visit && !in_passing;
        let target = if opening(topic) {
            topic
        } else if says_opening || says_visit || (no_subject && carried && (answer.fact.is_none() || says_going)) {
            let ranked_holidays_first = answer
                .matched
                .ranked()
                .find(|&t| self.is_opening_topic(t))
                .filter(|&t| self.topic_id(t) == "holidays");
            ctx.memory
                .topic
                .filter(|&t| self.is_opening_topic(t))
                .or(ranked_holidays_first)
                .or_else(|| self.kb.topic_index("hours"))
        } else {
            None
        };
        // A day the office is closed for a holiday is answered by the holidays topic, with the
        // verdict first: the question is really about the closure. A time on any other day ("y el
        // martes a las 2?" after a holiday, "me dijeron que cierran a la 1"), or any other day
        // named without a date and carried from the conversation ("ok, Tuesday then?"), asks for
        // the hours.
        let holidays = self.kb.topic_index("holidays");
        let hours = self.kb.topic_index("hours");
        let one_day = moment.days == 1;
        // "and Dec 24?" after a holiday asks whether that date is one too; "ok, Tuesday then?"
        // when to go instead.
        let no_date = !words
            .iter()
            .any(|w| dates::is_calendar_word(w) || w.bytes().all(|b| b.is_ascii_digit()));
        let closure = self.calendar.closure_on(moment.date).is_some();
        let target = target.map(|t| match (holidays, hours) {
            (Some(h), _) if closure && one_day => h,
            (Some(h), Some(o)) if t == h && !closure && one_day && (time_of_day || (carried && no_date)) => o,
            _ => t,
        });
        match target {
            Some(t) => {
                if topic != Some(t) {
                    let related = answer
                        .matched
                        .ranked()
                        .filter(|&r| r != t && self.is_opening_topic(r))
                        .take(2)
                        .collect();
                    answer.reply = Reply::Topic { topic: t, related };
                    // The fact carried from the procedure ("what do I bring?") is not the question.
                    answer.fact = None;
                }
                answer.when = Some(moment);
            }
            None if moment.explicit => answer.when = Some(moment),
            None => {}
        }
        answer
    }
}

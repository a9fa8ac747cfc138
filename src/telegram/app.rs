//! What every handler shares: the knowledge base in use (swapped by a reload), the database, the
//! outbox, flood control, the conversations' memories, and the counts and misses waiting to be written.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::Utc;
use teloxide::types::{ChatId, User};

use super::outbox::{Job, Outbox, Priority};
use super::replies::Reply;
use crate::answer::{Answer, Engine, Reply as Said};
use crate::knowledge::{Lang, Problem, Problems};
use crate::matching;
use crate::memory::Memories;
use crate::ops::flood::Flood;
use crate::ops::store::{Miss, Outcome, Store, StoreError};
use crate::render;

pub struct App {
    engine: RwLock<Arc<Engine>>,
    pub store: Store,
    pub outbox: Outbox,
    /// Longest message to send, in UTF-16 units; longer answers are split.
    pub message_limit: usize,
    pub knowledge_dir: Option<PathBuf>,
    pub admins: HashSet<u64>,
    pub flood: Flood,
    pub misses_max: usize,
    pub misses_days: u32,
    /// What each chat was last talking about, for follow-ups (not in inline mode).
    pub memories: Memories<ChatId>,
    /// Counts and misses not yet written: written in batches (regularly, at /stats and at
    /// shutdown) so that answering never waits on a database write.
    pending: Mutex<Pending>,
    /// Set while a reload runs (see `reload`).
    reloading: Arc<AtomicBool>,
    /// Users told that checklists cannot be saved, while the database is unavailable.
    told_unsaved: Mutex<HashSet<u64>>,
}

#[derive(Default)]
struct Pending {
    counts: HashMap<(String, &'static str, String), u64>,
    misses: Vec<Miss>,
}

/// The settings `App::new` takes besides the engine, database and outbox.
pub struct AppSettings {
    /// Longest message to send, in UTF-16 units; longer answers are split. At most 4096.
    pub message_limit: usize,
    /// Where `/reload` and SIGHUP reload the knowledge base from (none: the built-in one).
    pub knowledge_dir: Option<PathBuf>,
    /// Telegram user ids allowed to use /reload and /stats.
    pub admins: HashSet<u64>,
    /// Messages a minute a user may send before being ignored for the rest of it (0: no limit).
    pub flood_limit: u32,
    /// Unanswered questions kept for `inm-bot misses`: at most this many, this many days.
    pub misses_max: usize,
    pub misses_days: u32,
}

impl App {
    pub fn new(engine: Arc<Engine>, store: Store, outbox: Outbox, s: AppSettings) -> App {
        App {
            engine: RwLock::new(engine),
            store,
            outbox,
            message_limit: s.message_limit.clamp(1, render::TELEGRAM_LIMIT),
            knowledge_dir: s.knowledge_dir,
            admins: s.admins,
            flood: Flood::new(s.flood_limit),
            misses_max: s.misses_max,
            misses_days: s.misses_days,
            memories: Memories::default(),
            pending: Mutex::new(Pending::default()),
            reloading: Arc::new(AtomicBool::new(false)),
            told_unsaved: Mutex::new(HashSet::new()),
        }
    }

    /// The knowledge base in use; a reload swaps it without disturbing answers in progress.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Queues a reply, split under Telegram's limit; the buttons go with the last part.
    pub fn reply(&self, chat: ChatId, reply: Reply) {
        self.send(chat, reply, Priority::Reply);
    }

    pub fn send(&self, chat: ChatId, reply: Reply, priority: Priority) {
        let parts = render::split_html(&reply.html, self.message_limit);
        let n = parts.len();
        let mut keyboard = reply.keyboard;
        for (i, html) in parts.into_iter().enumerate() {
            let keyboard = if i + 1 == n { keyboard.take() } else { None };
            self.outbox.send(chat, Job::Message { html, keyboard }, priority);
        }
    }

    /// Reloads the knowledge base; on any problem the running one stays. The load runs on a
    /// thread of its own with a deadline (not on the runtime's blocking pool, which shutdown
    /// would wait for), and only one at a time: a hung one never blocks answers or SIGTERM.
    pub async fn reload(&self) -> Result<usize, Problems> {
        let refused = |m: String| {
            let problems = Problems(vec![Problem::new("reload", m)]);
            tracing::warn!(problems = %problems, "knowledge base refused; the running one stays");
            Err(problems)
        };
        if self.reloading.swap(true, Ordering::SeqCst) {
            return refused("another reload is still running".into());
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        let dir = self.knowledge_dir.clone();
        let reloading = self.reloading.clone();
        let spawned = std::thread::Builder::new().name("reload".into()).spawn(move || {
            let _ = tx.send(crate::load(dir.as_deref()));
            reloading.store(false, Ordering::SeqCst);
        });
        if let Err(e) = spawned {
            self.reloading.store(false, Ordering::SeqCst);
            return refused(format!("cannot start the reload: {e}"));
        }
        let loaded = match tokio::time::timeout(crate::LOAD_DEADLINE, rx).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => return refused("the reload failed (the loader panicked)".into()),
            Err(_) => {
                return refused(format!(
                    "loading took longer than {} s: given up (a file on a hung filesystem?)",
                    crate::LOAD_DEADLINE.as_secs()
                ));
            }
        };
        match loaded {
            Ok(engine) => {
                let topics = engine.kb.topics.len();
                *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
                tracing::info!(topics, "knowledge base reloaded");
                Ok(topics)
            }
            Err(problems) => {
                tracing::warn!(problems = %problems, "knowledge base refused; the running one stays");
                Err(problems)
            }
        }
    }

    /// While the database is unavailable, tells a user once that their checklist is not saved.
    pub fn tell_if_unsaved(&self, chat: ChatId, user: u64, lang: Lang) {
        if self.store.problem().is_none() {
            return;
        }
        if self.told_unsaved.lock().unwrap_or_else(|e| e.into_inner()).insert(user) {
            self.send(chat, Reply::ui(crate::ui::CHECKLISTS_UNSAVED, lang), Priority::Notice);
        }
    }

    pub fn is_admin(&self, user: Option<&User>) -> bool {
        user.is_some_and(|u| self.admins.contains(&u.id.0))
    }

    /// The user's language: their /language choice, else Telegram's `language_code`, else English.
    pub fn user_lang(&self, user: Option<&User>) -> Lang {
        let Some(user) = user else { return Lang::En };
        let from_telegram = || {
            user.language_code
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::En)
        };
        match self.store.language(user.id.0) {
            Ok(Some(l)) => l,
            Ok(None) => from_telegram(),
            Err(e) => {
                tracing::warn!(error = %e, "reading the language preference");
                from_telegram()
            }
        }
    }

    /// Counts a question and, when it got no confident answer, records its normalised text.
    /// Greetings and thanks are not questions: they are not counted.
    pub fn record(&self, engine: &Engine, question: &str, answer: &Answer) {
        let outcome = match &answer.reply {
            Said::SmallTalk(_) => return,
            Said::Topic { topic, .. } => {
                let id = engine.topic_id(*topic);
                metrics::counter!("inm_bot_answers_total", "topic" => id.to_string()).increment(1);
                Outcome::Answered(id)
            }
            Said::Referral(r) => {
                let id = engine.kb.referrals[*r].id.as_str();
                metrics::counter!("inm_bot_referrals_total", "referral" => id.to_string()).increment(1);
                Outcome::Answered(id)
            }
            Said::Suggestions { .. } => {
                metrics::counter!("inm_bot_suggestions_total").increment(1);
                Outcome::Suggested
            }
            Said::Unknown => {
                metrics::counter!("inm_bot_none_total").increment(1);
                Outcome::None
            }
        };
        let now = Utc::now();
        let day = now
            .with_timezone(&engine.calendar.time_zone())
            .format("%Y-%m-%d")
            .to_string();
        let topic = outcome.topic().to_string();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending.counts.entry((day, outcome.name(), topic)).or_default() += 1;
        if matches!(outcome, Outcome::Answered(_)) || self.misses_max == 0 {
            return;
        }
        let text = matching::normalize(question).join(" ");
        if !text.is_empty() && pending.misses.len() < self.misses_max {
            pending.misses.push(Miss {
                text,
                outcome: outcome.name().to_string(),
                at: now.to_rfc3339(),
            });
        }
    }

    /// Checks the database (reopening it when it was unavailable or lost), then writes pending
    /// counts and misses to it.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.check();
        if self.store.problem().is_none() {
            // Told again should it fail again.
            self.told_unsaved.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
        let Pending { counts, misses } = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if !counts.is_empty() {
            let rows: Vec<_> = counts
                .into_iter()
                .map(|((d, o, t), n)| (d, o.to_string(), t, n))
                .collect();
            self.store.add_counts(&rows)?;
        }
        if !misses.is_empty() {
            let oldest = (Utc::now() - chrono::Duration::days(i64::from(self.misses_days))).to_rfc3339();
            self.store.record_misses(&misses, self.misses_max, &oldest)?;
        }
        Ok(())
    }
}

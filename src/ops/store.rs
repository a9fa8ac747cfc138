//! What the bot remembers, in SQLite: users' language choice and the checklist items they ticked;
//! and, with no user attached, daily answer counts and the normalised text of questions it could
//! not answer (capped in number and age) so that authors can improve the knowledge base.
//!
//! Calls are synchronous under a mutex: each is one small indexed statement (microseconds), so
//! holding the lock inside an async handler costs less than a hop to a blocking thread would.
//! Language choices are also kept in memory, since every message needs one.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{Connection, params};

use crate::knowledge::Lang;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// A handle to the database; cheap to clone, shared by all handlers.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// Every user's language choice, read once at open: answering a message then needs no query.
    languages: Arc<RwLock<HashMap<u64, Lang>>>,
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    BEGIN;
    CREATE TABLE IF NOT EXISTS users (
        user_id INTEGER PRIMARY KEY,
        lang    TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ticks (
        user_id INTEGER NOT NULL,
        topic   TEXT NOT NULL,
        item    TEXT NOT NULL,
        PRIMARY KEY (user_id, topic, item)
    );
    -- Questions that got no confident answer: normalised text only, no user, chat or name.
    CREATE TABLE IF NOT EXISTS misses (
        id      INTEGER PRIMARY KEY,
        text    TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS misses_at ON misses (at);
    -- Questions per day and outcome ('answered' with its topic, 'suggested', 'none').
    CREATE TABLE IF NOT EXISTS daily (
        day     TEXT NOT NULL,
        outcome TEXT NOT NULL,
        topic   TEXT NOT NULL DEFAULT '',
        count   INTEGER NOT NULL,
        PRIMARY KEY (day, outcome, topic)
    );
    COMMIT;
";

/// How a question ended, for the daily counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    Answered(&'a str),
    Suggested,
    None,
}

impl Outcome<'_> {
    /// The topic answered with, or "" (how the `daily` table stores "no topic").
    pub fn topic(&self) -> &str {
        match self {
            Outcome::Answered(t) => t,
            _ => "",
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Answered(_) => "answered",
            Outcome::Suggested => "suggested",
            Outcome::None => "none",
        }
    }
}

/// A recorded question the bot could not answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Miss {
    pub text: String,
    pub outcome: String,
    pub at: String,
}

/// The figures behind `/stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub today: u64,
    pub total: u64,
    pub answered: u64,
    pub suggested: u64,
    pub none: u64,
    pub top_topics: Vec<(String, u64)>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(open_err)?;
        conn.execute_batch(SCHEMA).map_err(open_err)?;
        Store::with(conn)
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Store::with(conn)
    }

    fn with(conn: Connection) -> Result<Store, StoreError> {
        let languages = {
            let mut stmt = conn.prepare("SELECT user_id, lang FROM users")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)))?;
            let mut map = HashMap::new();
            for row in rows {
                let (user, lang) = row?;
                if let Some(l) = Lang::from_code(&lang) {
                    map.insert(user, l);
                }
            }
            map
        };
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            languages: Arc::new(RwLock::new(languages)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written: keep going.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn language(&self, user: u64) -> Result<Option<Lang>, StoreError> {
        Ok(self
            .languages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&user)
            .copied())
    }

    pub fn set_language(&self, user: u64, lang: Lang) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO users (user_id, lang) VALUES (?1, ?2)
             ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang",
            params![user as i64, lang.code()],
        )?;
        self.languages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(user, lang);
        Ok(())
    }

    /// The items a user ticked in a procedure's checklist.
    pub fn ticked(&self, user: u64, topic: &str) -> Result<BTreeSet<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT item FROM ticks WHERE user_id = ?1 AND topic = ?2")?;
        let rows = stmt.query_map(params![user as i64, topic], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Ticks or unticks an item; returns the items ticked afterwards.
    pub fn toggle(&self, user: u64, topic: &str, item: &str) -> Result<BTreeSet<String>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM ticks WHERE user_id = ?1 AND topic = ?2 AND item = ?3",
            params![user as i64, topic, item],
        )?;
        if removed == 0 {
            tx.execute(
                "INSERT INTO ticks (user_id, topic, item) VALUES (?1, ?2, ?3)",
                params![user as i64, topic, item],
            )?;
        }
        let ticked = {
            let mut stmt = tx.prepare_cached("SELECT item FROM ticks WHERE user_id = ?1 AND topic = ?2")?;
            let rows = stmt.query_map(params![user as i64, topic], |r| r.get::<_, String>(0))?;
            rows.collect::<Result<BTreeSet<_>, _>>()?
        };
        tx.commit()?;
        Ok(ticked)
    }

    /// Unticks every item of a procedure for a user.
    pub fn reset(&self, user: u64, topic: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "DELETE FROM ticks WHERE user_id = ?1 AND topic = ?2",
            params![user as i64, topic],
        )?;
        Ok(())
    }

    /// Counts a question in today's figures (`day` as YYYY-MM-DD).
    pub fn count_question(&self, day: &str, outcome: Outcome<'_>) -> Result<(), StoreError> {
        self.add_counts(&[(
            day.to_string(),
            outcome.name().to_string(),
            outcome.topic().to_string(),
            1,
        )])
    }

    /// Adds many (day, outcome, topic, count) rows in one transaction.
    pub fn add_counts(&self, rows: &[(String, String, String, u64)]) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO daily (day, outcome, topic, count) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(day, outcome, topic) DO UPDATE SET count = count + excluded.count",
            )?;
            for (day, outcome, topic, n) in rows {
                stmt.execute(params![day, outcome, topic, *n as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records an unanswered question (already normalised by the caller), then keeps at most
    /// `max` of them, none older than `oldest` (RFC 3339).
    pub fn record_miss(&self, text: &str, outcome: &str, at: &str, max: usize, oldest: &str) -> Result<(), StoreError> {
        let miss = Miss {
            text: text.to_string(),
            outcome: outcome.to_string(),
            at: at.to_string(),
        };
        self.record_misses(std::slice::from_ref(&miss), max, oldest)
    }

    /// Records many misses in one transaction, then applies the caps.
    pub fn record_misses(&self, misses: &[Miss], max: usize, oldest: &str) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("INSERT INTO misses (text, outcome, at) VALUES (?1, ?2, ?3)")?;
            for m in misses {
                stmt.execute(params![m.text, m.outcome, m.at])?;
            }
        }
        tx.execute("DELETE FROM misses WHERE at < ?1", params![oldest])?;
        tx.execute(
            "DELETE FROM misses WHERE id <= (SELECT id FROM misses ORDER BY id DESC LIMIT 1 OFFSET ?1)",
            params![max as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Recorded misses at or after `since` (RFC 3339 or a date), oldest first.
    pub fn misses(&self, since: &str) -> Result<Vec<Miss>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT text, outcome, at FROM misses WHERE at >= ?1 ORDER BY id")?;
        let rows = stmt.query_map(params![since], |r| {
            Ok(Miss {
                text: r.get(0)?,
                outcome: r.get(1)?,
                at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn stats(&self, today: &str, top: usize) -> Result<Stats, StoreError> {
        let conn = self.lock();
        let sum = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u64, rusqlite::Error> {
            conn.query_row(sql, p, |r| r.get::<_, Option<i64>>(0))
                .map(|v| v.unwrap_or(0) as u64)
        };
        let mut stats = Stats {
            today: sum("SELECT SUM(count) FROM daily WHERE day = ?1", &[&today])?,
            total: sum("SELECT SUM(count) FROM daily", &[])?,
            answered: sum("SELECT SUM(count) FROM daily WHERE outcome = 'answered'", &[])?,
            suggested: sum("SELECT SUM(count) FROM daily WHERE outcome = 'suggested'", &[])?,
            none: sum("SELECT SUM(count) FROM daily WHERE outcome = 'none'", &[])?,
            top_topics: Vec::new(),
        };
        let mut stmt = conn.prepare(
            "SELECT topic, SUM(count) AS n FROM daily WHERE outcome = 'answered'
             GROUP BY topic ORDER BY n DESC, topic LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![top as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        stats.top_topics = rows.collect::<Result<_, _>>()?;
        Ok(stats)
    }

    /// Writes everything to the main database file (for a clean shutdown).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.lock().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_language_persist_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let s = Store::open(&path).unwrap();
            assert_eq!(s.language(7).unwrap(), None);
            s.set_language(7, Lang::Es).unwrap();
            s.toggle(7, "canje", "passport_visa").unwrap();
            let t = s.toggle(7, "canje", "photos").unwrap();
            assert_eq!(t.len(), 2);
            let t = s.toggle(7, "canje", "photos").unwrap();
            assert_eq!(t.into_iter().collect::<Vec<_>>(), vec!["passport_visa"]);
            s.flush().unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.language(7).unwrap(), Some(Lang::Es));
        assert!(s.ticked(7, "canje").unwrap().contains("passport_visa"));
        assert!(s.ticked(8, "canje").unwrap().is_empty(), "progress is per user");
        s.reset(7, "canje").unwrap();
        assert!(s.ticked(7, "canje").unwrap().is_empty());
    }

    #[test]
    fn misses_are_capped_in_number_and_age() {
        let s = Store::in_memory().unwrap();
        s.record_miss("old question", "none", "2026-01-01T00:00:00Z", 3, "2020-01-01")
            .unwrap();
        for i in 0..5 {
            s.record_miss(
                &format!("q{i}"),
                "none",
                &format!("2026-11-2{i}T10:00:00Z"),
                3,
                "2026-06-01",
            )
            .unwrap();
        }
        let all: Vec<String> = s.misses("2000-01-01").unwrap().into_iter().map(|m| m.text).collect();
        assert_eq!(all, vec!["q2", "q3", "q4"], "the 3 newest, the old one aged out");
        assert_eq!(s.misses("2026-11-24").unwrap().len(), 1);
    }

    #[test]
    fn daily_counts_feed_stats() {
        let s = Store::in_memory().unwrap();
        s.count_question("2026-11-26", Outcome::Answered("hours")).unwrap();
        s.count_question("2026-11-27", Outcome::Answered("hours")).unwrap();
        s.count_question("2026-11-27", Outcome::Answered("canje")).unwrap();
        s.count_question("2026-11-27", Outcome::None).unwrap();
        let st = s.stats("2026-11-27", 5).unwrap();
        assert_eq!((st.today, st.total, st.answered, st.none), (3, 4, 3, 1));
        assert_eq!(st.top_topics[0], ("hours".to_string(), 2));
    }
}

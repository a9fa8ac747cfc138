//! What the bot remembers about users, in SQLite: their language choice and the checklist items
//! they ticked. Nothing else about them is stored.
//!
//! Calls are synchronous under a mutex: each is one small indexed statement (microseconds), so
//! holding the lock inside an async handler costs less than a hop to a blocking thread would.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

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
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
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
";

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
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written: keep going.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn language(&self, user: u64) -> Result<Option<Lang>, StoreError> {
        let lang: Option<String> = self
            .lock()
            .query_row("SELECT lang FROM users WHERE user_id = ?1", params![user as i64], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(lang.and_then(|l| Lang::from_code(&l)))
    }

    pub fn set_language(&self, user: u64, lang: Lang) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO users (user_id, lang) VALUES (?1, ?2)
             ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang",
            params![user as i64, lang.code()],
        )?;
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
}

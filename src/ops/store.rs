//! What the bot remembers, in SQLite: users' language choice and the checklist items they ticked;
//! and, with no user attached, daily answer counts and the normalised text of questions it could
//! not answer (capped in number and age) so that authors can improve the knowledge base.
//!
//! Calls are synchronous under a mutex: each is one small indexed statement (microseconds), so
//! holding the lock inside an async handler costs less than a hop to a blocking thread would.
//! Language choices are also kept in memory, since every message needs one.
//!
//! The bot never depends on the database to answer: when the file cannot be opened (missing
//! directory, read-only, not a database) or is lost while running (removed, replaced, failing
//! writes), the store carries on in memory (degraded), says why in `problem`, and `check`
//! (called every few seconds) detects a removed or replaced file and reopens it, merging what
//! was kept in memory meanwhile. One bot per database: `open_for_bot` holds a lock file
//! (`<db>.lock`) and a second bot on the same database is refused at start, since both would
//! cache language choices and disagree.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use crate::knowledge::Lang;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database {path}: {message}")]
    Refused { path: String, message: String },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// A handle to the database; cheap to clone, shared by all handlers.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    /// The database file (none: an in-memory store for tests).
    path: Option<PathBuf>,
    db: Mutex<Db>,
    /// Every user's language choice, read at open: answering a message then needs no query.
    languages: RwLock<HashMap<u64, Lang>>,
    /// Why the database is not in use, when it is not.
    problem: RwLock<Option<String>>,
    /// With `open_for_bot`: the lock file, held for as long as the store lives.
    lock: Mutex<Option<std::fs::File>>,
}

/// The connection in use: on the file (with the file's identity, to notice it being replaced or
/// removed), or in memory.
struct Db {
    conn: Connection,
    file: Option<FileId>,
}

/// Device and inode of the database file.
type FileId = (u64, u64);

/// How long a start waits for another process's lock on the database (e.g. two creating it).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    BEGIN IMMEDIATE;
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

fn file_id(path: &Path) -> std::io::Result<FileId> {
    let m = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        Ok((0, m.len()))
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Opens the database file, creating it (never its directory), with the schema; waits for other
/// processes that hold it for up to `BUSY_TIMEOUT`.
fn connect(path: &Path) -> Result<Db, StoreError> {
    let open_err = |source| StoreError::Open {
        path: path.display().to_string(),
        source,
    };
    let refused = |message: &str| StoreError::Refused {
        path: path.display().to_string(),
        message: message.to_string(),
    };
    if path.is_dir() {
        return Err(refused("is a directory"));
    }
    let conn = Connection::open(path).map_err(open_err)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.execute_batch(SCHEMA) {
            Ok(()) => break,
            // Creating the schema takes the write lock; SQLite gives up at once on a lock upgrade.
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                let _ = conn.execute_batch("ROLLBACK");
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(open_err(e)),
        }
    }
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(refused("is read-only"));
    }
    let file = file_id(path).map_err(|e| refused(&e.to_string()))?;
    Ok(Db { conn, file: Some(file) })
}

fn memory() -> Result<Db, StoreError> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(SCHEMA)?;
    Ok(Db { conn, file: None })
}

fn read_languages(conn: &Connection) -> Result<HashMap<u64, Lang>, StoreError> {
    let mut stmt = conn.prepare("SELECT user_id, lang FROM users")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)))?;
    let mut map = HashMap::new();
    for row in rows {
        let (user, lang) = row?;
        if let Some(l) = Lang::from_code(&lang) {
            map.insert(user, l);
        }
    }
    Ok(map)
}

/// Copies what was written in memory while the file was unavailable into the file.
fn merge(from: &Connection, into: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = into.transaction()?;
    {
        let mut users = from.prepare("SELECT user_id, lang FROM users")?;
        let mut put = tx.prepare(
            "INSERT INTO users (user_id, lang) VALUES (?1, ?2)
             ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang",
        )?;
        for row in users.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (u, l) = row?;
            put.execute(params![u, l])?;
        }
        let mut ticks = from.prepare("SELECT user_id, topic, item FROM ticks")?;
        let mut put = tx.prepare("INSERT OR IGNORE INTO ticks (user_id, topic, item) VALUES (?1, ?2, ?3)")?;
        for row in ticks.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })? {
            let (u, t, i) = row?;
            put.execute(params![u, t, i])?;
        }
        let mut daily = from.prepare("SELECT day, outcome, topic, count FROM daily")?;
        let mut put = tx.prepare(
            "INSERT INTO daily (day, outcome, topic, count) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(day, outcome, topic) DO UPDATE SET count = count + excluded.count",
        )?;
        for row in daily.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })? {
            let (d, o, t, n) = row?;
            put.execute(params![d, o, t, n])?;
        }
    }
    tx.commit()
}

impl Store {
    /// Opens (creating if needed) the database at `path`; any problem is an error.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = connect(path)?;
        Store::with(Some(path.to_path_buf()), db, None)
    }

    /// The bot's database: the file when it can be used, else memory (degraded, see `problem`)
    /// until `check` can reopen it. Refused only when another bot holds the database's lock.
    pub fn open_for_bot(path: &Path) -> Result<Store, StoreError> {
        let lock = take_lock(path)?;
        let (db, problem) = match connect(path) {
            Ok(db) => (db, None),
            Err(e) => (memory()?, Some(e.to_string())),
        };
        let store = Store::with(Some(path.to_path_buf()), db, problem.clone())?;
        *store.inner.lock.lock().unwrap_or_else(|e| e.into_inner()) = lock;
        if let Some(p) = problem {
            tracing::error!(problem = %p, "the database cannot be used: answering from memory, checklists are not saved; retrying");
        }
        store.gauge();
        Ok(store)
    }

    /// An existing database of this bot, for reading (`inm-bot misses`): never creates a file,
    /// and refuses a file that is not one of its databases.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let refused = |message: String| StoreError::Refused {
            path: path.display().to_string(),
            message,
        };
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| refused(format!("cannot open: {e}")))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| refused(format!("not an inm-bot database ({e})")))?;
        for t in ["users", "ticks", "misses", "daily"] {
            if !tables.iter().any(|x| x == t) {
                return Err(refused(format!("not an inm-bot database (no `{t}` table)")));
            }
        }
        Store::with(Some(path.to_path_buf()), Db { conn, file: None }, None)
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::with(None, memory()?, None)
    }

    fn with(path: Option<PathBuf>, db: Db, problem: Option<String>) -> Result<Store, StoreError> {
        let languages = read_languages(&db.conn)?;
        Ok(Store {
            inner: Arc::new(Inner {
                path,
                db: Mutex::new(db),
                languages: RwLock::new(languages),
                problem: RwLock::new(problem),
                lock: Mutex::new(None),
            }),
        })
    }

    /// Why the database is not in use (the store is in memory meanwhile), if it is not.
    pub fn problem(&self) -> Option<String> {
        self.inner.problem.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_problem(&self, problem: Option<String>) {
        *self.inner.problem.write().unwrap_or_else(|e| e.into_inner()) = problem;
        self.gauge();
    }

    fn gauge(&self) {
        metrics::gauge!("inm_bot_database_up").set(if self.problem().is_some() { 0.0 } else { 1.0 });
    }

    /// Checks the database file is still the one opened, and reopens it when it was unavailable,
    /// removed or replaced. Call it regularly (it costs a `stat`).
    pub fn check(&self) {
        let Some(path) = self.inner.path.clone() else { return };
        self.gauge();
        let mut db = self.db();
        let Some(id) = db.file else {
            if self.problem().is_none() {
                return; // read-only tool store
            }
            return self.reopen(&path, &mut db, None);
        };
        match file_id(&path) {
            Ok(now) if now == id => {}
            Ok(_) => {
                tracing::error!(path = %path.display(), "the database file was replaced while running: opening the new one");
                self.reopen(&path, &mut db, None);
            }
            Err(_) => {
                // The open connection still reads the removed file: write it back where it was.
                let restored = db
                    .conn
                    .execute("VACUUM INTO ?1", params![path.to_string_lossy()])
                    .map_err(|e| e.to_string());
                tracing::error!(path = %path.display(), restored = restored.is_ok(),
                    "the database file was removed while running");
                self.reopen(&path, &mut db, Some("the database file was removed".to_string()));
            }
        }
    }

    /// Replaces the connection with one on the file; on failure, with memory (degraded).
    fn reopen(&self, path: &Path, db: &mut Db, why: Option<String>) {
        if self.inner.lock.lock().unwrap_or_else(|e| e.into_inner()).is_none() {
            match take_lock(path) {
                Ok(lock) => *self.inner.lock.lock().unwrap_or_else(|e| e.into_inner()) = lock,
                Err(e) => return self.degrade(db, e.to_string()),
            }
        }
        match connect(path) {
            Ok(mut fresh) => {
                if db.file.is_none()
                    && let Err(e) = merge(&db.conn, &mut fresh.conn)
                {
                    tracing::warn!(error = %e, "copying what was kept in memory into the database");
                }
                if let Ok(langs) = read_languages(&fresh.conn) {
                    self.inner
                        .languages
                        .write()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(langs);
                }
                *db = fresh;
                if self.problem().is_some() {
                    tracing::info!(path = %path.display(), "the database is back in use");
                }
                self.set_problem(None);
            }
            Err(e) => self.degrade(db, why.unwrap_or_else(|| e.to_string())),
        }
    }

    /// Carries on in memory after the database failed.
    fn degrade(&self, db: &mut Db, problem: String) {
        if db.file.is_some() {
            match memory() {
                Ok(m) => *db = m,
                Err(e) => tracing::error!(error = %e, "cannot even open a database in memory"),
            }
        }
        if self.problem().as_deref() != Some(problem.as_str()) {
            tracing::error!(problem = %problem, "the database cannot be used: answering from memory, checklists are not saved; retrying");
        }
        self.set_problem(Some(problem));
    }

    fn db(&self) -> MutexGuard<'_, Db> {
        // A panic while holding the lock cannot leave SQLite half-written: keep going.
        self.inner.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a statement; when the file fails, the store degrades to memory and runs it there.
    fn run<T>(&self, f: impl Fn(&mut Connection) -> Result<T, rusqlite::Error>) -> Result<T, StoreError> {
        let mut db = self.db();
        match f(&mut db.conn) {
            Ok(v) => Ok(v),
            Err(e) if db.file.is_some() && self.inner.path.is_some() => {
                self.degrade(&mut db, format!("writing failed: {e}"));
                Ok(f(&mut db.conn)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn language(&self, user: u64) -> Result<Option<Lang>, StoreError> {
        Ok(self
            .inner
            .languages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&user)
            .copied())
    }

    pub fn set_language(&self, user: u64, lang: Lang) -> Result<(), StoreError> {
        self.run(|c| {
            c.execute(
                "INSERT INTO users (user_id, lang) VALUES (?1, ?2)
                 ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang",
                params![user as i64, lang.code()],
            )
        })?;
        self.inner
            .languages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(user, lang);
        Ok(())
    }

    /// The items a user ticked in a procedure's checklist.
    pub fn ticked(&self, user: u64, topic: &str) -> Result<BTreeSet<String>, StoreError> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached("SELECT item FROM ticks WHERE user_id = ?1 AND topic = ?2")?;
            let rows = stmt.query_map(params![user as i64, topic], |r| r.get::<_, String>(0))?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// Ticks or unticks an item; returns the items ticked afterwards.
    pub fn toggle(&self, user: u64, topic: &str, item: &str) -> Result<BTreeSet<String>, StoreError> {
        self.run(|conn| {
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
        })
    }

    /// Unticks every item of a procedure for a user.
    pub fn reset(&self, user: u64, topic: &str) -> Result<(), StoreError> {
        self.run(|c| {
            c.execute(
                "DELETE FROM ticks WHERE user_id = ?1 AND topic = ?2",
                params![user as i64, topic],
            )
        })?;
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
        self.run(|conn| {
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
            tx.commit()
        })
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
        self.run(|conn| {
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
            tx.commit()
        })
    }

    /// Recorded misses at or after `since` (RFC 3339 or a date), oldest first.
    pub fn misses(&self, since: &str) -> Result<Vec<Miss>, StoreError> {
        let db = self.db();
        let conn = &db.conn;
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
        let db = self.db();
        let conn = &db.conn;
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
        let db = self.db();
        if db.file.is_some() {
            db.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(())
    }
}

/// Takes `<db>.lock` so that a second bot on the same database is refused. `None` when the lock
/// file cannot be created (the database is then most likely unusable too; retried by `check`).
fn take_lock(path: &Path) -> Result<Option<std::fs::File>, StoreError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&lock_path)
    else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Refused {
            path: path.display().to_string(),
            message: format!(
                "another inm-bot is running on this database (it holds {}); run one bot per database",
                lock_path.display()
            ),
        }),
        Err(std::fs::TryLockError::Error(_)) => Ok(None),
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
    fn concurrent_opens_of_a_new_database_wait_for_each_other() {
        for _ in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("new.db");
            let opened: Vec<_> = (0..4)
                .map(|_| {
                    let path = path.clone();
                    std::thread::spawn(move || Store::open(&path).map(|_| ()).map_err(|e| e.to_string()))
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|t| t.join().unwrap())
                .collect();
            assert!(opened.iter().all(Result::is_ok), "{opened:?}");
        }
    }

    #[test]
    fn an_unusable_file_degrades_to_memory_and_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("later/bot.db");
        let s = Store::open_for_bot(&path).unwrap();
        assert!(s.problem().is_some());
        s.toggle(7, "canje", "photos").unwrap();
        s.set_language(7, Lang::Es).unwrap();
        assert!(
            s.ticked(7, "canje").unwrap().contains("photos"),
            "kept in memory meanwhile"
        );
        std::fs::create_dir(dir.path().join("later")).unwrap();
        s.check();
        assert_eq!(s.problem(), None);
        drop(s);
        let s = Store::open(&path).unwrap();
        assert!(s.ticked(7, "canje").unwrap().contains("photos"), "merged into the file");
        assert_eq!(s.language(7).unwrap(), Some(Lang::Es));
    }

    #[test]
    fn directories_and_garbage_are_refused_and_a_removed_file_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Store::open(dir.path()).is_err());
        let garbage = dir.path().join("garbage.db");
        std::fs::write(&garbage, "this is not a database, just text ".repeat(100)).unwrap();
        assert!(Store::open(&garbage).is_err());
        assert!(Store::open_for_bot(&garbage).unwrap().problem().is_some());
        assert!(Store::open_existing(&garbage).is_err());
        let missing = dir.path().join("missing.db");
        assert!(Store::open_existing(&missing).is_err());
        assert!(!missing.exists(), "never created");

        let path = dir.path().join("bot.db");
        let s = Store::open_for_bot(&path).unwrap();
        assert!(
            Store::open_for_bot(&path)
                .err()
                .unwrap()
                .to_string()
                .contains("another inm-bot"),
            "one bot per database"
        );
        s.toggle(7, "canje", "photos").unwrap();
        std::fs::remove_file(&path).unwrap();
        s.check();
        assert!(path.exists(), "written back");
        assert_eq!(s.problem(), None);
        assert!(
            Store::open_existing(&path)
                .unwrap()
                .ticked(7, "canje")
                .unwrap()
                .contains("photos")
        );
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

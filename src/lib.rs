//! inm-bot: answers questions about the INM immigration office in Mexico City (Polanco), in
//! English and Spanish, from a YAML knowledge base.
//!
//! Data flows one way: an update comes in, the core decides an `Answer`, a front end renders and
//! sends it.
//! - The core knows nothing of Telegram: `knowledge` (the YAML schema, loading, validation) →
//!   `matching` and `calendar` → `answer` (the one decision, `Engine::answer`) → `render`, with the
//!   fixed interface words in `ui`.
//! - `memory` keeps each conversation's `answer::Memory` for follow-ups (bounded, short-lived).
//! - Front ends: `console` (a terminal conversation), `telegram` (the bot), `cli` (the command
//!   line), and `eval` and `conversations` (measuring understanding on question and conversation files).
//! - Operations: `ops` (the database, unanswered questions, flood control, metrics).

use std::path::Path;
use std::time::Duration;

pub mod answer;
pub mod calendar;
pub mod cli;
pub mod console;
pub mod conversations;
pub mod dates;
pub mod eval;
mod examples;
pub mod knowledge;
pub mod matching;
pub mod memory;
pub mod ops;
pub mod render;
pub mod telegram;
pub mod ui;

pub use answer::{Answer, Context, Engine, Reply};
pub use knowledge::Lang;

use knowledge::{Knowledge, Problems};

/// Indexes a knowledge base and checks what only rendering can tell (every answer must fit one
/// Telegram message).
pub fn open(kb: Knowledge) -> Result<Engine, Problems> {
    let engine = Engine::new(kb);
    let problems = render::check_lengths(&engine);
    if problems.is_empty() {
        Ok(engine)
    } else {
        Err(Problems(problems))
    }
}

/// The knowledge base from a directory when given, else the copy built into the binary.
pub fn load(dir: Option<&Path>) -> Result<Engine, Problems> {
    open(match dir {
        Some(d) => knowledge::load_dir(d)?,
        None => knowledge::load_embedded()?,
    })
}

/// How long loading a knowledge base may take before it is given up (the shipped one takes
/// milliseconds; a file on a hung network filesystem could take forever).
pub const LOAD_DEADLINE: Duration = Duration::from_secs(20);

/// `load` on a thread of its own, given up after `deadline`. A load that hangs leaves only
/// that thread behind, which never holds up the caller or the process's exit.
pub fn load_within(dir: Option<&Path>, deadline: Duration) -> Result<Engine, Problems> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = dir.map(Path::to_path_buf);
    let spawned = std::thread::Builder::new()
        .name("knowledge-load".into())
        .spawn(move || {
            let _ = tx.send(load(owned.as_deref()));
        });
    let origin = dir.map_or("embedded".to_string(), |d| d.display().to_string());
    let problem = |m: String| Problems(vec![knowledge::Problem::new(origin.clone(), m)]);
    if let Err(e) = spawned {
        return Err(problem(format!("cannot start loading: {e}")));
    }
    match rx.recv_timeout(deadline) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(problem(format!(
            "loading took longer than {} s: given up (a file on a hung filesystem?)",
            deadline.as_secs()
        ))),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(problem("loading failed (the loader panicked)".into()))
        }
    }
}

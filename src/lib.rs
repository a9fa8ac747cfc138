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

pub mod answer;
pub mod calendar;
pub mod cli;
pub mod console;
pub mod conversations;
pub mod dates;
pub mod eval;
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

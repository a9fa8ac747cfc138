//! inm-bot: answers questions about the INM immigration office in Mexico City (Polanco), in
//! English and Spanish, from a YAML knowledge base.
//!
//! The core (`knowledge`, `matching`, `calendar`, `engine`, `render`) knows nothing of Telegram;
//! the front ends (`console`, `telegram`, the `inm-bot` command line) use it; `store` keeps what
//! the bot remembers about users. Data flows one way: a question
//! comes in, `engine` decides an `Answer`, a front end renders it.

pub mod calendar;
pub mod console;
pub mod engine;
pub mod eval;
pub mod flood;
pub mod knowledge;
pub mod matching;
pub mod metrics;
pub mod misses;
pub mod render;
pub mod store;
pub mod telegram;

pub use engine::{Answer, Engine};
pub use knowledge::Lang;

//! Operations: what keeps the bot running and observable, apart from answering. `store` is the
//! SQLite database (language choices, checklist ticks, counts, unanswered questions), `misses`
//! groups unanswered questions for authors, `flood` is per-user flood control, `metrics` serves
//! `/healthz` and Prometheus `/metrics`, `http` serves them within timeouts and a connection cap, `logs` sets up logging and keeps raw Telegram data out
//! of it.

pub mod flood;
pub mod http;
pub mod logs;
pub mod metrics;
pub mod misses;
pub mod store;

//! The integration tests, in one binary so that the big dependencies (teloxide, axum, SQLite) are
//! linked once. `support` is the fake Bot API server and helpers the Telegram tests share.

mod calendar;
mod cli;
mod dates;
mod faults;
mod knowledge;
mod limits;
mod matcher;
mod operations;
mod support;
mod telegram;
mod understanding;

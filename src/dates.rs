//! Dates and times in questions: weekday names, today / tomorrow / mañana, "the 12th of
//! December", "12/12", named days (Christmas, Holy Week…), times ("at 2:30 pm", "a las 4 y
//! media", "en la tarde"), read relative to the instant of the message in the office's time zone.
//!
//! Pure: knows nothing of the knowledge base's topics; `answer` decides what a date means for a
//! question and `render` says the verdict.

use chrono::{NaiveDate, NaiveTime};

/// A moment a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub date: NaiveDate,
    /// A time of day, when the question gives one.
    pub time: Option<NaiveTime>,
}

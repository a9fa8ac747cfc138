//! The console front end: the same conversation as on Telegram, in a terminal, with no token.

pub fn placeholder() {}

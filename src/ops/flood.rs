//! Flood control: a user who sends more than a set number of messages in a minute gets one polite
//! notice and is ignored for the rest of that minute; nobody else is slowed down.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// What to do with a user's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Over the limit for the first time this minute: say so, once.
    Notice,
    Ignore,
}

struct Window {
    start: Instant,
    count: u32,
}

pub struct Flood {
    limit: u32,
    windows: Mutex<HashMap<u64, Window>>,
}

impl Flood {
    /// `limit` messages a minute per user; 0 turns flood control off.
    pub fn new(limit: u32) -> Flood {
        Flood {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        if self.limit == 0 {
            return Verdict::Allow;
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Forget finished windows now and then, so the map stays the size of the active users.
        if windows.len() > 10_000 {
            windows.retain(|_, w| now.duration_since(w.start) < WINDOW);
        }
        let w = windows.entry(user).or_insert(Window { start: now, count: 0 });
        if now.duration_since(w.start) >= WINDOW {
            *w = Window { start: now, count: 0 };
        }
        w.count = w.count.saturating_add(1);
        match w.count.cmp(&(self.limit + 1)) {
            std::cmp::Ordering::Less => Verdict::Allow,
            std::cmp::Ordering::Equal => Verdict::Notice,
            std::cmp::Ordering::Greater => Verdict::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_notice_then_silence_until_the_minute_is_over() {
        let f = Flood::new(3);
        let t0 = Instant::now();
        let verdicts: Vec<_> = (0..6).map(|i| f.check(1, t0 + Duration::from_secs(i))).collect();
        assert_eq!(
            verdicts,
            vec![
                Verdict::Allow,
                Verdict::Allow,
                Verdict::Allow,
                Verdict::Notice,
                Verdict::Ignore,
                Verdict::Ignore
            ]
        );
        assert_eq!(
            f.check(2, t0 + Duration::from_secs(5)),
            Verdict::Allow,
            "others are not slowed down"
        );
        assert_eq!(f.check(1, t0 + Duration::from_secs(61)), Verdict::Allow, "a new minute");
        assert_eq!(Flood::new(0).check(1, t0), Verdict::Allow);
    }
}

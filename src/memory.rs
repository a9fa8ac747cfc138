//! Conversation memory for follow-ups ("and on Saturday?"): one `answer::Memory` per chat, kept
//! for `TTL`, at most a fixed number of chats (the least recently spoken-to are forgotten first).
//! It holds no message text, only what the last answer was about.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::answer::Memory;

/// How long a conversation is remembered after it last spoke.
pub const TTL: Duration = crate::answer::MEMORY_TTL;

/// The default bound on remembered chats: a `Memory` is about 64 bytes, so 100,000 chats stay
/// around 10 MB with the index.
pub const MAX_CHATS: usize = 100_000;

/// The memories of many chats, bounded.
pub struct Memories<K> {
    max: usize,
    inner: Mutex<Inner<K>>,
}

struct Inner<K> {
    map: HashMap<K, Memory>,
    /// Chats in the order they last spoke, with that instant; an entry whose instant no longer
    /// matches the map's is stale and skipped (this keeps every operation O(1) amortised).
    order: VecDeque<(K, DateTime<Utc>)>,
}

impl<K: Hash + Eq + Clone> Memories<K> {
    pub fn new(max: usize) -> Self {
        Memories {
            max: max.max(1),
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    /// What a chat remembers at `now` (nothing when new or forgotten).
    pub fn recall(&self, chat: &K, now: DateTime<Utc>) -> Memory {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.map.get(chat).map_or_else(Memory::default, |m| m.fresh(now))
    }

    /// Stores what a chat remembers after an answer; `memory.at` is when it spoke.
    pub fn store(&self, chat: K, memory: Memory) {
        let Some(at) = memory.at else { return };
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.map.insert(chat.clone(), memory);
        inner.order.push_back((chat, at));
        let Inner { map, order } = &mut *inner;
        while let Some((key, when)) = order.front() {
            let live = map.get(key).and_then(|m| m.at) == Some(*when);
            let over = map.len() > self.max || order.len() > 2 * self.max;
            if live && !over && at - *when <= TTL {
                break;
            }
            if live {
                map.remove(key);
            }
            order.pop_front();
        }
    }

    /// How many chats are remembered (forgotten ones may linger until the next store).
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq + Clone> Default for Memories<K> {
    fn default() -> Self {
        Memories::new(MAX_CHATS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap()
    }
    fn mem(topic: usize, min: i64) -> Memory {
        Memory {
            topic: Some(topic),
            when: None,
            fact: None,
            at: Some(at(min)),
        }
    }

    #[test]
    fn forgets_after_the_ttl() {
        let m = Memories::new(10);
        m.store(1, mem(3, 0));
        assert_eq!(m.recall(&1, at(29)).topic, Some(3));
        assert_eq!(m.recall(&1, at(31)), Memory::default());
        assert_eq!(m.recall(&2, at(1)), Memory::default());
    }

    #[test]
    fn bounded_least_recent_first() {
        let m = Memories::new(3);
        for chat in 0..3 {
            m.store(chat, mem(chat as usize, chat));
        }
        // Chat 0 speaks again: chat 1 is now the least recent.
        m.store(0, mem(7, 5));
        m.store(9, mem(9, 6));
        assert_eq!(m.len(), 3);
        assert_eq!(m.recall(&0, at(6)).topic, Some(7));
        assert_eq!(m.recall(&1, at(6)), Memory::default());
        assert_eq!(m.recall(&9, at(6)).topic, Some(9));
        // One chat talking a lot does not grow the index without bound.
        for i in 0..1000 {
            m.store(0, mem(1, 6 + i % 20));
        }
        assert!(m.inner.lock().unwrap().order.len() <= 6);
    }

    #[test]
    fn expired_chats_are_dropped_when_others_speak() {
        let m = Memories::new(100);
        for chat in 0..50 {
            m.store(chat, mem(1, 0));
        }
        m.store(99, mem(1, 40));
        assert_eq!(m.len(), 1);
    }
}

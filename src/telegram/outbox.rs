//! Sending within Telegram's limits without making anyone wait for anyone else.
//!
//! Handlers never wait on a rate limit: they put what they send in the outbox and return, so the
//! dispatcher keeps taking updates whatever one chat does. One task sends: at once when the
//! limits allow (under 30 messages a second overall, one a second per chat with a burst of three
//! for the parts of a split answer, 20 a minute per group), otherwise as soon as they do. The rate
//! arithmetic is `governor`'s (GCRA). A chat's messages go out in order, one request in flight per
//! chat. A 429 holds back only that chat, for the `retry_after` Telegram gives, unless 429s come
//! for several chats at once: then Telegram is limiting the bot as a whole and every chat waits. A
//! request that never reached the server, or a 5xx, is retried with capped, jittered backoff, then
//! dropped and counted (`inm_bot_errors_total{kind}`); nothing that may have been delivered is sent
//! again. Queues are bounded per chat and overall: past a bound the oldest low-value message (a
//! flood notice, an edit a newer edit replaces) goes first, a reply only when there is none, and
//! drops are counted (`inm_bot_dropped_total{kind}`). At shutdown what can be sent before the
//! deadline is sent; the rest is logged and counted.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, VecDeque};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::Tg;
use super::replies::no_preview;

/// Messages a chat may have queued; past it the chat's oldest low-value one is dropped.
const CHAT_QUEUE: usize = 64;
/// Messages all chats together may have queued (about six minutes of sending at the cap); past
/// it the oldest low-value one anywhere is dropped, and only when there is none the oldest reply.
const TOTAL_QUEUE: usize = 10_000;
/// Overall: one message every 35 ms. Telegram's cap is 30 a second; 35 ms rather than 33 leaves
/// room for the jitter between our clock and Telegram's, so no window of one second sees 31.
const GLOBAL_PERIOD: Duration = Duration::from_millis(35);
/// Retries of a request that failed before reaching Telegram, or with a 5xx.
const RETRIES: u32 = 4;
const BACKOFF_START: Duration = Duration::from_millis(200);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A `retry_after` longer than this is capped: the chat is tried again then (and held again if
/// Telegram still says so), so a bogus value cannot park a chat for days.
const HOLD_MAX: Duration = Duration::from_secs(3600);
/// 429s for this many different chats within `GLOBAL_WINDOW` mean that Telegram limits the bot
/// as a whole, not one chat: then every chat is held. (Telegram's 429 does not say which.)
const GLOBAL_CHATS: usize = 3;
const GLOBAL_WINDOW: Duration = Duration::from_secs(1);
/// The longest every chat is held at once; then sending is tried again.
const GLOBAL_HOLD_MAX: Duration = Duration::from_secs(60);

/// Telegram's limits, or none (only to measure throughput against a local fake server).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub enabled: bool,
}

/// What to send.
#[derive(Debug, Clone)]
pub enum Job {
    Message {
        html: String,
        keyboard: Option<InlineKeyboardMarkup>,
    },
    Venue {
        latitude: f64,
        longitude: f64,
        title: String,
        address: String,
    },
    Edit {
        message: MessageId,
        html: String,
        keyboard: InlineKeyboardMarkup,
    },
}

/// Whether a message may be dropped when queues overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// A reply to a command, a question or a button: never dropped while a low one is queued.
    Reply,
    /// A notice (flood control): dropped first.
    Notice,
}

struct Queued {
    job: Job,
    priority: Priority,
    attempt: u32,
    /// Order of arrival over all chats: the oldest goes first when queues overflow.
    seq: u64,
}

enum Cmd {
    Send(ChatId, Job, Priority),
    /// Stop taking work and send what can be sent before the deadline.
    Close(Instant, tokio::sync::oneshot::Sender<usize>),
}

/// The handle handlers send through; cheap to clone.
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Cmd>,
    queued: Arc<AtomicUsize>,
}

impl Outbox {
    /// Starts the sending task.
    pub fn start(bot: Tg, limits: Limits) -> Outbox {
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let worker = Worker::new(bot, limits, queued.clone());
        tokio::spawn(worker.run(rx));
        Outbox { tx, queued }
    }

    /// Queues a job for a chat; returns at once.
    pub fn send(&self, chat: ChatId, job: Job, priority: Priority) {
        self.queued.fetch_add(1, Ordering::Relaxed);
        if self.tx.send(Cmd::Send(chat, job, priority)).is_err() {
            self.queued.fetch_sub(1, Ordering::Relaxed);
            tracing::warn!("outbox closed: a message was not sent");
            metrics::counter!("inm_bot_dropped_total", "kind" => "closed").increment(1);
        }
    }

    /// Messages waiting to be sent (or in flight).
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }

    /// Sends what can be sent within `grace`, then stops; returns how many were not sent.
    pub async fn close(&self, grace: Duration) -> usize {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.tx.send(Cmd::Close(Instant::now() + grace, tx)).is_err() {
            return 0;
        }
        match tokio::time::timeout(grace + Duration::from_secs(1), rx).await {
            Ok(Ok(dropped)) => dropped,
            _ => self.queued(),
        }
    }
}

#[derive(Default)]
struct ChatState {
    queue: VecDeque<Queued>,
    in_flight: bool,
    /// In the ready list or the timer heap already.
    scheduled: bool,
}

/// The queue entry to drop to make room: the oldest notice, else the oldest entry.
fn victim(queue: &VecDeque<Queued>) -> usize {
    queue.iter().position(|q| q.priority == Priority::Notice).unwrap_or(0)
}

/// A queued edit of the same message, which a newer edit makes pointless to send.
fn superseded(queue: &VecDeque<Queued>, job: &Job) -> Option<usize> {
    let Job::Edit { message, .. } = job else { return None };
    queue
        .iter()
        .position(|q| matches!(&q.job, Job::Edit { message: m, .. } if m == message))
}

/// Recent 429s, to tell one chat's limit from the whole bot's.
#[derive(Default)]
struct Signals {
    recent: VecDeque<(Instant, ChatId, Duration)>,
}

impl Signals {
    /// Notes a 429 for `chat` asking for `hold`; returns how long to hold every chat, when 429s
    /// for several chats at once say that Telegram limits the bot as a whole.
    fn rate_limited(&mut self, now: Instant, chat: ChatId, hold: Duration) -> Option<Duration> {
        self.recent
            .retain(|(t, c, _)| now.duration_since(*t) < GLOBAL_WINDOW && *c != chat);
        self.recent.push_back((now, chat, hold));
        if self.recent.len() < GLOBAL_CHATS {
            return None;
        }
        // The shortest wait asked for: the chats asked for longer stay held by their own hold.
        let all = self.recent.iter().map(|(_, _, h)| *h).min().unwrap_or(hold);
        self.recent.clear();
        Some(all.min(GLOBAL_HOLD_MAX))
    }
}

type Done = (ChatId, Queued, Result<(), RequestError>);

struct Worker {
    bot: Tg,
    limits: Limits,
    global: DefaultDirectRateLimiter,
    per_chat: DefaultKeyedRateLimiter<ChatId>,
    per_group: DefaultKeyedRateLimiter<ChatId>,
    chats: HashMap<ChatId, ChatState>,
    /// Chats that may send now, oldest first (fair across chats).
    ready: VecDeque<ChatId>,
    /// Chats waiting for a limit or a hold, by the instant they may try again.
    timers: BinaryHeap<Reverse<(Instant, ChatId)>>,
    /// Every chat waits until then: Telegram rate-limited the bot as a whole.
    hold_all: Option<Instant>,
    signals: Signals,
    /// Queued (not in flight) entries by age, low-value and replies apart, to find what to drop.
    notices: BTreeSet<(u64, ChatId)>,
    replies: BTreeSet<(u64, ChatId)>,
    next_seq: u64,
    /// Messages taken but not yet sent or dropped (the channel's included), shared with `Outbox`.
    queued: Arc<AtomicUsize>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
    in_flight: usize,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl Worker {
    fn new(bot: Tg, limits: Limits, queued: Arc<AtomicUsize>) -> Worker {
        let global = Quota::with_period(GLOBAL_PERIOD)
            .unwrap_or_else(|| Quota::per_second(nz(28)))
            .allow_burst(nz(1));
        // Per chat: one a second sustained, three at once for the parts of one answer.
        let per_chat = Quota::per_second(nz(1)).allow_burst(nz(3));
        // Per group: 20 a minute.
        let per_group = Quota::per_minute(nz(20)).allow_burst(nz(1));
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        Worker {
            bot,
            limits,
            global: RateLimiter::direct(global),
            per_chat: RateLimiter::keyed(per_chat),
            per_group: RateLimiter::keyed(per_group),
            chats: HashMap::new(),
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            hold_all: None,
            signals: Signals::default(),
            notices: BTreeSet::new(),
            replies: BTreeSet::new(),
            next_seq: 0,
            queued,
            done_tx,
            done_rx,
            in_flight: 0,
        }
    }

    /// Entries waiting in chat queues (not in flight).
    fn waiting(&self) -> usize {
        self.notices.len() + self.replies.len()
    }

    fn index(&mut self, item: &Queued) -> &mut BTreeSet<(u64, ChatId)> {
        match item.priority {
            Priority::Notice => &mut self.notices,
            Priority::Reply => &mut self.replies,
        }
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        let mut closing: Option<(Instant, tokio::sync::oneshot::Sender<usize>)> = None;
        let mut prune = tokio::time::interval(Duration::from_secs(60));
        loop {
            let wake = self.pump();
            if let Some((deadline, _)) = &closing
                && (Instant::now() >= *deadline || self.nothing_to_send_before(*deadline))
            {
                let (_, reply) = closing.take().expect("checked");
                let _ = reply.send(self.give_up());
                return;
            }
            let sleep_until = match (&closing, wake) {
                (Some((deadline, _)), Some(w)) => Some(w.min(*deadline)),
                (Some((deadline, _)), None) => Some(*deadline),
                (None, w) => w,
            };
            let sleep = async {
                match sleep_until {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                cmd = rx.recv(), if closing.is_none() => match cmd {
                    Some(Cmd::Send(chat, job, priority)) => self.enqueue(chat, job, priority),
                    Some(Cmd::Close(deadline, reply)) => {
                        tracing::info!(queued = self.waiting(), in_flight = self.in_flight, "outbox: sending what is queued before stopping");
                        closing = Some((deadline, reply));
                    }
                    None => closing = Some((Instant::now() + Duration::from_secs(3), tokio::sync::oneshot::channel().0)),
                },
                Some((chat, item, result)) = self.done_rx.recv() => self.finished(chat, item, result),
                _ = sleep => self.wake_due(),
                _ = prune.tick() => {
                    self.per_chat.retain_recent();
                    self.per_group.retain_recent();
                    self.chats.retain(|_, s| s.in_flight || !s.queue.is_empty() || s.scheduled);
                    metrics::gauge!("inm_bot_outbox_queued").set(self.queued.load(Ordering::Relaxed) as f64);
                }
            }
        }
    }

    /// At shutdown: nothing in flight, and every chat with something queued is held past the
    /// deadline (a long `retry_after`), so waiting for the deadline would send nothing.
    fn nothing_to_send_before(&self, deadline: Instant) -> bool {
        self.in_flight == 0
            && (self.ready.is_empty() || self.hold_all.is_some_and(|t| t >= deadline))
            && self.timers.peek().is_none_or(|Reverse((t, _))| *t >= deadline)
    }

    /// Stops at the shutdown deadline; logs and counts what was not sent, and returns how much.
    fn give_up(&mut self) -> usize {
        let dropped = self.queued.load(Ordering::Relaxed);
        if dropped > 0 {
            let chats = self
                .chats
                .values()
                .filter(|s| s.in_flight || !s.queue.is_empty())
                .count();
            let notices = self.notices.len();
            tracing::warn!(
                dropped,
                chats,
                notices,
                in_flight = self.in_flight,
                "shutting down: messages not sent before the deadline are dropped (those in flight may have arrived)"
            );
            metrics::counter!("inm_bot_dropped_total", "kind" => "shutdown").increment(dropped as u64);
        }
        dropped
    }

    fn enqueue(&mut self, chat: ChatId, job: Job, priority: Priority) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let state = self.chats.entry(chat).or_default();
        if let Some(i) = superseded(&state.queue, &job) {
            // The newer edit shows the newer state; it takes the older one's place in the queue.
            state.queue[i].job = job;
            self.queued.fetch_sub(1, Ordering::Relaxed);
            metrics::counter!("inm_bot_dropped_total", "kind" => "superseded").increment(1);
            return;
        }
        if state.queue.len() >= CHAT_QUEUE {
            let v = victim(&state.queue);
            self.drop_queued(chat, v, "chat_queue_full");
        }
        let item = Queued {
            job,
            priority,
            attempt: 0,
            seq,
        };
        self.index(&item).insert((seq, chat));
        let state = self.chats.entry(chat).or_default();
        state.queue.push_back(item);
        if !state.in_flight && !state.scheduled {
            state.scheduled = true;
            self.ready.push_back(chat);
        }
        if self.waiting() > TOTAL_QUEUE {
            let oldest = self.notices.first().or(self.replies.first()).copied();
            if let Some((seq, chat)) = oldest
                && let Some(i) = self
                    .chats
                    .get(&chat)
                    .and_then(|s| s.queue.iter().position(|q| q.seq == seq))
            {
                self.drop_queued(chat, i, "queue_full");
            }
        }
    }

    fn drop_queued(&mut self, chat: ChatId, i: usize, kind: &'static str) {
        let Some(item) = self.chats.get_mut(&chat).and_then(|s| s.queue.remove(i)) else {
            return;
        };
        self.index(&item).remove(&(item.seq, chat));
        self.queued.fetch_sub(1, Ordering::Relaxed);
        let priority = match item.priority {
            Priority::Reply => "reply",
            Priority::Notice => "notice",
        };
        tracing::warn!(
            kind,
            priority,
            "queues are full: the oldest low-value message was dropped"
        );
        metrics::counter!("inm_bot_dropped_total", "kind" => kind).increment(1);
    }

    /// Sends from ready chats while the limits allow; returns when to look again, if a chat waits.
    fn pump(&mut self) -> Option<Instant> {
        let next_timer = |timers: &BinaryHeap<Reverse<(Instant, ChatId)>>, at: Instant| match timers.peek() {
            Some(Reverse((t, _))) => at.min(*t),
            None => at,
        };
        if let Some(until) = self.hold_all {
            if until > Instant::now() {
                return Some(next_timer(&self.timers, until));
            }
            self.hold_all = None;
        }
        let clock = DefaultClock::default();
        while let Some(chat) = self.ready.pop_front() {
            let Some(state) = self.chats.get_mut(&chat) else {
                continue;
            };
            if state.queue.is_empty() || state.in_flight {
                state.scheduled = false;
                continue;
            }
            if self.limits.enabled {
                // The overall limit first: a refused check costs nothing, so the chat at the head
                // can ask again and again. A chat refused by its own limit then wastes one overall
                // slot, which only errs on the slow side.
                if let Err(not_until) = self.global.check() {
                    self.ready.push_front(chat);
                    let at = Instant::now() + not_until.wait_time_from(clock.now());
                    return Some(next_timer(&self.timers, at));
                }
                let chat_limit = if chat.is_user() {
                    &self.per_chat
                } else {
                    &self.per_group
                };
                if let Err(not_until) = chat_limit.check_key(&chat) {
                    let wait = not_until.wait_time_from(clock.now());
                    self.timers.push(Reverse((Instant::now() + wait, chat)));
                    continue;
                }
            }
            let item = state.queue.pop_front().expect("not empty");
            state.in_flight = true;
            state.scheduled = false;
            self.index(&item).remove(&(item.seq, chat));
            self.in_flight += 1;
            let bot = self.bot.clone();
            let done = self.done_tx.clone();
            tokio::spawn(async move {
                let result = perform(&bot, chat, &item.job).await;
                let _ = done.send((chat, item, result));
            });
        }
        self.timers.peek().map(|Reverse((t, _))| *t)
    }

    fn wake_due(&mut self) {
        let now = Instant::now();
        while let Some(Reverse((t, chat))) = self.timers.peek().copied() {
            if t > now {
                break;
            }
            self.timers.pop();
            self.ready.push_back(chat);
        }
    }

    fn finished(&mut self, chat: ChatId, mut item: Queued, result: Result<(), RequestError>) {
        self.in_flight -= 1;
        let retry_at = match result {
            Ok(()) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                None
            }
            Err(RequestError::RetryAfter(secs)) => {
                // Telegram refused it: sending it again cannot make a duplicate.
                let hold = secs.duration().min(HOLD_MAX);
                let now = Instant::now();
                metrics::counter!("inm_bot_errors_total", "kind" => "rate_limited").increment(1);
                match self.signals.rate_limited(now, chat, hold) {
                    Some(all) => {
                        tracing::warn!(
                            seconds = all.as_secs(),
                            "Telegram asked to slow down in several chats at once: holding every chat"
                        );
                        self.hold_all = Some(self.hold_all.map_or(now + all, |t| t.max(now + all)));
                    }
                    None => tracing::warn!(
                        seconds = hold.as_secs(),
                        "Telegram asked to slow down: holding one chat"
                    ),
                }
                Some((item, now + hold))
            }
            Err(e) if retryable(&e) && item.attempt < RETRIES => {
                let backoff = backoff(item.attempt);
                tracing::warn!(error = %e, attempt = item.attempt + 1, "sending failed; retrying");
                metrics::counter!("inm_bot_send_retries_total").increment(1);
                item.attempt += 1;
                Some((item, Instant::now() + backoff))
            }
            Err(e) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                let kind = super::observe::request_error_kind(&e);
                tracing::warn!(error = %e, kind, "a message could not be sent");
                metrics::counter!("inm_bot_errors_total", "kind" => kind).increment(1);
                None
            }
        };
        let retry_at = retry_at.map(|(item, at)| {
            self.index(&item).insert((item.seq, chat));
            if let Some(state) = self.chats.get_mut(&chat) {
                // First again: the chat's order holds.
                state.queue.push_front(item);
            }
            at
        });
        let Some(state) = self.chats.get_mut(&chat) else { return };
        state.in_flight = false;
        if state.queue.is_empty() {
            return;
        }
        state.scheduled = true;
        match retry_at {
            Some(t) => self.timers.push(Reverse((t, chat))),
            None => self.ready.push_back(chat),
        }
    }
}

/// Errors after which the request certainly did not take effect, or Telegram failed inside.
fn retryable(e: &RequestError) -> bool {
    match e {
        RequestError::Network(e) => e.is_connect(),
        RequestError::Api(ApiError::Unknown(text)) => {
            text.contains("Internal Server Error") || text.contains("Bad Gateway")
        }
        RequestError::Io(_) => true,
        _ => false,
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_START.saturating_mul(1 << attempt.min(8)).min(BACKOFF_MAX);
    let jitter = rand::random_range(0.5..1.0);
    base.mul_f64(jitter)
}

async fn perform(bot: &Tg, chat: ChatId, job: &Job) -> Result<(), RequestError> {
    match job {
        Job::Message { html, keyboard } => {
            let mut req = bot.send_message(chat, html).link_preview_options(no_preview());
            if let Some(kb) = keyboard {
                req = req.reply_markup(kb.clone());
            }
            req.await.map(|_| ())
        }
        Job::Venue {
            latitude,
            longitude,
            title,
            address,
        } => bot
            .send_venue(chat, *latitude, *longitude, title, address)
            .await
            .map(|_| ()),
        Job::Edit {
            message,
            html,
            keyboard,
        } => {
            let r = bot
                .edit_message_text(chat, *message, html)
                .reply_markup(keyboard.clone())
                .await;
            match r {
                // Pressing "start over" on an empty checklist changes nothing; Telegram says so.
                Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
                other => other.map(|_| ()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> Job {
        Job::Message {
            html: text.to_string(),
            keyboard: None,
        }
    }

    fn edit(message: i32, text: &str) -> Job {
        Job::Edit {
            message: MessageId(message),
            html: text.to_string(),
            keyboard: InlineKeyboardMarkup::default(),
        }
    }

    fn queued(job: Job, priority: Priority, seq: u64) -> Queued {
        Queued {
            job,
            priority,
            attempt: 0,
            seq,
        }
    }

    fn html(job: &Job) -> &str {
        match job {
            Job::Message { html, .. } | Job::Edit { html, .. } => html,
            Job::Venue { title, .. } => title,
        }
    }

    /// A worker that is never run: enqueueing does not send anything.
    fn worker() -> (Worker, Arc<AtomicUsize>) {
        let bot = Bot::new("1:test")
            .cache_me()
            .parse_mode(teloxide::types::ParseMode::Html);
        let queued = Arc::new(AtomicUsize::new(0));
        (Worker::new(bot, Limits { enabled: true }, queued.clone()), queued)
    }

    /// What `Outbox::send` does, without the channel.
    fn send(w: &mut Worker, chat: i64, job: Job, priority: Priority) {
        w.queued.fetch_add(1, Ordering::Relaxed);
        w.enqueue(ChatId(chat), job, priority);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(0) <= BACKOFF_START);
        assert!(backoff(1) >= BACKOFF_START.mul_f64(0.5 * 2.0));
        assert!(backoff(20) <= BACKOFF_MAX);
        assert!(backoff(20) >= BACKOFF_MAX.mul_f64(0.5));
    }

    #[test]
    fn only_requests_that_cannot_have_arrived_are_retried() {
        assert!(retryable(&RequestError::Api(ApiError::Unknown(
            "Internal Server Error".into()
        ))));
        assert!(!retryable(&RequestError::Api(ApiError::MessageNotModified)));
        assert!(!retryable(&RequestError::Api(ApiError::BotBlocked)));
        assert!(!retryable(&RequestError::InvalidJson {
            source: Arc::new(serde_json::from_str::<u8>("x").unwrap_err()),
            raw: "x".into()
        }));
    }

    #[test]
    fn notices_are_dropped_before_replies() {
        let q: VecDeque<Queued> = [
            queued(message("a"), Priority::Reply, 0),
            queued(message("n"), Priority::Notice, 1),
            queued(message("b"), Priority::Reply, 2),
        ]
        .into();
        assert_eq!(victim(&q), 1);
        let replies: VecDeque<Queued> = [
            queued(message("a"), Priority::Reply, 0),
            queued(message("b"), Priority::Reply, 1),
        ]
        .into();
        assert_eq!(victim(&replies), 0, "else the oldest");
    }

    #[test]
    fn a_newer_edit_of_the_same_message_replaces_a_queued_one() {
        let q: VecDeque<Queued> = [
            queued(edit(7, "old"), Priority::Reply, 0),
            queued(message("m"), Priority::Reply, 1),
        ]
        .into();
        assert_eq!(superseded(&q, &edit(7, "new")), Some(0));
        assert_eq!(superseded(&q, &edit(8, "other message")), None);
        assert_eq!(superseded(&q, &message("m")), None, "messages are never merged");
    }

    #[test]
    fn one_chat_limited_holds_one_chat_several_hold_all() {
        let mut s = Signals::default();
        let t = Instant::now();
        let long = Duration::from_secs(100_000);
        assert_eq!(s.rate_limited(t, ChatId(1), long), None);
        assert_eq!(
            s.rate_limited(t, ChatId(1), long),
            None,
            "the same chat again is still one chat"
        );
        assert_eq!(s.rate_limited(t, ChatId(2), Duration::from_secs(5)), None);
        assert_eq!(
            s.rate_limited(t + Duration::from_millis(500), ChatId(3), Duration::from_secs(7)),
            Some(Duration::from_secs(5)),
            "three chats within a second: everything waits the shortest time asked"
        );
        assert_eq!(s.rate_limited(t + Duration::from_secs(3), ChatId(4), long), None);
        assert_eq!(
            s.rate_limited(t + Duration::from_secs(5), ChatId(5), long),
            None,
            "too far apart"
        );
        assert_eq!(s.rate_limited(t + Duration::from_secs(5), ChatId(6), long), None);
        assert_eq!(
            s.rate_limited(t + Duration::from_secs(5), ChatId(7), long),
            Some(GLOBAL_HOLD_MAX),
            "capped"
        );
    }

    #[tokio::test]
    async fn queues_are_bounded_per_chat_and_overall_and_replies_stay() {
        let (mut w, _) = worker();
        send(&mut w, 1, message("notice"), Priority::Notice);
        for i in 0..CHAT_QUEUE {
            send(&mut w, 1, message(&format!("r{i}")), Priority::Reply);
        }
        let chat = &w.chats[&ChatId(1)].queue;
        assert_eq!(chat.len(), CHAT_QUEUE);
        assert!(
            chat.iter().all(|q| q.priority == Priority::Reply),
            "the notice went first"
        );
        send(&mut w, 1, message("last"), Priority::Reply);
        let chat = &w.chats[&ChatId(1)].queue;
        assert_eq!(html(&chat.front().unwrap().job), "r1", "then the oldest reply");
        assert_eq!(html(&chat.back().unwrap().job), "last");

        // Overall: fill every other chat, with one notice somewhere in the middle.
        let (mut w, q) = worker();
        for i in 0..TOTAL_QUEUE as i64 {
            let p = if i == 5_000 { Priority::Notice } else { Priority::Reply };
            send(&mut w, 100 + i, message("x"), p);
        }
        assert_eq!(w.waiting(), TOTAL_QUEUE);
        send(&mut w, 1, message("one more"), Priority::Reply);
        assert_eq!(w.waiting(), TOTAL_QUEUE);
        assert!(w.notices.is_empty(), "the notice was dropped, not a reply");
        send(&mut w, 2, message("and another"), Priority::Reply);
        assert_eq!(w.waiting(), TOTAL_QUEUE);
        assert!(w.chats[&ChatId(100)].queue.is_empty(), "then the oldest reply");
        assert_eq!(q.load(Ordering::Relaxed), TOTAL_QUEUE, "the shared count agrees");
        assert_eq!(w.ready.len(), TOTAL_QUEUE + 2, "every chat is ready to send");
    }

    #[tokio::test]
    async fn edits_of_one_message_collapse() {
        let (mut w, q) = worker();
        send(&mut w, 1, edit(5, "v1"), Priority::Reply);
        send(&mut w, 1, message("m"), Priority::Reply);
        send(&mut w, 1, edit(5, "v2"), Priority::Reply);
        let texts: Vec<&str> = w.chats[&ChatId(1)].queue.iter().map(|q| html(&q.job)).collect();
        assert_eq!(texts, ["v2", "m"]);
        assert_eq!(q.load(Ordering::Relaxed), 2);
    }
}

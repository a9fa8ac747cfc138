//! Sending within Telegram's limits without making anyone wait for anyone else.
//!
//! Handlers never wait on a rate limit: they put what they send in the outbox and return, so the
//! dispatcher keeps taking updates whatever one chat does. One task sends: at once when the
//! limits allow (about 30 messages a second overall, one a second per chat with a short burst for
//! the parts of a split answer, 20 a minute per group), otherwise as soon as they do. The rate
//! arithmetic is `governor`'s (GCRA). A chat's messages go out in order, one request in flight per
//! chat. A 429 holds back only that chat, for the `retry_after` Telegram gives; a request that
//! never reached the server, or a 5xx, is retried with capped, jittered backoff, then dropped and
//! counted; nothing that may have been delivered is sent again. Queues are bounded: past the bound
//! the oldest low-value message (a flood notice) goes first, and drops are counted.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
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

/// Messages a chat may have queued; past it the oldest low-value one is dropped.
const CHAT_QUEUE: usize = 64;
/// Retries of a request that failed before reaching Telegram, or with a 5xx.
const RETRIES: u32 = 4;
const BACKOFF_START: Duration = Duration::from_millis(200);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A `retry_after` longer than this is capped: the chat is tried again then (and held again if
/// Telegram still says so), so a bogus value cannot park a chat for days.
const HOLD_MAX: Duration = Duration::from_secs(3600);

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
    /// A reply to a command, a question or a button: never dropped for a low one.
    Reply,
    /// A notice (flood control): dropped first.
    Notice,
}

struct Queued {
    job: Job,
    priority: Priority,
    attempt: u32,
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
        }
    }

    /// Messages waiting to be sent.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }

    /// Sends what can be sent within `grace`, then stops; returns how many were dropped.
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
    queued: Arc<AtomicUsize>,
    done_tx: mpsc::UnboundedSender<(ChatId, Queued, Result<(), RequestError>)>,
    done_rx: mpsc::UnboundedReceiver<(ChatId, Queued, Result<(), RequestError>)>,
    in_flight: usize,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl Worker {
    fn new(bot: Tg, limits: Limits, queued: Arc<AtomicUsize>) -> Worker {
        // Overall: one every 34 ms, so that no window of one second holds more than 30.
        let global = Quota::with_period(Duration::from_millis(34))
            .unwrap_or_else(|| Quota::per_second(nz(29)))
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
            queued,
            done_tx,
            done_rx,
            in_flight: 0,
        }
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        let mut closing: Option<(Instant, tokio::sync::oneshot::Sender<usize>)> = None;
        let mut prune = tokio::time::interval(Duration::from_secs(60));
        loop {
            let wake = self.pump();
            if let Some((deadline, _)) = &closing
                && (Instant::now() >= *deadline || (self.in_flight == 0 && self.queued.load(Ordering::Relaxed) == 0))
            {
                let (_, reply) = closing.take().expect("checked");
                let dropped = self.queued.load(Ordering::Relaxed);
                if dropped > 0 {
                    tracing::warn!(dropped, "shutting down: messages not sent before the deadline");
                    metrics::counter!("inm_bot_dropped_total", "kind" => "shutdown").increment(dropped as u64);
                }
                let _ = reply.send(dropped);
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
                    Some(Cmd::Send(chat, job, priority)) => self.enqueue(chat, Queued { job, priority, attempt: 0 }),
                    Some(Cmd::Close(deadline, reply)) => closing = Some((deadline, reply)),
                    None => closing = Some((Instant::now() + Duration::from_secs(3), tokio::sync::oneshot::channel().0)),
                },
                Some((chat, item, result)) = self.done_rx.recv() => self.finished(chat, item, result),
                _ = sleep => self.wake_due(),
                _ = prune.tick() => {
                    self.per_chat.retain_recent();
                    self.per_group.retain_recent();
                    self.chats.retain(|_, s| s.in_flight || !s.queue.is_empty() || s.scheduled);
                }
            }
        }
    }

    fn enqueue(&mut self, chat: ChatId, item: Queued) {
        let state = self.chats.entry(chat).or_default();
        if state.queue.len() >= CHAT_QUEUE {
            let victim = state
                .queue
                .iter()
                .position(|q| q.priority == Priority::Notice)
                .unwrap_or(0);
            state.queue.remove(victim);
            self.queued.fetch_sub(1, Ordering::Relaxed);
            tracing::warn!("a chat's queue is full: its oldest message was dropped");
            metrics::counter!("inm_bot_dropped_total", "kind" => "queue_full").increment(1);
        }
        state.queue.push_back(item);
        if !state.in_flight && !state.scheduled {
            state.scheduled = true;
            self.ready.push_back(chat);
        }
    }

    /// Sends from ready chats while the limits allow; returns when to look again, if a chat waits.
    fn pump(&mut self) -> Option<Instant> {
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
                if let Err(not_until) = self.global.check() {
                    // Nobody may send yet: this chat keeps its place at the front.
                    self.ready.push_front(chat);
                    let at = Instant::now() + not_until.wait_time_from(clock.now());
                    return Some(match self.timers.peek() {
                        Some(Reverse((t, _))) => at.min(*t),
                        None => at,
                    });
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
        let Some(state) = self.chats.get_mut(&chat) else { return };
        state.in_flight = false;
        let retry_at = match result {
            Ok(()) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                None
            }
            Err(RequestError::RetryAfter(secs)) => {
                let hold = secs.duration().min(HOLD_MAX);
                tracing::warn!(
                    seconds = hold.as_secs(),
                    "Telegram asked to slow down: holding one chat"
                );
                metrics::counter!("inm_bot_errors_total", "kind" => "rate_limited").increment(1);
                state.queue.push_front(item);
                Some(Instant::now() + hold)
            }
            Err(e) if retryable(&e) && item.attempt < RETRIES => {
                let backoff = backoff(item.attempt);
                tracing::warn!(error = %e, attempt = item.attempt + 1, "sending failed; retrying");
                item.attempt += 1;
                state.queue.push_front(item);
                Some(Instant::now() + backoff)
            }
            Err(e) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                let kind = super::observe::request_error_kind(&e);
                tracing::warn!(error = %e, kind, "a message could not be sent");
                metrics::counter!("inm_bot_errors_total", "kind" => kind).increment(1);
                None
            }
        };
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

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(0) <= BACKOFF_START);
        assert!(backoff(1) >= BACKOFF_START.mul_f64(0.5 * 2.0));
        assert!(backoff(20) <= BACKOFF_MAX);
    }
}

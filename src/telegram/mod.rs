//! The Telegram front end: commands, free-text answers, interactive checklists saved per user,
//! inline mode, group manners, and a clean start and shutdown. The core decides every `Answer`;
//! this module only turns answers into Telegram messages and buttons.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, CallbackQuery, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InlineQuery, InlineQueryResult,
    InlineQueryResultArticle, InputMessageContent, InputMessageContentText, LinkPreviewOptions, Me, MessageId,
    ParseMode, User,
};
use teloxide::update_listeners::{Polling, webhooks};
use teloxide::utils::command::BotCommands;
use teloxide::{ApiError, RequestError};
use tracing::Instrument;

use crate::engine::{Answer, Engine};
use crate::flood::{Flood, Verdict};
use crate::knowledge::{Lang, Problem, Problems};
use crate::matching;
use crate::render::{self, Format, TELEGRAM_LIMIT};
use crate::store::{Miss, Outcome, Store};

mod handlers;
mod replies;

use handlers::*;
use replies::*;

/// Commands everyone has.
#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Help,
    Hours,
    Address,
    Procedures,
    Checklist(String),
    Advice,
    Language(String),
}

/// Commands only admins have; for anyone else they are unknown commands.
#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum AdminCommand {
    Reload,
    Stats,
}

/// The whole handler tree.
pub fn schema<B: Api>() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(
            Update::filter_message()
                .filter_async(flood_gate::<B>)
                .branch(
                    dptree::filter(|msg: Message, app: Arc<App>| app.is_admin(msg.from.as_ref()))
                        .filter_command::<AdminCommand>()
                        .endpoint(on_admin::<B>),
                )
                .branch(dptree::entry().filter_command::<Command>().endpoint(on_command::<B>))
                .branch(dptree::filter(addressed_to_me).endpoint(on_text::<B>)),
        )
        .branch(Update::filter_callback_query().endpoint(on_callback::<B>))
        .branch(Update::filter_inline_query().endpoint(on_inline::<B>))
}

/// What the handlers need of a bot: teloxide's `Throttle` around the plain `Bot` in production
/// (Telegram's rate limits), the plain `Bot` to measure raw throughput.
pub trait Api:
    Requester<
        Err = RequestError,
        GetMe: Send,
        GetUpdates: Send,
        GetWebhookInfo: Send,
        DeleteWebhook: Send,
        SendMessage: Send,
        SendVenue: Send,
        EditMessageText: Send,
        AnswerCallbackQuery: Send,
        AnswerInlineQuery: Send,
        SetMyCommands: Send,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<
    T: Requester<
            Err = RequestError,
            GetMe: Send,
            GetUpdates: Send,
            GetWebhookInfo: Send,
            DeleteWebhook: Send,
            SendMessage: Send,
            SendVenue: Send,
            EditMessageText: Send,
            AnswerCallbackQuery: Send,
            AnswerInlineQuery: Send,
            SetMyCommands: Send,
        > + Clone
        + Send
        + Sync
        + 'static,
> Api for T
{
}

/// Telegram's limit for callback data.
pub const CALLBACK_LIMIT: usize = 64;

/// How long the bot may take to start answering before a long poll is answered empty.
const POLL_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything `run` needs besides the knowledge base.
pub struct Settings {
    pub token: String,
    pub api_url: Option<url::Url>,
    pub db: PathBuf,
    /// Honour Telegram's rate limits (always, except to measure raw throughput).
    pub throttle: bool,
    /// Longest message to send, in UTF-16 units; longer answers are split. At most 4096.
    pub message_limit: usize,
    /// Where `/reload` and SIGHUP reload the knowledge base from (none: the built-in one).
    pub knowledge_dir: Option<PathBuf>,
    /// Telegram user ids allowed to use /reload and /stats.
    pub admins: HashSet<u64>,
    /// Messages a minute a user may send before being ignored for the rest of it (0: no limit).
    pub flood_limit: u32,
    /// Unanswered questions kept for `inm-bot misses`: at most this many, this many days.
    pub misses_max: usize,
    pub misses_days: u32,
    /// Receive updates by webhook instead of long polling.
    pub webhook: Option<Webhook>,
    /// Serve /healthz and /metrics here.
    pub metrics: Option<SocketAddr>,
}

pub struct Webhook {
    /// The public URL Telegram posts to.
    pub url: url::Url,
    /// The local address to listen on.
    pub listen: SocketAddr,
    /// The local path, when a reverse proxy rewrites it (default: the URL's path).
    pub path: Option<String>,
    /// The secret Telegram must send (default: a random one per start).
    pub secret: Option<String>,
}

/// What every handler shares.
pub struct App {
    engine: RwLock<Arc<Engine>>,
    pub store: Store,
    /// Longest message to send (see `Settings::message_limit`).
    pub message_limit: usize,
    knowledge_dir: Option<PathBuf>,
    admins: HashSet<u64>,
    flood: Flood,
    misses_max: usize,
    misses_days: u32,
    /// Counts and misses not yet written: written in batches (`FLUSH_EVERY`, at /stats and at
    /// shutdown) so that answering never waits on a database write.
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    counts: HashMap<(String, &'static str, String), u64>,
    misses: Vec<Miss>,
}

/// How often pending counts and misses are written to the database.
const FLUSH_EVERY: Duration = Duration::from_secs(5);

impl App {
    /// The knowledge base in use; a reload swaps it without disturbing answers in progress.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reloads the knowledge base; on any problem the running one stays.
    pub async fn reload(&self) -> Result<usize, Problems> {
        let dir = self.knowledge_dir.clone();
        let loaded = tokio::task::spawn_blocking(move || Engine::load(dir.as_deref()))
            .await
            .unwrap_or_else(|e| {
                Err(Problems(vec![Problem::new(
                    "reload",
                    format!("reload task failed: {e}"),
                )]))
            });
        match loaded {
            Ok(engine) => {
                let topics = engine.kb.topics.len();
                *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
                tracing::info!(topics, "knowledge base reloaded");
                Ok(topics)
            }
            Err(problems) => {
                tracing::warn!(problems = %problems, "knowledge base refused; the running one stays");
                Err(problems)
            }
        }
    }

    fn is_admin(&self, user: Option<&User>) -> bool {
        user.is_some_and(|u| self.admins.contains(&u.id.0))
    }

    /// Counts a question and, when it got no confident answer, records its normalised text.
    /// Greetings and thanks are not questions: they are not counted.
    fn record(&self, engine: &Engine, question: &str, answer: &Answer) {
        if matches!(answer, Answer::SmallTalk { .. }) {
            return;
        }
        let now = Utc::now();
        let day = now
            .with_timezone(&engine.calendar.time_zone())
            .format("%Y-%m-%d")
            .to_string();
        let outcome = match answer {
            Answer::Topic { topic, .. } => {
                let id = engine.topic_id(*topic);
                metrics::counter!("inm_bot_answers_total", "topic" => id.to_string()).increment(1);
                Outcome::Answered(id)
            }
            Answer::Suggestions { .. } => {
                metrics::counter!("inm_bot_suggestions_total").increment(1);
                Outcome::Suggested
            }
            Answer::Unknown { .. } | Answer::SmallTalk { .. } => {
                metrics::counter!("inm_bot_none_total").increment(1);
                Outcome::None
            }
        };
        let topic = outcome.topic().to_string();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending.counts.entry((day, outcome.name(), topic)).or_default() += 1;
        if matches!(outcome, Outcome::Answered(_)) || self.misses_max == 0 {
            return;
        }
        let text = matching::normalize(question).join(" ");
        if !text.is_empty() && pending.misses.len() < self.misses_max {
            pending.misses.push(Miss {
                text,
                outcome: outcome.name().to_string(),
                at: now.to_rfc3339(),
            });
        }
    }

    /// Writes pending counts and misses to the database.
    pub fn flush(&self) -> Result<(), crate::store::StoreError> {
        let Pending { counts, misses } = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if !counts.is_empty() {
            let rows: Vec<_> = counts
                .into_iter()
                .map(|((d, o, t), n)| (d, o.to_string(), t, n))
                .collect();
            self.store.add_counts(&rows)?;
        }
        if !misses.is_empty() {
            let oldest = (Utc::now() - chrono::Duration::days(i64::from(self.misses_days))).to_rfc3339();
            self.store.record_misses(&misses, self.misses_max, &oldest)?;
        }
        Ok(())
    }
}

/// The command menu, per language.
fn command_menu(lang: Lang) -> Vec<BotCommand> {
    let list: [(&str, &str, &str); 7] = [
        ("start", "Welcome and main topics", "Bienvenida y temas principales"),
        (
            "hours",
            "Opening hours, open right now?",
            "Horario, ¿está abierto ahora?",
        ),
        ("address", "Address and map", "Dirección y mapa"),
        ("procedures", "Procedures at this office", "Trámites en esta oficina"),
        (
            "checklist",
            "Your checklist for a procedure",
            "Tu lista de requisitos de un trámite",
        ),
        ("advice", "Practical tips", "Consejos prácticos"),
        ("language", "English or Spanish", "Inglés o español"),
    ];
    let mut v: Vec<BotCommand> = list
        .iter()
        .map(|(c, en, es)| {
            BotCommand::new(
                *c,
                match lang {
                    Lang::En => *en,
                    Lang::Es => *es,
                },
            )
        })
        .collect();
    v.push(BotCommand::new(
        "help",
        match lang {
            Lang::En => "What I can do",
            Lang::Es => "Qué puedo hacer",
        },
    ));
    v
}

/// Starts the bot with long polling and runs until SIGINT or SIGTERM.
pub async fn run(engine: Arc<Engine>, settings: Settings) -> anyhow::Result<()> {
    let store = Store::open(&settings.db)?;
    // The HTTP timeout must outlast a long poll.
    let client = teloxide::net::default_reqwest_settings()
        .timeout(POLL_TIMEOUT + Duration::from_secs(10))
        .build()
        .context("building the HTTP client")?;
    let mut bot = Bot::with_client(settings.token, client);
    if let Some(url) = settings.api_url {
        bot = bot.set_api_url(url);
    }
    let bot = bot.cache_me();
    let me = bot
        .get_me()
        .await
        .context("getMe failed (check TELOXIDE_TOKEN, and TELOXIDE_API_URL if set)")?;
    tracing::info!(username = %username(&me), "connected to Telegram");
    if let Some(addr) = settings.metrics {
        crate::metrics::serve(addr)
            .await
            .context("starting the metrics listener")?;
    }
    let app = Arc::new(App {
        engine: RwLock::new(engine),
        store: store.clone(),
        message_limit: settings.message_limit.clamp(1, TELEGRAM_LIMIT),
        knowledge_dir: settings.knowledge_dir,
        admins: settings.admins,
        flood: Flood::new(settings.flood_limit),
        misses_max: settings.misses_max,
        misses_days: settings.misses_days,
        pending: Mutex::new(Pending::default()),
    });
    tokio::spawn(reload_on_sighup(app.clone()));
    tokio::spawn(flush_regularly(app.clone()));
    if settings.throttle {
        dispatch(bot.throttle(Limits::default()), app.clone(), settings.webhook).await?;
    } else {
        dispatch(bot, app.clone(), settings.webhook).await?;
    }
    app.flush()?;
    store.flush()?;
    tracing::info!("stopped");
    Ok(())
}

async fn flush_regularly(app: Arc<App>) {
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    loop {
        tick.tick().await;
        // A batch can take milliseconds: keep it off the threads that answer.
        let app = app.clone();
        match tokio::task::spawn_blocking(move || app.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "writing counts and misses"),
            Err(e) => tracing::warn!(error = %e, "the flush task failed"),
        }
    }
}

async fn reload_on_sighup(app: Arc<App>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the knowledge base");
            let _ = app.reload().await;
        }
    }
}

/// Registers the command menus, then handles updates until SIGINT or SIGTERM.
async fn dispatch<B: Api>(bot: B, app: Arc<App>, webhook: Option<Webhook>) -> anyhow::Result<()> {
    tokio::spawn(register_commands(bot.clone()));
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema::<B>())
        .dependencies(dptree::deps![app])
        .default_handler(|_| async {})
        .error_handler(Arc::new(LogError))
        .build();
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the updates in flight");
        // `shutdown` fails only when dispatching has not started or already stopped.
        if let Ok(done) = shutdown.shutdown() {
            done.await;
        }
    });
    match webhook {
        None => {
            let listener = Polling::builder(bot)
                .timeout(POLL_TIMEOUT)
                .delete_webhook()
                .await
                .build();
            dispatcher.dispatch_with_listener(listener, Arc::new(LogError)).await;
        }
        Some(w) => {
            let mut options = webhooks::Options::new(w.listen, w.url);
            if let Some(path) = w.path {
                options = options.path(path);
            }
            if let Some(secret) = w.secret {
                options = options.secret_token(secret);
            }
            let (listener, stopped, router) = webhooks::axum_to_router(bot, options)
                .await
                .context("setWebhook failed")?;
            let router = router.layer(axum::middleware::map_response(log_rejected));
            let tcp = tokio::net::TcpListener::bind(w.listen)
                .await
                .with_context(|| format!("listening on {}", w.listen))?;
            // Answer Telegram without waiting on Nagle's algorithm.
            let tcp = axum::serve::ListenerExt::tap_io(tcp, |stream| {
                let _ = stream.set_nodelay(true);
            });
            tracing::info!(address = %w.listen, "receiving updates by webhook");
            tokio::spawn(async move {
                if let Err(e) = axum::serve(tcp, router).with_graceful_shutdown(stopped).await {
                    tracing::error!(error = %e, "webhook server stopped");
                }
            });
            dispatcher.dispatch_with_listener(listener, Arc::new(LogError)).await;
        }
    }
    Ok(())
}

/// teloxide answers a webhook call without the right secret with 401; say so in the log.
async fn log_rejected(response: axum::response::Response) -> axum::response::Response {
    if response.status() == axum::http::StatusCode::UNAUTHORIZED {
        tracing::warn!("webhook request without the right secret token refused (401)");
        metrics::counter!("inm_bot_errors_total", "kind" => "webhook_unauthorized").increment(1);
    }
    response
}

/// Lets a message through unless its sender is flooding; tells them once.
async fn flood_gate<B: Api>(bot: B, msg: Message, app: Arc<App>) -> bool {
    let Some(user) = msg.from.as_ref() else { return true };
    match app.flood.check(user.id.0, std::time::Instant::now()) {
        Verdict::Allow => true,
        Verdict::Notice => {
            tracing::info!("flood control: ignoring a user for the rest of the minute");
            metrics::counter!("inm_bot_flood_ignored_total").increment(1);
            let lang = user_lang(&app.store, Some(user));
            let text = match lang {
                Lang::En => "You're sending messages very fast. 🙂 I'll read your next ones in a minute.",
                Lang::Es => "Estás enviando mensajes muy rápido. 🙂 Leeré los siguientes en un minuto.",
            };
            let notice = bot
                .send_message(msg.chat.id, Format::Html.text(text))
                .parse_mode(ParseMode::Html);
            if let Err(e) = notice.await {
                tracing::warn!(error = %e, "sending the flood notice");
            }
            false
        }
        Verdict::Ignore => {
            metrics::counter!("inm_bot_flood_ignored_total").increment(1);
            false
        }
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn register_commands<B: Api>(bot: B) {
    for (code, lang) in [(None, Lang::En), (Some("en"), Lang::En), (Some("es"), Lang::Es)] {
        let mut req = bot.set_my_commands(command_menu(lang));
        if let Some(code) = code {
            req = req.language_code(code);
        }
        if let Err(e) = req.await {
            tracing::warn!(error = %e, language = code.unwrap_or("default"), "setMyCommands failed");
        }
    }
}

/// Runs a handler inside a span for its update (id, chat kind; the text handler adds the topic
/// and score), logs the handling time and feeds the metrics.
async fn observe(upd: &Update, handler: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let chat = match upd.chat() {
        Some(c) if c.is_private() => "private",
        Some(c) if c.is_group() || c.is_supergroup() => "group",
        Some(_) => "channel",
        None => "none",
    };
    let span = tracing::info_span!(
        "update",
        id = upd.id.0,
        chat,
        topic = tracing::field::Empty,
        score = tracing::field::Empty
    );
    let start = std::time::Instant::now();
    let result = handler.instrument(span.clone()).await;
    let elapsed = start.elapsed();
    metrics::counter!("inm_bot_updates_total").increment(1);
    metrics::histogram!("inm_bot_handling_seconds").record(elapsed.as_secs_f64());
    if let Err(e) = &result {
        metrics::counter!("inm_bot_errors_total", "kind" => error_kind(e)).increment(1);
    }
    span.in_scope(|| tracing::info!(ms = elapsed.as_secs_f64() * 1000.0, ok = result.is_ok(), "handled"));
    result
}

fn error_kind(e: &anyhow::Error) -> &'static str {
    match e.downcast_ref::<RequestError>() {
        Some(RequestError::Api(_)) => "telegram_api",
        Some(RequestError::RetryAfter(_)) => "rate_limited",
        Some(RequestError::Network(_)) => "network",
        Some(RequestError::InvalidJson { .. }) => "invalid_json",
        Some(_) => "telegram_other",
        None if e.downcast_ref::<crate::store::StoreError>().is_some() => "database",
        None => "other",
    }
}

/// Logs handler and listener errors; the dispatcher keeps going.
struct LogError;

impl<E: std::fmt::Display + Send + Sync + 'static> teloxide::error_handlers::ErrorHandler<E> for LogError {
    fn handle_error(self: Arc<Self>, error: E) -> futures_util::future::BoxFuture<'static, ()> {
        // Display, never Debug: teloxide hides the token in the errors' URLs it displays.
        tracing::warn!(error = %error, "update failed");
        Box::pin(async {})
    }
}

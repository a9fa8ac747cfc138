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
use crate::knowledge::{Lang, Problems};
use crate::matching;
use crate::render::{self, Format, TELEGRAM_LIMIT};
use crate::store::{Miss, Outcome, Store};

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

/// Topics offered on /start and when nothing matched.
const MENU: &[&str] = &["hours", "address", "appointment", "documents", "procedures", "advice"];

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
            .unwrap_or_else(|e| Err(Problems(vec![problem(format!("reload task failed: {e}"))])));
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
    fn record(&self, engine: &Engine, question: &str, answer: &Answer) {
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
            Answer::Unknown { .. } => {
                metrics::counter!("inm_bot_none_total").increment(1);
                Outcome::None
            }
        };
        let topic = match outcome {
            Outcome::Answered(t) => t.to_string(),
            _ => String::new(),
        };
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

fn problem(message: String) -> crate::knowledge::Problem {
    crate::knowledge::Problem {
        file: "reload".into(),
        line: None,
        column: None,
        message,
    }
}

/// Commands only admins have; for anyone else they are unknown commands.
#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum AdminCommand {
    Reload,
    Stats,
}

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

async fn on_admin<B: Api>(bot: B, msg: Message, cmd: AdminCommand, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, admin_reply(bot, msg, cmd, app)).await
}

async fn admin_reply<B: Api>(bot: B, msg: Message, cmd: AdminCommand, app: Arc<App>) -> anyhow::Result<()> {
    let text = match cmd {
        AdminCommand::Reload => match app.reload().await {
            Ok(topics) => format!("✅ Knowledge base reloaded: {topics} topics."),
            Err(problems) => format!("❌ Reload refused, the running knowledge base stays.\n\n{problems}"),
        },
        AdminCommand::Stats => {
            app.flush()?;
            let engine = app.engine();
            let today = Utc::now()
                .with_timezone(&engine.calendar.time_zone())
                .format("%Y-%m-%d")
                .to_string();
            let st = app.store.stats(&today, 5)?;
            let none_rate = if st.total == 0 {
                0.0
            } else {
                st.none as f64 * 100.0 / st.total as f64
            };
            let mut out = format!(
                "📊 Questions today: {}\nIn total: {} (answered {}, suggestions {}, none {}: {none_rate:.1}% none)\n\nTop topics:",
                st.today, st.total, st.answered, st.suggested, st.none
            );
            for (topic, n) in &st.top_topics {
                out.push_str(&format!("\n• {topic}: {n}"));
            }
            let since = (Utc::now() - chrono::Duration::days(30)).to_rfc3339();
            let groups = crate::misses::group(&engine.matcher, &app.store.misses(&since)?);
            out.push_str("\n\nTop unanswered (30 days):");
            if groups.is_empty() {
                out.push_str("\n• none");
            }
            for g in groups.iter().take(5) {
                out.push_str(&format!(
                    "\n• {} × \"{}\"",
                    g.count,
                    g.examples.first().map_or("", String::as_str)
                ));
            }
            out
        }
    };
    send(
        &bot,
        msg.chat.id,
        Reply::text(Format::Html.text(&text)),
        app.message_limit,
    )
    .await?;
    Ok(())
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

/// A message to send: Telegram HTML and optional buttons.
struct Reply {
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
}

impl Reply {
    fn text(html: String) -> Self {
        Reply { html, keyboard: None }
    }
    fn with(html: String, keyboard: InlineKeyboardMarkup) -> Self {
        Reply {
            html,
            keyboard: Some(keyboard),
        }
    }
}

/// Sends a reply, split under Telegram's limit; the buttons go with the last part.
async fn send<B: Api>(bot: &B, chat: ChatId, reply: Reply, limit: usize) -> Result<(), RequestError> {
    let parts = render::split_html(&reply.html, limit);
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        let mut req = bot
            .send_message(chat, part)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if i + 1 == n
            && let Some(kb) = &reply.keyboard
        {
            req = req.reply_markup(kb.clone());
        }
        req.await?;
    }
    Ok(())
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// A callback button; data longer than Telegram allows is a bug in this module.
fn button(text: impl Into<String>, data: String) -> InlineKeyboardButton {
    debug_assert!(data.len() <= CALLBACK_LIMIT, "callback data too long: {data}");
    InlineKeyboardButton::callback(text, data)
}

/// The user's language: their /language choice, else Telegram's `language_code`, else English.
fn user_lang(store: &Store, user: Option<&User>) -> Lang {
    let Some(user) = user else { return Lang::En };
    match store.language(user.id.0) {
        Ok(Some(l)) => l,
        Ok(None) => user
            .language_code
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En),
        Err(e) => {
            tracing::warn!(error = %e, "reading the language preference");
            user.language_code
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::En)
        }
    }
}

fn menu_keyboard(engine: &Engine, lang: Lang) -> InlineKeyboardMarkup {
    let buttons: Vec<_> = MENU
        .iter()
        .filter_map(|id| engine.kb.topic(id))
        .map(|t| button(t.title.get(lang).clone(), format!("t:{}", t.id)))
        .collect();
    InlineKeyboardMarkup::new(buttons.chunks(2).map(|c| c.to_vec()).collect::<Vec<_>>())
}

/// Buttons under a topic's answer: its checklist, then related topics.
fn topic_keyboard(engine: &Engine, topic: usize, lang: Lang, me: &Me, private: bool) -> Option<InlineKeyboardMarkup> {
    let t = &engine.kb.topics[topic];
    let mut rows = Vec::new();
    if !t.checklist.is_empty() {
        let label = match lang {
            Lang::En => "📋 My checklist",
            Lang::Es => "📋 Mi lista",
        };
        rows.push(vec![checklist_button(label.to_string(), &t.id, me, private)]);
    }
    let related: Vec<_> = t
        .related
        .iter()
        .filter_map(|id| engine.kb.topic(id))
        .take(3)
        .map(|r| button(r.title.get(lang).clone(), format!("t:{}", r.id)))
        .collect();
    if !related.is_empty() {
        rows.push(related);
    }
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// In a private chat the checklist opens in place; in a group it opens in the private chat, since
/// progress is personal.
fn checklist_button(label: String, topic: &str, me: &Me, private: bool) -> InlineKeyboardButton {
    if private {
        button(label, format!("c:{topic}"))
    } else {
        InlineKeyboardButton::url(label, deep_link(me, &format!("cl_{topic}")))
    }
}

/// Telegram bots always have a username; a misbehaving server must not make us panic.
fn username(me: &Me) -> &str {
    me.user.username.as_deref().unwrap_or("")
}

fn deep_link(me: &Me, payload: &str) -> url::Url {
    let base = format!("https://t.me/{}", username(me));
    let mut url = url::Url::parse(&base).unwrap_or_else(|_| url::Url::parse("https://t.me/").expect("valid url"));
    url.query_pairs_mut().append_pair("start", payload);
    url
}

fn topic_reply(engine: &Engine, topic: usize, lang: Lang, me: &Me, private: bool) -> Reply {
    let html = render::topic(engine, topic, lang, Utc::now(), Format::Html, false);
    Reply {
        html,
        keyboard: topic_keyboard(engine, topic, lang, me, private),
    }
}

fn checklist_text(engine: &Engine, topic: usize, lang: Lang, ticked: usize) -> String {
    let t = &engine.kb.topics[topic];
    let hint = match lang {
        Lang::En => "Tap an item when you have it ready.",
        Lang::Es => "Toca cada punto cuando lo tengas listo.",
    };
    format!(
        "{}\n{}\n\n{}",
        Format::Html.bold(&format!("📋 {}", t.title.get(lang))),
        Format::Html.text(&render::progress(ticked, t.checklist.len(), lang)),
        Format::Html.italic(hint)
    )
}

fn checklist_keyboard(
    engine: &Engine,
    topic: usize,
    lang: Lang,
    ticked: &std::collections::BTreeSet<String>,
) -> InlineKeyboardMarkup {
    let t = &engine.kb.topics[topic];
    let mut rows: Vec<Vec<InlineKeyboardButton>> = t
        .checklist
        .iter()
        .map(|item| {
            let mark = if ticked.contains(&item.id) { "✅" } else { "☐" };
            vec![button(
                format!("{mark} {}", item.text(lang)),
                format!("x:{}:{}", t.id, item.id),
            )]
        })
        .collect();
    let reset = match lang {
        Lang::En => "↺ Start over",
        Lang::Es => "↺ Empezar de nuevo",
    };
    rows.push(vec![button(reset, format!("r:{}", t.id))]);
    InlineKeyboardMarkup::new(rows)
}

fn checklist_reply(engine: &Engine, store: &Store, user: u64, topic: usize, lang: Lang) -> anyhow::Result<Reply> {
    let ticked = store.ticked(user, &engine.kb.topics[topic].id)?;
    Ok(Reply::with(
        checklist_text(engine, topic, lang, ticked.len()),
        checklist_keyboard(engine, topic, lang, &ticked),
    ))
}

fn procedures_keyboard(engine: &Engine, lang: Lang, prefix: &str, me: &Me, private: bool) -> InlineKeyboardMarkup {
    let rows = engine
        .checklist_topics()
        .into_iter()
        .map(|t| {
            let topic = &engine.kb.topics[t];
            let label = topic.title.get(lang).clone();
            if prefix == "c" {
                vec![checklist_button(label, &topic.id, me, private)]
            } else {
                vec![button(label, format!("{prefix}:{}", topic.id))]
            }
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

fn language_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button("🇬🇧 English", "l:en".to_string()),
        button("🇲🇽 Español", "l:es".to_string()),
    ]])
}

fn welcome(lang: Lang) -> String {
    Format::Html.text(match lang {
        Lang::En => {
            "👋 Hi! I answer questions about the INM immigration office in Mexico City (Polanco): opening hours, address, appointments, what to bring and procedures. Ask in English or Spanish, in your own words, or pick a topic."
        }
        Lang::Es => {
            "👋 ¡Hola! Respondo preguntas sobre la oficina del INM en la Ciudad de México (Polanco): horario, dirección, citas, qué llevar y trámites. Pregunta en español o inglés, con tus palabras, o elige un tema."
        }
    })
}

fn help(lang: Lang) -> String {
    let text = match lang {
        Lang::En => {
            "Ask me a question, for example \"what time do you open?\", \"how do I renew my card?\" or \"donde esta la oficina\".\n\n/hours: opening hours, open right now?\n/address: address and map\n/procedures: procedures at this office\n/checklist: your checklist for a procedure\n/advice: practical tips\n/language: English or Spanish\n\nIn any chat you can also type @ and my name followed by a question."
        }
        Lang::Es => {
            "Hazme una pregunta, por ejemplo \"¿a qué hora abren?\", \"¿cómo renuevo mi tarjeta?\" o \"where is the office\".\n\n/hours: horario, ¿está abierto ahora?\n/address: dirección y mapa\n/procedures: trámites en esta oficina\n/checklist: tu lista de requisitos de un trámite\n/advice: consejos prácticos\n/language: inglés o español\n\nEn cualquier chat también puedes escribir @ y mi nombre seguido de una pregunta."
        }
    };
    Format::Html.text(text)
}

async fn on_command<B: Api>(
    bot: B,
    msg: Message,
    cmd: Command,
    me: Me,
    app: Arc<App>,
    upd: Update,
) -> anyhow::Result<()> {
    observe(&upd, command_reply(bot, msg, cmd, me, app)).await
}

async fn command_reply<B: Api>(bot: B, msg: Message, cmd: Command, me: Me, app: Arc<App>) -> anyhow::Result<()> {
    let engine = app.engine();
    let (engine, store, limit) = (&*engine, &app.store, app.message_limit);
    let lang = user_lang(store, msg.from.as_ref());
    let private = msg.chat.is_private();
    let chat = msg.chat.id;
    let user = msg.from.as_ref().map(|u| u.id.0);
    tracing::debug!(command = ?cmd, private, "command");
    let topic_by_id = |id: &str| engine.kb.topic_index(id);
    let reply = match cmd {
        Command::Start(payload) => {
            let payload = payload.trim();
            if let Some(id) = payload.strip_prefix("cl_")
                && let (Some(t), Some(user)) = (engine.kb.topic_index(id), user)
                && !engine.kb.topics[t].checklist.is_empty()
                && private
            {
                checklist_reply(engine, store, user, t, lang)?
            } else if let Some(t) = topic_by_id(payload) {
                topic_reply(engine, t, lang, &me, private)
            } else {
                Reply::with(welcome(lang), menu_keyboard(engine, lang))
            }
        }
        Command::Help => Reply::text(help(lang)),
        Command::Hours | Command::Advice | Command::Procedures => {
            let id = match cmd {
                Command::Hours => "hours",
                Command::Advice => "advice",
                _ => "procedures",
            };
            match topic_by_id(id) {
                Some(t) if id == "procedures" => {
                    let html = render::topic(engine, t, lang, Utc::now(), Format::Html, false);
                    Reply::with(html, procedures_keyboard(engine, lang, "t", &me, private))
                }
                Some(t) => topic_reply(engine, t, lang, &me, private),
                None => Reply::text(render::unknown(lang, Format::Html)),
            }
        }
        Command::Address => {
            let Some(t) = topic_by_id("address") else {
                return Ok(send(&bot, chat, Reply::text(render::unknown(lang, Format::Html)), limit).await?);
            };
            send(&bot, chat, topic_reply(engine, t, lang, &me, private), limit).await?;
            if let Some(pin) = &engine.kb.office.pin {
                let mut title = engine.kb.office.name.get(lang).clone();
                if pin.approximate {
                    title.push_str(match lang {
                        Lang::En => " (approximate pin)",
                        Lang::Es => " (ubicación aproximada)",
                    });
                }
                bot.send_venue(
                    chat,
                    pin.latitude,
                    pin.longitude,
                    title,
                    engine.kb.office.address.clone(),
                )
                .await?;
            }
            return Ok(());
        }
        Command::Checklist(arg) => {
            let found = if arg.trim().is_empty() {
                None
            } else {
                engine.find_checklist(&arg, Some(lang))
            };
            match (found, user) {
                (Some(t), Some(user)) if private => checklist_reply(engine, store, user, t, lang)?,
                (Some(t), _) => {
                    let label = format!("📋 {}", engine.kb.topics[t].title.get(lang));
                    let kb = InlineKeyboardMarkup::new(vec![vec![checklist_button(
                        label,
                        &engine.kb.topics[t].id,
                        &me,
                        false,
                    )]]);
                    Reply::with(Format::Html.text(checklists_open_privately(lang)), kb)
                }
                (None, _) => {
                    let title = match (lang, private) {
                        (_, false) => checklists_open_privately(lang),
                        (Lang::En, true) => "Which procedure?",
                        (Lang::Es, true) => "¿Qué trámite?",
                    };
                    Reply::with(
                        Format::Html.text(title),
                        procedures_keyboard(engine, lang, "c", &me, private),
                    )
                }
            }
        }
        Command::Language(arg) => match (arg.trim().parse::<Lang>(), user) {
            (Ok(l), Some(user)) => {
                store.set_language(user, l)?;
                Reply::text(language_set(l))
            }
            _ => Reply::with(
                Format::Html.text("English or Spanish? / ¿Inglés o español?"),
                language_keyboard(),
            ),
        },
    };
    send(&bot, chat, reply, limit).await?;
    Ok(())
}

fn checklists_open_privately(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Checklists are personal: I'll open yours in a private chat.",
        Lang::Es => "Las listas son personales: abro la tuya en un chat privado.",
    }
}

fn language_set(lang: Lang) -> String {
    match lang {
        Lang::En => "✅ I'll answer in English. (I still reply in the language of each question.)".to_string(),
        Lang::Es => "✅ Te responderé en español. (Igual contesto en el idioma de cada pregunta.)".to_string(),
    }
}

/// In a private chat every message is for the bot; in a group only those that mention it or
/// reply to it (and unknown commands addressed to it by name).
fn addressed_to_me(msg: Message, me: Me) -> bool {
    if msg.chat.is_private() {
        return true;
    }
    let Some(text) = msg.text() else { return false };
    let mention = format!("@{}", username(&me)).to_lowercase();
    (mention.len() > 1 && text.to_lowercase().contains(&mention))
        || msg
            .reply_to_message()
            .and_then(|m| m.from.as_ref())
            .is_some_and(|u| u.id == me.user.id)
}

async fn on_text<B: Api>(bot: B, msg: Message, me: Me, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, text_reply(bot, msg, me, app)).await
}

async fn text_reply<B: Api>(bot: B, msg: Message, me: Me, app: Arc<App>) -> anyhow::Result<()> {
    let engine = app.engine();
    let (engine, store, limit) = (&*engine, &app.store, app.message_limit);
    let lang = user_lang(store, msg.from.as_ref());
    let private = msg.chat.is_private();
    let Some(text) = msg.text() else {
        let reply = match lang {
            Lang::En => "I can only read text: type your question. 🙂",
            Lang::Es => "Sólo leo texto: escribe tu pregunta. 🙂",
        };
        send(&bot, msg.chat.id, Reply::text(Format::Html.text(reply)), limit).await?;
        return Ok(());
    };
    if text.starts_with('/') {
        let reply = match lang {
            Lang::En => "I don't know that command. /help lists what I can do.",
            Lang::Es => "No conozco ese comando. /help muestra lo que puedo hacer.",
        };
        send(&bot, msg.chat.id, Reply::text(Format::Html.text(reply)), limit).await?;
        return Ok(());
    }
    let question = strip_mention(text, username(&me));
    tracing::debug!(question = %question, "question");
    let answer = engine.ask(&question, Some(lang));
    let span = tracing::Span::current();
    match &answer {
        Answer::Topic { topic, score, .. } => {
            span.record("topic", engine.topic_id(*topic));
            span.record("score", *score);
        }
        Answer::Suggestions { score, .. } => {
            span.record("topic", "(suggestions)");
            span.record("score", *score);
        }
        Answer::Unknown { .. } => {
            span.record("topic", "(none)");
        }
    }
    app.record(engine, &question, &answer);
    let reply = match answer {
        Answer::Topic { topic, lang, .. } => topic_reply(engine, topic, lang, &me, private),
        Answer::Suggestions { topics, lang, .. } => {
            let rows = topics
                .iter()
                .map(|&t| {
                    vec![button(
                        engine.kb.topics[t].title.get(lang).clone(),
                        format!("t:{}", engine.topic_id(t)),
                    )]
                })
                .collect::<Vec<_>>();
            Reply::with(
                Format::Html.text(render::did_you_mean(lang)),
                InlineKeyboardMarkup::new(rows),
            )
        }
        Answer::Unknown { lang } => Reply::with(render::unknown(lang, Format::Html), menu_keyboard(engine, lang)),
    };
    send(&bot, msg.chat.id, reply, limit).await?;
    Ok(())
}

fn strip_mention(text: &str, username: &str) -> String {
    let mention = format!("@{username}");
    let lower = text.to_lowercase();
    match lower.find(&mention.to_lowercase()) {
        // Lower-casing can change byte lengths outside ASCII; only strip when offsets agree.
        Some(i)
            if text.is_char_boundary(i) && text.is_char_boundary(i + mention.len()) && lower.len() == text.len() =>
        {
            format!("{} {}", &text[..i], &text[i + mention.len()..])
        }
        _ => text.to_string(),
    }
}

/// What a callback button asks for.
#[derive(Debug, PartialEq)]
enum Action<'a> {
    Topic(&'a str),
    Checklist(&'a str),
    Toggle(&'a str, &'a str),
    Reset(&'a str),
    Language(Lang),
}

fn parse_callback(data: &str) -> Option<Action<'_>> {
    let (kind, rest) = data.split_once(':')?;
    match kind {
        "t" => Some(Action::Topic(rest)),
        "c" => Some(Action::Checklist(rest)),
        "x" => rest.split_once(':').map(|(t, i)| Action::Toggle(t, i)),
        "r" => Some(Action::Reset(rest)),
        "l" => Lang::from_code(rest).map(Action::Language),
        _ => None,
    }
}

async fn on_callback<B: Api>(bot: B, q: CallbackQuery, me: Me, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, callback_reply(bot, q, me, app)).await
}

async fn callback_reply<B: Api>(bot: B, q: CallbackQuery, me: Me, app: Arc<App>) -> anyhow::Result<()> {
    let store = &app.store;
    let result = handle_callback(&bot, &q, &me, &app).await;
    // Every callback is answered, even when handling it failed, so the button stops spinning.
    let lang = user_lang(store, Some(&q.from));
    let mut answer = bot.answer_callback_query(q.id.clone());
    match &result {
        Ok(true) => {}
        Ok(false) => {
            answer = answer.text(match lang {
                Lang::En => "This button is out of date. Send /start for a fresh menu.",
                Lang::Es => "Este botón ya no es válido. Envía /start para ver el menú.",
            })
        }
        Err(_) => {
            answer = answer.text(match lang {
                Lang::En => "Sorry, something went wrong. Please try again.",
                Lang::Es => "Perdón, algo falló. Inténtalo de nuevo.",
            })
        }
    }
    let answered = answer.await;
    result?;
    answered?;
    Ok(())
}

/// Handles a button press; `Ok(false)` for data that is unknown or no longer valid.
async fn handle_callback<B: Api>(bot: &B, q: &CallbackQuery, me: &Me, app: &App) -> anyhow::Result<bool> {
    let engine = app.engine();
    let (engine, store, limit) = (&*engine, &app.store, app.message_limit);
    let Some(action) = q.data.as_deref().and_then(parse_callback) else {
        return Ok(false);
    };
    let Some(msg) = q.regular_message() else {
        return Ok(false);
    };
    let lang = user_lang(store, Some(&q.from));
    let user = q.from.id.0;
    let private = msg.chat.is_private();
    let chat = msg.chat.id;
    match action {
        Action::Topic(id) => {
            let Some(t) = engine.kb.topic_index(id) else {
                return Ok(false);
            };
            send(bot, chat, topic_reply(engine, t, lang, me, private), limit).await?;
        }
        Action::Checklist(id) => {
            let Some(t) = engine
                .kb
                .topic_index(id)
                .filter(|&t| !engine.kb.topics[t].checklist.is_empty())
            else {
                return Ok(false);
            };
            send(bot, chat, checklist_reply(engine, store, user, t, lang)?, limit).await?;
        }
        Action::Toggle(id, item) => {
            let Some(t) = engine.kb.topic_index(id) else {
                return Ok(false);
            };
            if !engine.kb.topics[t].checklist.iter().any(|i| i.id == item) {
                return Ok(false);
            }
            let ticked = store.toggle(user, id, item)?;
            edit(
                bot,
                chat,
                msg.id,
                checklist_text(engine, t, lang, ticked.len()),
                checklist_keyboard(engine, t, lang, &ticked),
            )
            .await?;
        }
        Action::Reset(id) => {
            let Some(t) = engine
                .kb
                .topic_index(id)
                .filter(|&t| !engine.kb.topics[t].checklist.is_empty())
            else {
                return Ok(false);
            };
            store.reset(user, id)?;
            let none = Default::default();
            edit(
                bot,
                chat,
                msg.id,
                checklist_text(engine, t, lang, 0),
                checklist_keyboard(engine, t, lang, &none),
            )
            .await?;
        }
        Action::Language(l) => {
            store.set_language(user, l)?;
            let edited = bot
                .edit_message_text(chat, msg.id, language_set(l))
                .parse_mode(ParseMode::Html)
                .await;
            ignore_not_modified(edited.map(|_| ()))?;
        }
    }
    Ok(true)
}

async fn edit<B: Api>(
    bot: &B,
    chat: ChatId,
    id: MessageId,
    html: String,
    keyboard: InlineKeyboardMarkup,
) -> Result<(), RequestError> {
    let r = bot
        .edit_message_text(chat, id, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await;
    ignore_not_modified(r.map(|_| ()))
}

/// Pressing "start over" on an empty checklist changes nothing, which Telegram reports as an error.
fn ignore_not_modified(r: Result<(), RequestError>) -> Result<(), RequestError> {
    match r {
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        other => other,
    }
}

async fn on_inline<B: Api>(bot: B, q: InlineQuery, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, inline_reply(bot, q, app)).await
}

async fn inline_reply<B: Api>(bot: B, q: InlineQuery, app: Arc<App>) -> anyhow::Result<()> {
    let engine = app.engine();
    let (engine, store) = (&*engine, &app.store);
    let hint = user_lang(store, Some(&q.from));
    let (topics, lang): (Vec<usize>, Lang) = if q.query.trim().is_empty() {
        (
            MENU.iter().filter_map(|id| engine.kb.topic_index(id)).take(5).collect(),
            hint,
        )
    } else {
        let m = engine.matcher.find(&q.query, Some(hint));
        let topics = m
            .best
            .into_iter()
            .chain(m.runner_ups)
            .map(|s| s.topic)
            .take(5)
            .collect();
        (topics, m.lang)
    };
    let now = Utc::now();
    let results: Vec<InlineQueryResult> = topics
        .into_iter()
        .map(|t| {
            let topic = &engine.kb.topics[t];
            let html = render::topic(engine, t, lang, now, Format::Html, false);
            let plain = render::fill(engine, topic.answer.get(lang), lang, now);
            let description: String = plain
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(100)
                .collect();
            InlineQueryResult::Article(
                InlineQueryResultArticle::new(
                    topic.id.clone(),
                    topic.title.get(lang).clone(),
                    InputMessageContent::Text(
                        InputMessageContentText::new(html)
                            .parse_mode(ParseMode::Html)
                            .link_preview_options(no_preview()),
                    ),
                )
                .description(description),
            )
        })
        .collect();
    // Short cache: the hours answer says whether the office is open right now.
    bot.answer_inline_query(q.id, results).cache_time(60).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_data_round_trips_and_fits() {
        let engine = Engine::embedded().unwrap();
        for t in &engine.kb.topics {
            for item in &t.checklist {
                let data = format!("x:{}:{}", t.id, item.id);
                assert!(data.len() <= CALLBACK_LIMIT, "{data}");
                assert_eq!(parse_callback(&data), Some(Action::Toggle(&t.id, &item.id)));
            }
        }
        assert_eq!(parse_callback("l:es"), Some(Action::Language(Lang::Es)));
        assert_eq!(parse_callback("garbage"), None);
        assert_eq!(parse_callback("l:fr"), None);
        assert_eq!(parse_callback("z:1"), None);
    }

    #[test]
    fn commands_parse_with_and_without_arguments() {
        assert_eq!(
            Command::parse("/start canje", "inmbot").unwrap(),
            Command::Start("canje".into())
        );
        assert_eq!(
            Command::parse("/start", "inmbot").unwrap(),
            Command::Start(String::new())
        );
        assert_eq!(Command::parse("/hours@inmbot", "inmbot").unwrap(), Command::Hours);
        assert!(Command::parse("/hours@otherbot", "inmbot").is_err());
    }

    #[test]
    fn mentions_are_stripped() {
        assert_eq!(strip_mention("@InmBot what time?", "inmbot").trim(), "what time?");
        assert_eq!(strip_mention("hola", "inmbot"), "hola");
    }
}

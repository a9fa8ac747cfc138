//! The Telegram front end: commands, free-text answers, interactive checklists saved per user,
//! inline mode, group manners, and a clean start and shutdown. The core decides every `Answer`;
//! this module only turns answers into Telegram messages and buttons.
//!
//! The whole handler tree is `schema` below. `handlers` has its endpoints, `replies` builds
//! messages and buttons, `app` is the state they share, `outbox` sends within Telegram's limits
//! without making any chat wait for another, and `observe` is the one instrumentation step
//! (tracing span, metrics) every update goes through.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use teloxide::adaptors::{CacheMe, DefaultParseMode};
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, ParseMode};
use teloxide::update_listeners::{Polling, webhooks};
use teloxide::utils::command::BotCommands;

use crate::answer::Engine;
use crate::knowledge::Lang;
use crate::ops::store::Store;
use crate::ui::{self, Where};

mod app;
mod connect;
mod handlers;
mod observe;
mod outbox;
mod replies;

pub use app::{App, AppSettings};
use observe::{LogError, observe};
use outbox::{Limits, Outbox};

/// The bot as the handlers use it: `getMe` cached, every message in HTML parse mode.
pub type Tg = DefaultParseMode<CacheMe<Bot>>;

/// Commands everyone has (their descriptions are in `ui::COMMANDS`).
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
pub fn schema() -> UpdateHandler<anyhow::Error> {
    use dptree::case;
    let commands = teloxide::filter_command::<Command, _>()
        .branch(case![Command::Start(payload)].endpoint(handlers::start))
        .branch(case![Command::Help].endpoint(handlers::help_command))
        .branch(case![Command::Hours].endpoint(handlers::hours))
        .branch(case![Command::Address].endpoint(handlers::address))
        .branch(case![Command::Procedures].endpoint(handlers::procedures))
        .branch(case![Command::Checklist(arg)].endpoint(handlers::checklist))
        .branch(case![Command::Advice].endpoint(handlers::advice))
        .branch(case![Command::Language(arg)].endpoint(handlers::language));
    let admin = dptree::filter(|msg: Message, app: Arc<App>| app.is_admin(msg.from.as_ref()))
        .filter_command::<AdminCommand>()
        .endpoint(handlers::admin);
    let messages = Update::filter_message()
        .filter(handlers::flood_gate)
        .branch(admin)
        .branch(commands)
        .branch(dptree::filter(handlers::addressed_to_me).endpoint(handlers::text));
    observe()
        .branch(messages)
        .branch(Update::filter_callback_query().endpoint(handlers::callback))
        .branch(Update::filter_inline_query().endpoint(handlers::inline))
}

/// Telegram's limit for callback data.
pub const CALLBACK_LIMIT: usize = 64;

/// How long the bot may take to start answering before a long poll is answered empty.
const POLL_TIMEOUT: Duration = Duration::from_secs(10);
/// At shutdown, how long queued messages may still be sent.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// How often pending counts and misses are written to the database.
const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Everything `run` needs besides the knowledge base.
pub struct Settings {
    pub token: String,
    pub api_url: Option<url::Url>,
    pub db: PathBuf,
    /// Honour Telegram's rate limits (always, except to measure raw throughput).
    pub throttle: bool,
    /// What the handlers' shared state is set up with.
    pub app: AppSettings,
    /// Receive updates by webhook instead of long polling.
    pub webhook: Option<Webhook>,
    /// Serve /healthz and /metrics here.
    pub metrics: Option<SocketAddr>,
    /// How many times to try reaching the Bot API at start (with backoff) before giving up.
    pub start_tries: u32,
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

/// The command menu of a language, from `ui::COMMANDS`.
fn command_menu(lang: Lang) -> Vec<BotCommand> {
    let mut menu: Vec<BotCommand> = ui::commands(Where::Telegram)
        .filter(|c| c.name != "help")
        .map(|c| BotCommand::new(c.name, *c.about.get(lang)))
        .collect();
    // Help goes last, as users expect.
    menu.extend(
        ui::commands(Where::Telegram)
            .filter(|c| c.name == "help")
            .map(|c| BotCommand::new(c.name, *c.about.get(lang))),
    );
    menu
}

/// Starts the bot with long polling (or a webhook) and runs until SIGINT or SIGTERM.
pub async fn run(engine: Arc<Engine>, settings: Settings) -> anyhow::Result<()> {
    let store = Store::open_for_bot(&settings.db)?;
    // The HTTP timeout must outlast a long poll.
    let client = teloxide::net::default_reqwest_settings()
        .timeout(POLL_TIMEOUT + Duration::from_secs(10))
        .build()
        .context("building the HTTP client")?;
    let mut bot = Bot::with_client(settings.token, client);
    if let Some(url) = settings.api_url {
        bot = bot.set_api_url(url);
    }
    let bot: Tg = bot.cache_me().parse_mode(ParseMode::Html);
    let me = connect::get_me(&bot, settings.start_tries).await?;
    tracing::info!(username = %replies::username(&me), "connected to Telegram");
    if let Some(addr) = settings.metrics {
        let health = store.clone();
        crate::ops::metrics::serve(addr, Arc::new(move || health.problem()))
            .await
            .context("starting the metrics listener")?;
    }
    let outbox = Outbox::start(
        bot.clone(),
        Limits {
            enabled: settings.throttle,
        },
    );
    let app = Arc::new(App::new(engine, store.clone(), outbox.clone(), settings.app));
    tokio::spawn(reload_on_sighup(app.clone()));
    tokio::spawn(flush_regularly(app.clone()));
    dispatch(bot, app.clone(), settings.webhook).await?;
    let dropped = outbox.close(SHUTDOWN_GRACE).await;
    app.flush()?;
    store.flush()?;
    tracing::info!(dropped, "stopped");
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
async fn dispatch(bot: Tg, app: Arc<App>, webhook: Option<Webhook>) -> anyhow::Result<()> {
    tokio::spawn(register_commands(bot.clone()));
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
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
            tokio::spawn(crate::ops::http::serve(
                tcp,
                router,
                crate::ops::http::Limits::default(),
                stopped,
            ));
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

async fn register_commands(bot: Tg) {
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

//! `inm-bot run`: the Telegram bot's settings from flags and environment variables.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use super::load;
use crate::telegram;

#[derive(Args, Clone)]
pub(super) struct RunArgs {
    /// The Telegram bot token (from @BotFather).
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Another Bot API server (a self-hosted one, or a fake one in tests).
    #[arg(long, env = "TELOXIDE_API_URL", value_name = "URL")]
    api_url: Option<url::Url>,
    /// The SQLite database with users' language choices and checklist progress.
    #[arg(long, env = "INM_BOT_DB", value_name = "PATH", default_value = "inm-bot.db")]
    db: PathBuf,
    /// Lift Telegram's rate limits (only to measure throughput against a local fake server).
    #[arg(long, env = "INM_BOT_NO_THROTTLE", hide = true, value_parser = clap::builder::BoolishValueParser::new())]
    no_throttle: bool,
    /// Telegram user ids allowed to use /reload and /stats, comma-separated.
    #[arg(long, env = "INM_BOT_ADMINS", value_delimiter = ',', value_name = "IDS")]
    admins: Vec<u64>,
    /// Messages a minute a user may send; past it they get one notice and are ignored for the
    /// rest of the minute (0: no limit).
    #[arg(long, env = "INM_BOT_FLOOD_LIMIT", default_value_t = 20, value_name = "N")]
    flood_limit: u32,
    /// Unanswered questions kept for `inm-bot misses` (normalised text only): at most this many,
    #[arg(long, env = "INM_BOT_MISSES_MAX", default_value_t = 10_000, value_name = "N")]
    misses_max: usize,
    /// and for at most this many days.
    #[arg(long, env = "INM_BOT_MISSES_DAYS", default_value_t = 90, value_name = "DAYS")]
    misses_days: u32,
    /// Receive updates by webhook at this public URL instead of long polling.
    #[arg(long, env = "INM_BOT_WEBHOOK_URL", value_name = "URL")]
    webhook_url: Option<url::Url>,
    /// With --webhook-url: the local address to listen on.
    #[arg(long, env = "INM_BOT_LISTEN", default_value = "0.0.0.0:8443", value_name = "ADDR")]
    listen: std::net::SocketAddr,
    /// With --webhook-url: the local path, when a reverse proxy rewrites it (default: the URL's path).
    #[arg(long, env = "INM_BOT_WEBHOOK_PATH", value_name = "PATH")]
    webhook_path: Option<String>,
    /// With --webhook-url: the secret Telegram must send (default: a new random one at each start).
    #[arg(long, env = "INM_BOT_WEBHOOK_SECRET", hide_env_values = true, value_name = "SECRET")]
    webhook_secret: Option<String>,
    /// Serve /healthz and Prometheus /metrics on this address (e.g. 127.0.0.1:9090).
    #[arg(long, env = "INM_BOT_METRICS", value_name = "ADDR")]
    metrics: Option<std::net::SocketAddr>,
    /// Tries to reach the Bot API at start (1 s, 2 s, 4 s… apart, at most 30 s) before giving up.
    #[arg(long, env = "INM_BOT_START_TRIES", default_value_t = 8, value_name = "N")]
    start_tries: u32,
    /// Split answers into messages of at most this many characters (Telegram's limit is 4096).
    #[arg(long, env = "INM_BOT_MESSAGE_LIMIT", hide = true, default_value_t = 4096,
          value_parser = clap::value_parser!(u16).range(64..=4096))]
    message_limit: u16,
}

impl RunArgs {
    pub(super) fn has_token(&self) -> bool {
        self.token.as_deref().is_some_and(|t| !t.trim().is_empty())
    }
}

pub(super) fn run(args: RunArgs, knowledge: Option<&Path>) -> Result<ExitCode> {
    let engine = Arc::new(load(knowledge)?);
    let token = args
        .token
        .filter(|t| !t.trim().is_empty())
        .context("no Telegram token: set TELOXIDE_TOKEN (or --token), or try `inm-bot chat` for the console")?;
    let settings = telegram::Settings {
        token,
        api_url: args.api_url,
        db: args.db,
        throttle: !args.no_throttle,
        app: telegram::AppSettings {
            message_limit: usize::from(args.message_limit),
            knowledge_dir: knowledge.map(Path::to_path_buf),
            admins: args.admins.into_iter().collect(),
            flood_limit: args.flood_limit,
            misses_max: args.misses_max,
            misses_days: args.misses_days,
        },
        webhook: args.webhook_url.map(|url| telegram::Webhook {
            url,
            listen: args.listen,
            path: args.webhook_path,
            secret: args.webhook_secret,
        }),
        metrics: args.metrics,
        start_tries: args.start_tries,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(telegram::run(engine, settings))?;
    Ok(ExitCode::SUCCESS)
}

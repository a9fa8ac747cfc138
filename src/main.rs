//! The `inm-bot` command line: the Telegram bot, the console chat, and tools for people who
//! write the knowledge base (ask, status, topics, eval, validate).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use inm_bot::calendar::Reason;
use inm_bot::knowledge::{self, Lang};
use inm_bot::render::{self, Format};
use inm_bot::{Answer, Engine, console, eval, matching, telegram};

#[derive(Parser)]
#[command(
    name = "inm-bot",
    version,
    about = "Answers questions about the INM immigration office in Mexico City (Polanco)"
)]
struct Cli {
    /// Log format on standard error.
    #[arg(
        long,
        global = true,
        env = "INM_BOT_LOG_FORMAT",
        value_enum,
        default_value = "pretty"
    )]
    log_format: LogFormat,

    /// Load the knowledge base from this directory instead of the copy built into the binary.
    #[arg(long, global = true, env = "INM_BOT_KNOWLEDGE", value_name = "DIR")]
    knowledge: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,

    /// With no subcommand: the Telegram bot when a token is set, otherwise the console chat.
    #[command(flatten)]
    run: RunArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum LogFormat {
    Pretty,
    Json,
}

#[derive(Args, Clone)]
struct RunArgs {
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
    /// Split answers into messages of at most this many characters (Telegram's limit is 4096).
    #[arg(long, env = "INM_BOT_MESSAGE_LIMIT", hide = true, default_value_t = 4096,
          value_parser = clap::value_parser!(u16).range(64..=4096))]
    message_limit: u16,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Telegram bot (long polling).
    Run(Box<RunArgs>),
    /// Chat with the bot in this terminal (no Telegram token needed).
    Chat {
        /// Start in this language (en or es); otherwise each question's own language is used.
        #[arg(long)]
        lang: Option<Lang>,
    },
    /// Answer one question, or one question per line from standard input.
    Ask {
        /// Print one JSON object per question.
        #[arg(long)]
        json: bool,
        /// The language to assume when a question gives no clear signal.
        #[arg(long)]
        lang: Option<Lang>,
        #[command(flatten)]
        at: At,
        /// Also print how each word was read and how the top topics scored.
        #[arg(long)]
        explain: bool,
        /// The question; read from standard input when absent.
        question: Vec<String>,
    },
    /// Is the office open at an instant (default: now)?
    Status {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "en")]
        lang: Lang,
        #[command(flatten)]
        at: At,
    },
    /// Every topic with the text the matcher indexes for it.
    Topics {
        /// Print JSON: [{"id", "lang", "text"}].
        #[arg(long)]
        json: bool,
    },
    /// Measure the matcher on a questions file (lang<TAB>topic<TAB>question).
    Eval {
        file: PathBuf,
        /// Exit non-zero if in-scope accuracy is below this (0-1, or a percentage).
        #[arg(long)]
        min: Option<f64>,
        /// Exit non-zero if the rejection rate of "none" questions is below this (0-1, or a percentage).
        #[arg(long)]
        min_rejection: Option<f64>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a knowledge base directory (default: --knowledge, else the built-in one).
    Validate { dir: Option<PathBuf> },
    /// Questions the bot could not answer, grouped, most frequent first.
    Misses {
        /// Only those asked on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The bot's database.
        #[arg(long, env = "INM_BOT_DB", default_value = "inm-bot.db", value_name = "PATH")]
        db: PathBuf,
    },
}

#[derive(Args)]
struct At {
    /// The instant to answer for, RFC 3339 (e.g. 2026-09-16T10:00:00-06:00); default: now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<DateTime<Utc>>,
}

impl At {
    fn get(&self) -> DateTime<Utc> {
        self.at.unwrap_or_else(Utc::now)
    }
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 instant ({e}); example: 2026-09-16T10:00:00-06:00"))
}

fn main() -> ExitCode {
    // Settings may come from a .env file; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let is_bot = matches!(cli.command, Some(Command::Run(_)))
        || (cli.command.is_none() && cli.run.token.as_deref().is_some_and(|t| !t.trim().is_empty()));
    init_logging(if is_bot { "info" } else { "warn" }, cli.log_format);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: `info` for the bot, warnings only for
/// the tools, so their output stays clean).
fn init_logging(default: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
}

fn load(cli_dir: &Option<PathBuf>) -> Result<Engine> {
    Engine::load(cli_dir.as_deref()).map_err(|p| anyhow::anyhow!("{p}"))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let command = match cli.command {
        Some(c) => c,
        None if cli.run.token.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
            Command::Run(Box::new(cli.run.clone()))
        }
        None => {
            eprintln!("No TELOXIDE_TOKEN set: starting the console chat. Set TELOXIDE_TOKEN to run the Telegram bot.");
            Command::Chat { lang: None }
        }
    };
    match command {
        Command::Run(args) => {
            let args = *args;
            let engine = std::sync::Arc::new(load(&cli.knowledge)?);
            let token = args
                .token
                .filter(|t| !t.trim().is_empty())
                .context("no Telegram token: set TELOXIDE_TOKEN (or --token), or try `inm-bot chat` for the console")?;
            let settings = telegram::Settings {
                token,
                api_url: args.api_url,
                db: args.db,
                throttle: !args.no_throttle,
                message_limit: usize::from(args.message_limit),
                knowledge_dir: cli.knowledge.clone(),
                admins: args.admins.into_iter().collect(),
                flood_limit: args.flood_limit,
                misses_max: args.misses_max,
                misses_days: args.misses_days,
                webhook: args.webhook_url.map(|url| telegram::Webhook {
                    url,
                    listen: args.listen,
                    path: args.webhook_path,
                    secret: args.webhook_secret,
                }),
                metrics: args.metrics,
            };
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            runtime.block_on(telegram::run(engine, settings))?;
        }
        Command::Chat { lang } => {
            let engine = load(&cli.knowledge)?;
            let stdin = std::io::stdin();
            console::run(&engine, lang, stdin.lock(), std::io::stdout().lock())?;
        }
        Command::Ask {
            json,
            lang,
            at,
            explain,
            question,
        } => {
            let engine = load(&cli.knowledge)?;
            let now = at.get();
            let mut out = std::io::stdout().lock();
            if question.is_empty() {
                let stdin = std::io::stdin();
                if stdin.is_terminal() {
                    eprintln!("Type one question per line (Ctrl-D to finish).");
                }
                for line in stdin.lock().lines() {
                    let line = line.context("reading standard input")?;
                    if !line.trim().is_empty() {
                        ask_one(&engine, &line, lang, now, json, explain, &mut out)?;
                    }
                }
            } else {
                ask_one(&engine, &question.join(" "), lang, now, json, explain, &mut out)?;
            }
        }
        Command::Status { json, lang, at } => {
            let engine = load(&cli.knowledge)?;
            let status = engine.calendar.status_at(at.get());
            if json {
                let (reason, holiday) = match &status.reason {
                    Reason::Open => ("open", None),
                    Reason::Weekend => ("weekend", None),
                    Reason::Holiday(c) => ("holiday", Some(c)),
                    Reason::NoHoursToday => ("no_hours_today", None),
                    Reason::BeforeOpening => ("before_opening", None),
                    Reason::AfterClosing => ("after_closing", None),
                };
                let v = json!({
                    "open": status.open,
                    "reason": reason,
                    "holiday": holiday.map(|c| c.name.get(lang).clone()),
                    "customary": holiday.map(|c| c.customary),
                    "at": status.at.to_rfc3339(),
                    "next_change": status.next_change.map(|t| t.to_rfc3339()),
                    "message": render::status_line(&status, lang),
                });
                println!("{v}");
            } else {
                println!("{}", render::status_line(&status, lang));
            }
        }
        Command::Topics { json } => {
            let engine = load(&cli.knowledge)?;
            let rows = matching::indexed_text(&engine.kb);
            if json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|(id, lang, text)| json!({"id": id, "lang": lang, "text": text}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for t in &engine.kb.topics {
                    println!("{:<22} {} | {}", t.id, t.title.en, t.title.es);
                }
            }
        }
        Command::Eval {
            file,
            min,
            min_rejection,
            json,
        } => {
            let engine = load(&cli.knowledge)?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let cases = eval::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let report = eval::run(&engine, &cases);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", eval::format_report(&report));
            }
            let as_ratio = |x: f64| if x > 1.0 { x / 100.0 } else { x };
            let mut ok = true;
            if let Some(m) = min
                && report.overall.accuracy() < as_ratio(m)
            {
                eprintln!(
                    "in-scope accuracy {:.3} is below --min {}",
                    report.overall.accuracy(),
                    as_ratio(m)
                );
                ok = false;
            }
            if let Some(m) = min_rejection
                && report.overall.rejection() < as_ratio(m)
            {
                eprintln!(
                    "rejection {:.3} is below --min-rejection {}",
                    report.overall.rejection(),
                    as_ratio(m)
                );
                ok = false;
            }
            if !ok {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Misses { since, json, db } => {
            if !db.exists() {
                anyhow::bail!("no database at {} (set --db or INM_BOT_DB)", db.display());
            }
            let engine = load(&cli.knowledge)?;
            let store = inm_bot::store::Store::open(&db)?;
            let since = since.map(|d| d.to_string()).unwrap_or_default();
            let groups = inm_bot::misses::group(&engine.matcher, &store.misses(&since)?);
            if json {
                println!("{}", serde_json::to_string_pretty(&groups)?);
            } else if groups.is_empty() {
                println!("No unanswered questions recorded.");
            } else {
                for g in &groups {
                    let examples = g.examples.join("\" / \"");
                    println!(
                        "{:>5}  {}   (last {}; e.g. \"{examples}\")",
                        g.count, g.key, g.last_seen
                    );
                }
            }
        }
        Command::Validate { dir } => {
            let dir = dir.or(cli.knowledge);
            let result = match &dir {
                Some(d) => knowledge::load_dir(d).and_then(Engine::new),
                None => Engine::embedded(),
            };
            match result {
                Ok(engine) => println!(
                    "ok: {} ({} topics, {} closure rules, {} dated closures)",
                    dir.as_ref()
                        .map_or("built-in knowledge base".to_string(), |d| d.display().to_string()),
                    engine.kb.topics.len(),
                    engine.kb.closures.rules.len(),
                    engine.kb.closures.dated.len()
                ),
                Err(problems) => {
                    eprint!("{problems}");
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ask_one(
    engine: &Engine,
    question: &str,
    hint: Option<Lang>,
    now: DateTime<Utc>,
    json: bool,
    explain: bool,
    out: &mut impl Write,
) -> Result<()> {
    let (m, trace) = if explain {
        engine.matcher.explain(question, hint, &engine.kb)
    } else {
        (engine.matcher.find(question, hint), Vec::new())
    };
    let answer = engine.decide(&m);
    let text = render::answer(engine, &answer, now, Format::Plain);
    if json {
        let suggestions: Vec<&str> = match &answer {
            Answer::Topic { related, .. } => related.iter().map(|&t| engine.topic_id(t)).collect(),
            Answer::Suggestions { topics, .. } => topics.iter().map(|&t| engine.topic_id(t)).collect(),
            Answer::Unknown { .. } | Answer::SmallTalk { .. } => Vec::new(),
        };
        let mut v = json!({
            "question": question,
            "topic": answer.topic().map(|t| engine.topic_id(t)),
            "score": (m.score() * 1000.0).round() / 1000.0,
            "confidence": m.confidence,
            "lang": answer.lang(),
            "suggestions": suggestions,
            "answer": text,
        });
        if explain {
            v["explain"] = json!(trace);
        }
        writeln!(out, "{v}")?;
    } else {
        for line in &trace {
            writeln!(out, "# {line}")?;
        }
        writeln!(out, "{text}\n")?;
    }
    Ok(())
}

//! The `inm-bot` command line: the Telegram bot, the console chat, and tools for people who write
//! the knowledge base. The arguments are here; each subcommand is one function (`ask`, `tools`,
//! `bot`, `chat` for scripted conversations), and standard input is read line by line with a cap (`input`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};

use crate::answer::Engine;
use crate::knowledge::Lang;

mod ask;
mod bot;
mod chat;
mod input;
mod tools;

#[derive(Parser)]
#[command(
    name = "inm-bot",
    version,
    about = "Answers questions about the INM immigration office in Mexico City (Polanco)"
)]
pub struct Cli {
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
    run: bot::RunArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum LogFormat {
    Pretty,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Telegram bot (long polling).
    Run(Box<bot::RunArgs>),
    /// Chat with the bot in this terminal (no Telegram token needed).
    Chat {
        /// Start in this language (en or es); otherwise each question's own language is used.
        #[arg(long)]
        lang: Option<Lang>,
        /// A scripted conversation: one JSON object per line in ({"text", "at", "chat", "lang"},
        /// all but text optional; a plain line is the text), one JSON object per line out.
        #[arg(long)]
        json: bool,
        /// With --json: the instant of turns that give no "at" (default: now).
        #[command(flatten)]
        at: At,
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
    /// Measure understanding on a questions file (lang<TAB>topic<TAB>question), or on a
    /// conversation file (JSONL, one conversation a line; see shared/eval/README.md).
    Eval {
        file: PathBuf,
        /// Exit non-zero if in-scope accuracy (for conversations: turns passed) is below this (0-1, or a percentage).
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

/// Runs the command line; the binary's `main` is only this.
pub fn main() -> ExitCode {
    // Settings may come from a .env file; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let is_bot = matches!(cli.command, Some(Command::Run(_))) || (cli.command.is_none() && cli.run.has_token());
    init_logging(if is_bot { "info" } else { "warn" }, cli.log_format);
    match run(cli) {
        Ok(code) => code,
        // The reader of our output went away (`inm-bot topics | head`): stop quietly, as a Unix
        // tool does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: `info` for the bot, warnings only for
/// the tools, so their output stays clean).
fn init_logging(default: &str, format: LogFormat) {
    crate::ops::logs::init(default, format == LogFormat::Json);
}

fn load(dir: Option<&Path>) -> Result<Engine> {
    crate::load_within(dir, crate::LOAD_DEADLINE).map_err(|p| anyhow::anyhow!("{p}"))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let knowledge = cli.knowledge.as_deref();
    let command = match cli.command {
        Some(c) => c,
        None if cli.run.has_token() => Command::Run(Box::new(cli.run.clone())),
        None => {
            eprintln!("No TELOXIDE_TOKEN set: starting the console chat. Set TELOXIDE_TOKEN to run the Telegram bot.");
            Command::Chat {
                lang: None,
                json: false,
                at: At { at: None },
            }
        }
    };
    let out = &mut std::io::stdout().lock();
    match command {
        Command::Run(args) => bot::run(*args, knowledge),
        Command::Chat { lang, json: false, .. } => ask::chat(&load(knowledge)?, lang, out),
        Command::Chat { lang, json: true, at } => {
            chat::chat_json(&load(knowledge)?, lang, at.at, std::io::stdin().lock(), out)
        }
        Command::Ask {
            json,
            lang,
            at,
            explain,
            question,
        } => ask::ask(&load(knowledge)?, &question, lang, at.get(), json, explain, out),
        Command::Status { json, lang, at } => tools::status(&load(knowledge)?, lang, at.get(), json, out),
        Command::Topics { json } => tools::topics(&load(knowledge)?, json, out),
        Command::Eval {
            file,
            min,
            min_rejection,
            json,
        } => tools::eval(&load(knowledge)?, &file, min, min_rejection, json, out),
        Command::Validate { dir } => tools::validate(dir.as_deref().or(knowledge), out),
        Command::Misses { since, json, db } => tools::misses(knowledge, &db, since, json, out),
    }
    .and_then(|code| {
        out.flush()?;
        Ok(code)
    })
}

/// Where output goes: standard output, or a buffer in tests.
type Out<'a> = &'a mut dyn Write;

//! The endpoints the handler tree in `mod.rs` routes updates to: one per command, free text,
//! button presses, inline queries and admin commands. Each decides a reply and hands it to the
//! outbox; none waits for Telegram's rate limits.

use std::sync::Arc;

use chrono::Utc;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQuery, InlineKeyboardMarkup, InlineQuery, InlineQueryResult, InlineQueryResultArticle, InputMessageContent,
    InputMessageContentText, Me, ParseMode,
};

use super::app::App;
use super::outbox::{Job, Priority};
use super::replies::*;
use super::{AdminCommand, Tg};
use crate::answer::{Context, Reply as Said};
use crate::knowledge::Lang;
use crate::ops::flood::Verdict;
use crate::render::{self, Focus, Format};
use crate::ui;

type HandlerResult = anyhow::Result<()>;

/// Everything a message handler needs to know about where a message came from.
struct From {
    chat: ChatId,
    user: Option<u64>,
    lang: Lang,
    private: bool,
}

fn from(msg: &Message, app: &App) -> From {
    From {
        chat: msg.chat.id,
        user: msg.from.as_ref().map(|u| u.id.0),
        lang: app.user_lang(msg.from.as_ref()),
        private: msg.chat.is_private(),
    }
}

/// Lets a message through unless its sender is flooding; tells them once. Runs before anything
/// is queued, so a flooder's excess costs nobody else anything.
pub(super) fn flood_gate(msg: Message, app: Arc<App>) -> bool {
    let Some(user) = msg.from.as_ref() else { return true };
    match app.flood.check(user.id.0, std::time::Instant::now()) {
        Verdict::Allow => true,
        Verdict::Notice => {
            tracing::info!("flood control: ignoring a user for the rest of the minute");
            metrics::counter!("inm_bot_flood_ignored_total").increment(1);
            let lang = app.user_lang(Some(user));
            app.send(msg.chat.id, Reply::ui(ui::FLOOD_NOTICE, lang), Priority::Notice);
            false
        }
        Verdict::Ignore => {
            metrics::counter!("inm_bot_flood_ignored_total").increment(1);
            false
        }
    }
}

/// In a private chat every message is for the bot; in a group only those that mention it or
/// reply to it.
pub(super) fn addressed_to_me(msg: Message, me: Me) -> bool {
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

/// `/start`, with the deep links `?start=<topic>` and `?start=cl_<topic>`.
pub(super) async fn start(msg: Message, payload: String, me: Me, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    let engine = app.engine();
    let payload = payload.trim();
    let reply = if let Some(id) = payload.strip_prefix("cl_")
        && let (Some(t), Some(user)) = (engine.kb.topic_index(id), f.user)
        && !engine.kb.topics[t].checklist.is_empty()
        && f.private
    {
        app.tell_if_unsaved(f.chat, user, f.lang);
        checklist_reply(&engine, t, f.lang, &app.store.ticked(user, id)?)
    } else if let Some(t) = engine.kb.topic_index(payload) {
        topic_reply(&engine, t, f.lang, &me, f.private)
    } else {
        Reply::with(
            Format::Html.text(ui::WELCOME.get(f.lang)),
            menu_keyboard(&engine, f.lang),
        )
    };
    app.reply(f.chat, reply);
    Ok(())
}

pub(super) async fn help_command(msg: Message, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    app.reply(f.chat, Reply::text(help(f.lang)));
    Ok(())
}

/// A topic of the knowledge base by its id, as a command shows it.
fn show_topic(msg: &Message, me: &Me, app: &App, id: &str) {
    let f = from(msg, app);
    let engine = app.engine();
    let reply = match engine.kb.topic_index(id) {
        Some(t) => topic_reply(&engine, t, f.lang, me, f.private),
        None => Reply::text(render::unknown(f.lang, Format::Html)),
    };
    app.reply(f.chat, reply);
}

pub(super) async fn hours(msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    show_topic(&msg, &me, &app, "hours");
    Ok(())
}

pub(super) async fn advice(msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    show_topic(&msg, &me, &app, "advice");
    Ok(())
}

pub(super) async fn procedures(msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    let engine = app.engine();
    let reply = match engine.kb.topic_index("procedures") {
        Some(t) => Reply::with(
            render::topic(&engine, t, f.lang, Utc::now(), Format::Html, false),
            procedures_keyboard(&engine, f.lang, "t", &me, f.private),
        ),
        None => Reply::text(render::unknown(f.lang, Format::Html)),
    };
    app.reply(f.chat, reply);
    Ok(())
}

/// `/address`: the answer, then the pin as a venue when the knowledge base has one.
pub(super) async fn address(msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    show_topic(&msg, &me, &app, "address");
    let f = from(&msg, &app);
    let engine = app.engine();
    if let (Some(pin), Some(_)) = (&engine.kb.office.pin, engine.kb.topic_index("address")) {
        let mut title = engine.kb.office.name.get(f.lang).clone();
        if pin.approximate {
            title.push_str(ui::APPROXIMATE_PIN.get(f.lang));
        }
        let venue = Job::Venue {
            latitude: pin.latitude,
            longitude: pin.longitude,
            title,
            address: engine.kb.office.address.clone(),
        };
        app.outbox.send(f.chat, venue, Priority::Reply);
    }
    Ok(())
}

/// `/checklist [procedure]`: the user's checklist (in a private chat), or a choice of procedures.
pub(super) async fn checklist(msg: Message, arg: String, me: Me, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    let engine = app.engine();
    let found = (!arg.trim().is_empty())
        .then(|| engine.find_checklist(&arg, Some(f.lang)))
        .flatten();
    let reply = match (found, f.user) {
        (Some(t), Some(user)) if f.private => {
            app.tell_if_unsaved(f.chat, user, f.lang);
            checklist_reply(&engine, t, f.lang, &app.store.ticked(user, &engine.kb.topics[t].id)?)
        }
        (Some(t), _) => {
            let label = format!("📋 {}", engine.kb.topics[t].title.get(f.lang));
            let kb =
                InlineKeyboardMarkup::new(vec![vec![checklist_button(label, &engine.kb.topics[t].id, &me, false)]]);
            Reply::with(Format::Html.text(ui::CHECKLISTS_PRIVATE.get(f.lang)), kb)
        }
        (None, _) => {
            let title = if f.private {
                ui::WHICH_PROCEDURE
            } else {
                ui::CHECKLISTS_PRIVATE
            };
            Reply::with(
                Format::Html.text(title.get(f.lang)),
                procedures_keyboard(&engine, f.lang, "c", &me, f.private),
            )
        }
    };
    app.reply(f.chat, reply);
    Ok(())
}

pub(super) async fn language(msg: Message, arg: String, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    let reply = match (arg.trim().parse::<Lang>(), f.user) {
        (Ok(l), Some(user)) => {
            app.store.set_language(user, l)?;
            app.tell_if_unsaved(f.chat, user, l);
            Reply::ui(ui::LANGUAGE_SET, l)
        }
        _ => Reply::with(Format::Html.text(ui::LANGUAGE_CHOOSE), language_keyboard()),
    };
    app.reply(f.chat, reply);
    Ok(())
}

/// Admin commands: `/reload` and `/stats`.
pub(super) async fn admin(msg: Message, cmd: AdminCommand, app: Arc<App>) -> HandlerResult {
    let text = match cmd {
        AdminCommand::Reload => match app.reload().await {
            Ok(topics) => format!("✅ Knowledge base reloaded: {topics} topics."),
            Err(problems) => format!("❌ Reload refused, the running knowledge base stays.\n\n{problems}"),
        },
        AdminCommand::Stats => stats(&app)?,
    };
    app.reply(msg.chat.id, Reply::text(Format::Html.text(&text)));
    Ok(())
}

fn stats(app: &App) -> anyhow::Result<String> {
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
    let groups = crate::ops::misses::group(&engine.matcher, &app.store.misses(&since)?);
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
    out.push_str(&format!("\n\nQueued to send: {}", app.outbox.queued()));
    Ok(out)
}

/// Any other text addressed to the bot: a question.
pub(super) async fn text(msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    let f = from(&msg, &app);
    let Some(text) = msg.text() else {
        app.reply(f.chat, Reply::ui(ui::ONLY_TEXT, f.lang));
        return Ok(());
    };
    if text.starts_with('/') {
        app.reply(f.chat, Reply::ui(ui::UNKNOWN_COMMAND, f.lang));
        return Ok(());
    }
    let engine = app.engine();
    let question = strip_mention(text, username(&me));
    tracing::debug!(question = %question, "question");
    let now = Utc::now();
    let memory = app.memories.recall(&f.chat, now);
    let answer = engine.answer(&question, &Context::new(Some(f.lang), now).with_memory(memory));
    app.memories.store(f.chat, answer.remember(memory, now));
    let span = tracing::Span::current();
    match &answer.reply {
        Said::Topic { topic, .. } => {
            span.record("topic", engine.topic_id(*topic));
            span.record("score", answer.score());
        }
        Said::Suggestions { .. } => {
            span.record("topic", "(suggestions)");
            span.record("score", answer.score());
        }
        Said::Referral(r) => {
            span.record("topic", format!("(referral {})", engine.kb.referrals[*r].id));
            span.record("score", answer.score());
        }
        Said::Unknown => {
            span.record("topic", "(none)");
        }
        Said::SmallTalk(_) => {
            span.record("topic", "(small talk)");
        }
    }
    app.record(&engine, &question, &answer);
    let lang = answer.lang;
    let reply = match &answer.reply {
        Said::Topic { topic, .. } => focused_reply(&engine, *topic, Focus::of(&answer), lang, &me, f.private),
        Said::Suggestions { topics } => {
            let mut rows = topics
                .iter()
                .map(|&t| vec![topic_button(&engine, t, lang)])
                .collect::<Vec<_>>();
            rows.push(vec![button(*ui::NONE_OF_THESE.get(lang), "n:".to_string())]);
            Reply::with(
                Format::Html.text(ui::DID_YOU_MEAN.get(lang)),
                InlineKeyboardMarkup::new(rows),
            )
        }
        Said::Referral(r) => Reply::with(
            render::referral(&engine, *r, lang, Format::Html),
            menu_keyboard(&engine, lang),
        ),
        Said::Unknown => Reply::with(render::unknown(lang, Format::Html), menu_keyboard(&engine, lang)),
        Said::SmallTalk(talk) => Reply::with(
            render::small_talk(*talk, lang, Format::Html),
            menu_keyboard(&engine, lang),
        ),
    };
    app.reply(f.chat, reply);
    Ok(())
}

pub(super) fn strip_mention(text: &str, username: &str) -> String {
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
pub(super) enum Action<'a> {
    Topic(&'a str),
    Checklist(&'a str),
    Toggle(&'a str, &'a str),
    Reset(&'a str),
    Language(Lang),
    /// "None of these" under "Did you mean": the suggestions missed.
    NoneOfThese,
}

pub(super) fn parse_callback(data: &str) -> Option<Action<'_>> {
    let (kind, rest) = data.split_once(':')?;
    match kind {
        "t" => Some(Action::Topic(rest)),
        "c" => Some(Action::Checklist(rest)),
        "x" => rest.split_once(':').map(|(t, i)| Action::Toggle(t, i)),
        "r" => Some(Action::Reset(rest)),
        "l" => Lang::from_code(rest).map(Action::Language),
        "n" => Some(Action::NoneOfThese),
        _ => None,
    }
}

/// A button press. Every callback is answered, even when handling it failed, so the button stops
/// spinning.
pub(super) async fn callback(bot: Tg, q: CallbackQuery, me: Me, app: Arc<App>) -> HandlerResult {
    let result = press(&q, &me, &app);
    let lang = app.user_lang(Some(&q.from));
    let mut answer = bot.answer_callback_query(q.id.clone());
    match &result {
        Ok(true) => {}
        Ok(false) => answer = answer.text(*ui::STALE_BUTTON.get(lang)),
        Err(_) => answer = answer.text(*ui::SOMETHING_FAILED.get(lang)),
    }
    let answered = answer.await;
    result?;
    answered?;
    Ok(())
}

/// Handles a button press; `Ok(false)` for data that is unknown or no longer valid.
fn press(q: &CallbackQuery, me: &Me, app: &App) -> anyhow::Result<bool> {
    let engine = app.engine();
    let Some(action) = q.data.as_deref().and_then(parse_callback) else {
        return Ok(false);
    };
    let Some(msg) = q.regular_message() else {
        return Ok(false);
    };
    let lang = app.user_lang(Some(&q.from));
    let user = q.from.id.0;
    let chat = msg.chat.id;
    if !matches!(action, Action::Topic(_)) {
        app.tell_if_unsaved(chat, user, lang);
    }
    let procedure = |id: &str| {
        engine
            .kb
            .topic_index(id)
            .filter(|&t| !engine.kb.topics[t].checklist.is_empty())
    };
    let edit = |t: usize, ticked: &std::collections::BTreeSet<String>| Job::Edit {
        message: msg.id,
        html: checklist_text(&engine, t, lang, ticked),
        keyboard: checklist_keyboard(&engine, t, lang, ticked),
    };
    match action {
        Action::Topic(id) => {
            let Some(t) = engine.kb.topic_index(id) else {
                return Ok(false);
            };
            app.reply(chat, topic_reply(&engine, t, lang, me, msg.chat.is_private()));
        }
        Action::Checklist(id) => {
            let Some(t) = procedure(id) else { return Ok(false) };
            app.reply(chat, checklist_reply(&engine, t, lang, &app.store.ticked(user, id)?));
        }
        Action::Toggle(id, item) => {
            let Some(t) = procedure(id) else { return Ok(false) };
            if !engine.kb.topics[t].checklist.iter().any(|i| i.id == item) {
                return Ok(false);
            }
            let ticked = app.store.toggle(user, id, item)?;
            app.outbox.send(chat, edit(t, &ticked), Priority::Reply);
        }
        Action::Reset(id) => {
            let Some(t) = procedure(id) else { return Ok(false) };
            app.store.reset(user, id)?;
            app.outbox.send(chat, edit(t, &Default::default()), Priority::Reply);
        }
        Action::NoneOfThese => {
            // The question itself was recorded when the suggestions were offered; this says
            // they did not fit.
            metrics::counter!("inm_bot_suggestions_rejected_total").increment(1);
            tracing::info!("suggestions rejected with \"none of these\"");
            app.reply(
                chat,
                Reply::with(render::unknown(lang, Format::Html), menu_keyboard(&engine, lang)),
            );
        }
        Action::Language(l) => {
            app.store.set_language(user, l)?;
            let job = Job::Edit {
                message: msg.id,
                html: Format::Html.text(ui::LANGUAGE_SET.get(l)),
                keyboard: InlineKeyboardMarkup::default(),
            };
            app.outbox.send(chat, job, Priority::Reply);
        }
    }
    Ok(true)
}

/// Inline mode (`@bot hours` in any chat): up to five topics as articles. No conversation here.
pub(super) async fn inline(bot: Tg, q: InlineQuery, app: Arc<App>) -> HandlerResult {
    let engine = app.engine();
    let hint = app.user_lang(Some(&q.from));
    let now = Utc::now();
    let (topics, lang): (Vec<usize>, Lang) = if q.query.trim().is_empty() {
        (
            MENU.iter().filter_map(|id| engine.kb.topic_index(id)).take(5).collect(),
            hint,
        )
    } else {
        let answer = engine.answer(&q.query, &Context::new(Some(hint), now));
        (answer.matched.ranked().take(5).collect(), answer.lang)
    };
    let results: Vec<InlineQueryResult> = topics
        .into_iter()
        .map(|t| {
            let topic = &engine.kb.topics[t];
            let html = render::topic(&engine, t, lang, now, Format::Html, false);
            let plain = render::fill(&engine, topic.answer.get(lang), lang, now);
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
    use super::super::{CALLBACK_LIMIT, Command};
    use super::*;
    use teloxide::utils::command::BotCommands;

    #[test]
    fn callback_data_round_trips_and_fits() {
        let engine = crate::load(None).unwrap();
        for t in &engine.kb.topics {
            for item in &t.checklist {
                let data = format!("x:{}:{}", t.id, item.id);
                assert!(data.len() <= CALLBACK_LIMIT, "{data}");
                assert_eq!(parse_callback(&data), Some(Action::Toggle(&t.id, &item.id)));
            }
        }
        assert_eq!(parse_callback("l:es"), Some(Action::Language(Lang::Es)));
        assert_eq!(parse_callback("n:"), Some(Action::NoneOfThese));
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

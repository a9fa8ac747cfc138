//! The handlers the tree in `mod.rs` routes updates to: commands, free text, button presses,
//! inline queries and admin commands.

use super::*;

pub(super) async fn on_admin<B: Api>(
    bot: B,
    msg: Message,
    cmd: AdminCommand,
    app: Arc<App>,
    upd: Update,
) -> anyhow::Result<()> {
    observe(&upd, admin_reply(bot, msg, cmd, app)).await
}

pub(super) async fn admin_reply<B: Api>(bot: B, msg: Message, cmd: AdminCommand, app: Arc<App>) -> anyhow::Result<()> {
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

pub(super) async fn on_command<B: Api>(
    bot: B,
    msg: Message,
    cmd: Command,
    me: Me,
    app: Arc<App>,
    upd: Update,
) -> anyhow::Result<()> {
    observe(&upd, command_reply(bot, msg, cmd, me, app)).await
}

pub(super) async fn command_reply<B: Api>(
    bot: B,
    msg: Message,
    cmd: Command,
    me: Me,
    app: Arc<App>,
) -> anyhow::Result<()> {
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

/// In a private chat every message is for the bot; in a group only those that mention it or
/// reply to it (and unknown commands addressed to it by name).
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

pub(super) async fn on_text<B: Api>(bot: B, msg: Message, me: Me, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, text_reply(bot, msg, me, app)).await
}

pub(super) async fn text_reply<B: Api>(bot: B, msg: Message, me: Me, app: Arc<App>) -> anyhow::Result<()> {
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
        Answer::SmallTalk { .. } => {
            span.record("topic", "(small talk)");
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
        Answer::SmallTalk { talk, lang } => Reply::with(
            render::small_talk(talk, lang, Format::Html),
            menu_keyboard(engine, lang),
        ),
    };
    send(&bot, msg.chat.id, reply, limit).await?;
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
}

pub(super) fn parse_callback(data: &str) -> Option<Action<'_>> {
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

pub(super) async fn on_callback<B: Api>(
    bot: B,
    q: CallbackQuery,
    me: Me,
    app: Arc<App>,
    upd: Update,
) -> anyhow::Result<()> {
    observe(&upd, callback_reply(bot, q, me, app)).await
}

pub(super) async fn callback_reply<B: Api>(bot: B, q: CallbackQuery, me: Me, app: Arc<App>) -> anyhow::Result<()> {
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
pub(super) async fn handle_callback<B: Api>(bot: &B, q: &CallbackQuery, me: &Me, app: &App) -> anyhow::Result<bool> {
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

pub(super) async fn on_inline<B: Api>(bot: B, q: InlineQuery, app: Arc<App>, upd: Update) -> anyhow::Result<()> {
    observe(&upd, inline_reply(bot, q, app)).await
}

pub(super) async fn inline_reply<B: Api>(bot: B, q: InlineQuery, app: Arc<App>) -> anyhow::Result<()> {
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

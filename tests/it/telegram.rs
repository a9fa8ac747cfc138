//! End to end: the real `inm-bot` binary (real teloxide client, real dispatcher) against a fake
//! Bot API server on 127.0.0.1, asserting on the requests the bot sends.

use std::time::Duration;

use crate::support::*;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

fn buttons(body: &Value) -> Vec<(String, String)> {
    body["reply_markup"]["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .flat_map(|r| r.as_array().unwrap().clone())
                .map(|b| {
                    let data = b["callback_data"]
                        .as_str()
                        .or(b["url"].as_str())
                        .unwrap_or("")
                        .to_string();
                    (b["text"].as_str().unwrap_or("").to_string(), data)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The id the fake server gave the `nth` message sent to `chat`.
fn message_id(api: &FakeApi, chat: i64, nth: usize) -> i64 {
    api.calls()
        .iter()
        .filter(|c| c.method == "SendMessage" && c.body["chat_id"] == json!(chat) && !c.result.is_null())
        .nth(nth - 1)
        .and_then(|c| c.result["message_id"].as_i64())
        .unwrap_or_else(|| panic!("no message #{nth} to chat {chat}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_registers_commands_in_three_languages() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    let calls = api
        .wait_for("three setMyCommands and a getUpdates", WAIT, |c| {
            c.iter().filter(|c| c.method == "SetMyCommands").count() == 3 && c.iter().any(|c| c.method == "GetUpdates")
        })
        .await;
    assert_eq!(calls[0].method, "GetMe", "getMe comes first");
    let menus: Vec<&Value> = calls
        .iter()
        .filter(|c| c.method == "SetMyCommands")
        .map(|c| &c.body)
        .collect();
    let codes: Vec<Option<&str>> = menus.iter().map(|b| b["language_code"].as_str()).collect();
    assert!(
        codes.contains(&None) && codes.contains(&Some("en")) && codes.contains(&Some("es")),
        "{codes:?}"
    );
    let es = menus.iter().find(|b| b["language_code"] == "es").unwrap();
    let hours = es["commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["command"] == "hours")
        .unwrap();
    assert!(hours["description"].as_str().unwrap().contains("Horario"));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_answer_in_the_users_language() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    // Each command from its own user, so the per-chat rate limit does not slow the test down.
    let cases: &[(i64, &str, &str, &str)] = &[
        (101, "en", "/start", "I answer questions about the INM"),
        (102, "es", "/start", "Respondo preguntas sobre la oficina"),
        (103, "en", "/help", "/checklist"),
        (104, "en", "/hours", "Opening hours"),
        (105, "es", "/hours", "Horario de atención"),
        (106, "en", "/procedures", "At the Mexico City office you can"),
        (107, "en", "/advice", "Practical advice"),
        (108, "en", "/language", "English or Spanish?"),
        (109, "en", "/checklist", "Which procedure?"),
        (110, "en", "/start canje", "Canje: exchange your visa"),
        (111, "en", "/nonsense", "I don't know that command"),
    ];
    for (user, lang, cmd, _) in cases {
        api.push(private_text(*user, lang, cmd));
    }
    for (user, _, cmd, expect) in cases {
        let m = api.nth_message_to(*user, 1).await;
        assert!(text(&m).contains(expect), "{cmd}: {:?}", text(&m));
    }
    let start = api.nth_message_to(101, 1).await;
    assert!(
        buttons(&start).iter().any(|(_, d)| d == "t:hours"),
        "/start offers the main topics"
    );
    let hours = text(&api.nth_message_to(104, 1).await);
    assert!(
        hours.contains("Open now") || hours.contains("Closed"),
        "live status: {hours}"
    );
    let procedures = buttons(&api.nth_message_to(106, 1).await);
    assert!(procedures.iter().any(|(_, d)| d == "t:canje") && procedures.iter().any(|(_, d)| d == "t:renewal"));
    let langs = buttons(&api.nth_message_to(108, 1).await);
    assert_eq!(
        langs.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>(),
        vec!["l:en", "l:es"]
    );
    let checklists = buttons(&api.nth_message_to(109, 1).await);
    assert!(checklists.iter().any(|(_, d)| d == "c:canje"));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn address_sends_the_map_link_and_a_venue() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.push(private_text(201, "en", "/address"));
    let m = api.nth_message_to(201, 1).await;
    assert!(text(&m).contains("Ejército Nacional Mexicano 862"));
    assert!(text(&m).contains("https://www.google.com/maps/search/?api=1&query="));
    let calls = api
        .wait_for("a venue", WAIT, |c| c.iter().any(|c| c.method == "SendVenue"))
        .await;
    let venue = &calls.iter().find(|c| c.method == "SendVenue").unwrap().body;
    assert_eq!(venue["chat_id"], 201);
    assert!((venue["latitude"].as_f64().unwrap() - 19.43892).abs() < 1e-6);
    assert!(venue["title"].as_str().unwrap().contains("approximate"));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_text_in_english_and_spanish_with_suggestions_and_none() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.push(private_text(301, "en", "what time do you open?"));
    api.push(private_text(302, "en", "¿Dónde está la oficina?"));
    api.push(private_text(303, "en", "card"));
    api.push(private_text(304, "es", "cuéntame un chiste"));
    api.push(private_text(
        305,
        "en",
        &"emoji 🙂 and a very long message ".repeat(130),
    ));
    api.push(private_text(306, "en", "¡Hola!"));
    let en = api.nth_message_to(301, 1).await;
    assert!(text(&en).starts_with("Opening hours"), "{}", text(&en));
    let es = api.nth_message_to(302, 1).await;
    assert!(
        text(&es).starts_with("Dirección y ubicación"),
        "answered in the question's language: {}",
        text(&es)
    );
    let weak = api.nth_message_to(303, 1).await;
    assert!(text(&weak).contains("Did you mean"));
    let options = buttons(&weak);
    let (none_of_these, topics) = options.split_last().expect("buttons");
    assert!(
        (2..=3).contains(&topics.len()) && topics.iter().all(|(_, d)| d.starts_with("t:")),
        "{options:?}"
    );
    assert_eq!(none_of_these.1, "n:", "the last button says none of these fit");
    let none = api.nth_message_to(304, 1).await;
    assert!(text(&none).contains("no sé de eso"), "{}", text(&none));
    assert!(
        buttons(&none).iter().any(|(_, d)| d == "t:hours"),
        "'none' offers the main topics"
    );
    let long = api.nth_message_to(305, 1).await;
    assert!(
        !text(&long).is_empty(),
        "a 4,000-character message gets a graceful answer"
    );
    let hello = api.nth_message_to(306, 1).await;
    assert!(
        text(&hello).starts_with("¡Hola! 👋"),
        "a greeting is greeted: {}",
        text(&hello)
    );
    assert!(buttons(&hello).iter().any(|(_, d)| d == "t:hours"));

    // Pressing a suggestion opens that topic.
    let (_, data) = options[0].clone();
    let msg = message_id(&api, 303, 1);
    api.push(callback(303, msg, &data));
    let opened = api.nth_message_to(303, 2).await;
    let id = data.trim_start_matches("t:");
    assert!(!text(&opened).contains("Did you mean"), "{id}");
    api.wait_for("the callback answered", WAIT, |c| {
        c.iter().any(|c| c.method == "AnswerCallbackQuery")
    })
    .await;
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checklist_ticks_are_edited_in_place_and_survive_a_restart() {
    let api = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let bot = BotProcess::start(&api, Some(&db), &[]);
    // A deep link opens the checklist directly.
    api.push(private_text(401, "en", "/start cl_canje"));
    let list = api.nth_message_to(401, 1).await;
    assert!(text(&list).contains("0 of 6 ready"), "{}", text(&list));
    let items = buttons(&list);
    assert_eq!(items.len(), 7, "six items and a reset button: {items:?}");
    assert!(items[0].0.starts_with('☐') && items[0].1 == "x:canje:passport_visa");
    let msg = message_id(&api, 401, 1);

    api.push(callback(401, msg, "x:canje:passport_visa"));
    let calls = api
        .wait_for("an edit", WAIT, |c| c.iter().any(|c| c.method == "EditMessageText"))
        .await;
    let edit = &calls.iter().find(|c| c.method == "EditMessageText").unwrap().body;
    assert_eq!(edit["message_id"], msg, "edited in place");
    assert!(text(edit).contains("1 of 6 ready"), "{}", text(edit));
    assert!(buttons(edit)[0].0.starts_with('✅'));
    api.wait_for("the callback answered", WAIT, |c| {
        c.iter().any(|c| c.method == "AnswerCallbackQuery")
    })
    .await;
    api.drained().await;
    stop_and_check(&api, bot);

    // Same database, new process: the tick is still there.
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, Some(&db), &[]);
    api.push(private_text(401, "en", "/checklist canje"));
    let again = api.nth_message_to(401, 1).await;
    assert!(text(&again).contains("1 of 6 ready"), "{}", text(&again));
    assert!(buttons(&again)[0].0.starts_with('✅'));
    // Another user's checklist is their own.
    api.push(private_text(402, "en", "/checklist canje"));
    assert!(text(&api.nth_message_to(402, 1).await).contains("0 of 6 ready"));
    // Start over.
    let msg = message_id(&api, 401, 1);
    api.push(callback(401, msg, "r:canje"));
    let calls = api
        .wait_for("a reset edit", WAIT, |c| {
            c.iter().any(|c| c.method == "EditMessageText")
        })
        .await;
    let edit = &calls.iter().find(|c| c.method == "EditMessageText").unwrap().body;
    assert!(text(edit).contains("0 of 6 ready"));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_stale_callbacks_are_answered() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.push(callback(501, 77, "no such thing"));
    api.push(callback(502, 78, "x:canje:not_an_item"));
    api.push(callback(503, 79, "t:removed_topic"));
    api.push(callback(504, 80, &"x".repeat(64)));
    let calls = api
        .wait_for("four callback answers", WAIT, |c| {
            c.iter().filter(|c| c.method == "AnswerCallbackQuery").count() == 4
        })
        .await;
    for c in calls.iter().filter(|c| c.method == "AnswerCallbackQuery") {
        assert!(c.body["text"].as_str().unwrap().contains("out of date"), "{}", c.body);
    }
    assert!(
        !calls
            .iter()
            .any(|c| c.method == "EditMessageText" || c.method == "SendMessage")
    );
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_choice_is_saved() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.push(private_text(601, "en", "/language"));
    api.nth_message_to(601, 1).await;
    let msg = message_id(&api, 601, 1);
    api.push(callback(601, msg, "l:es"));
    let calls = api
        .wait_for("an edit", WAIT, |c| c.iter().any(|c| c.method == "EditMessageText"))
        .await;
    let edit = &calls.iter().find(|c| c.method == "EditMessageText").unwrap().body;
    assert!(text(edit).contains("español"));
    api.push(private_text(601, "en", "/hours"));
    let hours = api.nth_message_to(601, 2).await;
    assert!(text(&hours).starts_with("Horario"), "{}", text(&hours));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_hear_commands_and_mentions_only() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    let group = -1001;
    api.push(group_text(
        group,
        701,
        "hello everyone, who is going to the INM tomorrow?",
        false,
    ));
    api.push(group_text(group, 702, "/hours@other_bot", false));
    api.push(group_text(group, 703, "/hours@inm_test_bot", false));
    let first = api.nth_message_to(group, 1).await;
    assert!(text(&first).starts_with("Opening hours"), "{}", text(&first));

    api.push(group_text(group, 704, "@inm_test_bot where is the office?", false));
    assert!(text(&api.nth_message_to(group, 2).await).starts_with("Address"));
    api.push(group_text(group, 705, "and parking?", true));
    assert!(text(&api.nth_message_to(group, 3).await).starts_with("Parking"));
    api.push(group_text(group, 706, "/checklist canje", false));
    let checklist = api.nth_message_to(group, 4).await;
    let links = buttons(&checklist);
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].1, "https://t.me/inm_test_bot?start=cl_canje",
        "checklists open in the private chat"
    );
    api.drained().await;
    let sent = api.calls_to("SendMessage");
    assert_eq!(sent.len(), 4, "chatter and other bots' commands get no reply");
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_mode_returns_up_to_five_articles() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.push(inline_query(801, "hours"));
    api.push(inline_query(802, ""));
    let calls = api
        .wait_for("two inline answers", WAIT, |c| {
            c.iter().filter(|c| c.method == "AnswerInlineQuery").count() == 2
        })
        .await;
    let answers: Vec<&Value> = calls
        .iter()
        .filter(|c| c.method == "AnswerInlineQuery")
        .map(|c| &c.body)
        .collect();
    let hours = answers.iter().find(|b| b["inline_query_id"] == "iq801").unwrap();
    let results = hours["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 5);
    assert_eq!(results[0]["id"], "hours");
    assert_eq!(results[0]["type"], "article");
    assert_eq!(results[0]["input_message_content"]["parse_mode"], "HTML");
    let menu = answers.iter().find(|b| b["inline_query_id"] == "iq802").unwrap();
    assert_eq!(menu["results"].as_array().unwrap().len(), 5);
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_answers_are_split_at_paragraphs() {
    let api = FakeApi::start().await;
    // A low message limit makes real answers long enough to need splitting.
    let bot = BotProcess::start(
        &api,
        None,
        &[("INM_BOT_MESSAGE_LIMIT", "300"), ("INM_BOT_NO_THROTTLE", "1")],
    );
    api.push(private_text(901, "en", "/procedures"));
    // The buttons come with the last part: wait for it.
    let calls = api
        .wait_for("the last part", WAIT, |c| {
            c.iter()
                .any(|c| c.method == "SendMessage" && c.body["reply_markup"].is_object())
        })
        .await;
    assert!(
        calls.iter().filter(|c| c.method == "SendMessage").count() >= 2,
        "split into several messages"
    );
    let parts: Vec<&Value> = calls
        .iter()
        .filter(|c| c.method == "SendMessage")
        .map(|c| &c.body)
        .collect();
    for p in &parts {
        let html = p["text"].as_str().unwrap();
        assert!(inm_bot::render::html_visible_len(html) <= 300, "{html}");
    }
    assert!(parts[0]["reply_markup"].is_null());
    let whole: String = parts.iter().map(|p| text(p)).collect::<Vec<_>>().join("\n\n");
    assert!(whole.contains("At the Mexico City office you can") && whole.contains("gob.mx/inm"));
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_answers_arrive_once() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.wait_for("polling", WAIT, |c| c.iter().any(|c| c.method == "GetUpdates"))
        .await;
    api.fail_next("SendMessage", Fault::RetryAfter(1));
    api.push(private_text(1001, "en", "what time do you open?"));
    let calls = api
        .wait_for("the retried answer", WAIT, |c| {
            c.iter().filter(|c| c.method == "SendMessage").count() >= 2
        })
        .await;
    let sends: Vec<_> = calls.iter().filter(|c| c.method == "SendMessage").collect();
    assert!(
        sends[1].at.duration_since(sends[0].at) >= Duration::from_millis(900),
        "waited retry_after"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        api.calls_to("SendMessage").len(),
        2,
        "one refused attempt, one delivered answer, no duplicate"
    );
    stop_and_check(&api, bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_dropped_connections_are_survived() {
    let api = FakeApi::start().await;
    let bot = BotProcess::start(&api, None, &[]);
    api.wait_for("polling", WAIT, |c| c.iter().any(|c| c.method == "GetUpdates"))
        .await;
    // A 500 means Telegram did not take the message: it is sent again, once (after the 10 s
    // teloxide waits on a server error), and other chats are answered meanwhile.
    api.fail_next("SendMessage", Fault::ServerError);
    api.push(private_text(1101, "en", "/hours"));
    api.nth_message_to(1101, 1).await;
    api.push(private_text(1102, "en", "/hours"));
    assert!(text(&api.nth_message_to(1102, 1).await).starts_with("Opening hours"));
    assert!(text(&api.nth_message_to(1101, 2).await).starts_with("Opening hours"));
    let to_1101 = |api: &FakeApi| {
        api.calls_to("SendMessage")
            .iter()
            .filter(|c| c.body["chat_id"] == 1101)
            .count()
    };
    assert_eq!(to_1101(&api), 2, "one refused attempt, one delivered answer");

    // A connection dropped after the request went out may have delivered it: not sent again.
    api.fail_next("SendMessage", Fault::Drop);
    api.push(private_text(1103, "en", "/advice"));
    api.wait_for("the dropped send", WAIT, |c| {
        c.iter().any(|c| c.body["chat_id"] == 1103)
    })
    .await;
    api.push(private_text(1104, "en", "/advice"));
    assert!(text(&api.nth_message_to(1104, 1).await).starts_with("Practical advice"));
    let log = stop_and_check(&api, bot);
    assert!(log.contains("sending failed; retrying"), "the retry is logged:\n{log}");
    assert!(log.contains("could not be sent"), "the lost message is logged:\n{log}");
    assert_eq!(to_1101(&api), 2, "nothing sent twice");
}

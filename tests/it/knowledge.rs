//! Loading and validating knowledge bases: the shipped one is valid; broken ones give every
//! problem at once, with file, line and column where YAML gives them.

use std::fs;
use std::path::{Path, PathBuf};

use inm_bot::knowledge::{self, Problems};

fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// A copy of the shipped knowledge base in a temporary directory, to break on purpose.
fn copy_of_shipped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&shipped_dir(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "fixture text {from:?} not found in {}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn problems(dir: &Path) -> Problems {
    match inm_bot::load(Some(dir)) {
        Ok(_) => panic!("expected {} to be refused", dir.display()),
        Err(p) => p,
    }
}

#[test]
fn shipped_knowledge_base_is_valid_from_disk_and_embedded() {
    let from_disk = inm_bot::load(Some(&shipped_dir())).expect("knowledge/ must validate");
    let embedded = inm_bot::load(None).expect("embedded copy must validate");
    assert_eq!(from_disk.kb.topics.len(), embedded.kb.topics.len());
    for id in [
        "hours",
        "address",
        "parking",
        "waiting",
        "neighborhood",
        "appointment",
        "phones",
        "language",
        "documents",
        "copies",
        "procedures",
        "temporary_residency",
        "permanent_residency",
        "canje",
        "renewal",
        "change_of_status",
        "regularization",
        "card_replacement",
        "official_info",
    ] {
        assert!(embedded.kb.topic(id).is_some(), "topic {id} is required");
    }
    for t in &embedded.kb.topics {
        assert!(!t.sources.is_empty(), "{} has sources", t.id);
    }
    for id in [
        "canje",
        "renewal",
        "permanent_residency",
        "temporary_residency",
        "change_of_status",
        "regularization",
        "card_replacement",
    ] {
        assert!(
            embedded.kb.topic(id).unwrap().checklist.len() >= 3,
            "{id} has a checklist"
        );
    }
}

#[test]
fn yaml_syntax_error_names_file_line_and_column() {
    let dir = copy_of_shipped();
    let file = dir.path().join("topics/office.yaml");
    // An unterminated quoted string on the keywords line of the parking topic.
    edit(&file, "en: [parking, park, car,", "en: [parking, \"park, car,");
    let p = problems(dir.path());
    assert_eq!(p.0.len(), 1, "{p}");
    let problem = &p.0[0];
    assert!(problem.file.ends_with("topics/office.yaml"), "{problem}");
    let text = fs::read_to_string(&file).unwrap();
    let expected_line = text.lines().position(|l| l.contains("[parking, \"park, car,")).unwrap() + 1;
    let line = problem.line.expect("a line number");
    assert!(
        (expected_line..=expected_line + 4).contains(&line),
        "{problem} (the error is near line {expected_line})"
    );
    assert!(problem.column.is_some());
    assert!(p.to_string().contains("office.yaml:"), "{p}");
}

#[test]
fn schema_errors_name_the_field_and_line() {
    let dir = copy_of_shipped();
    let file = dir.path().join("topics/visiting.yaml");
    edit(
        &file,
        "    last_verified: 2026-11-27\n",
        "    last_verifed: 2026-11-27\n",
    );
    let p = problems(dir.path());
    let msg = p.to_string();
    assert!(msg.contains("visiting.yaml:"), "{msg}");
    assert!(msg.contains("last_verifed"), "{msg}");
    assert!(p.0[0].line.is_some());
}

/// Breaks a copy of the knowledge base in seven ways that only validation can see: a bad time
/// zone, inverted hours, a duplicate topic id, an unknown related topic, a missing translation,
/// a repeated checklist id and an unknown placeholder. Returns the three files edited.
fn break_semantically(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let office = dir.join("office.yaml");
    edit(
        &office,
        "time_zone: \"America/Mexico_City\"",
        "time_zone: \"America/Atlantis\"",
    );
    edit(
        &office,
        "      open: \"09:00\"\n      close: \"15:00\"",
        "      open: \"15:00\"\n      close: \"09:00\"",
    );
    let topics = dir.join("topics/office.yaml");
    edit(&topics, "  - id: parking", "  - id: hours");
    edit(
        &topics,
        "related: [address, neighborhood]",
        "related: [address, nowhere]",
    );
    edit(&topics, "es: \"Copias e impresiones cerca\"", "es: \"\"");
    let procedures = dir.join("topics/procedures.yaml");
    edit(
        &procedures,
        "      - id: fmm_canje\n        en: \"FMM entry form marked \\\"canje\\\"\"",
        "      - id: passport_visa\n        en: \"FMM entry form marked \\\"canje\\\"\"",
    );
    edit(
        &procedures,
        "    answer:\n      en: |\n        A temporary residency is renewed",
        "    answer:\n      en: |\n        {weather} A temporary residency is renewed",
    );
    (office, topics, procedures)
}

#[test]
fn semantic_problems_are_all_reported_together() {
    let dir = copy_of_shipped();
    let (_, topics, _) = break_semantically(dir.path());
    edit(
        &topics,
        "      es: [celular, celulares, cel, telefono, telefonos, movil, llamadas, usar, uso, permiten, permitido,\n           adentro, dentro, aparato, entrar, meter]",
        "      es: []",
    );

    let p = problems(dir.path());
    let msg = p.to_string();
    for needle in [
        "invalid time zone 'America/Atlantis'",
        "inverted",
        "duplicate topic id 'hours'",
        "related topic 'nowhere' does not exist",
        "empty es keyword list",
        "missing es translation",
        "checklist item id 'passport_visa' is repeated",
        "unknown placeholder {weather}",
    ] {
        assert!(msg.contains(needle), "missing {needle:?} in:\n{msg}");
    }
    assert!(p.0.len() >= 8, "{msg}");
}

#[test]
fn overlapping_hours_are_refused() {
    let dir = copy_of_shipped();
    edit(
        &dir.path().join("office.yaml"),
        "      close: \"15:00\"\n",
        "      close: \"15:00\"\n    - days: [wed]\n      open: \"14:00\"\n      close: \"16:00\"\n",
    );
    let msg = problems(dir.path()).to_string();
    assert!(msg.contains("overlap on Wed"), "{msg}");
}

#[test]
fn an_answer_too_long_for_telegram_is_refused() {
    let dir = copy_of_shipped();
    let long = "Very long answer. ".repeat(300);
    edit(
        &dir.path().join("topics/visiting.yaml"),
        "        📷 The official sheets ask",
        &format!("        {long}\n        📷 The official sheets ask"),
    );
    let msg = problems(dir.path()).to_string();
    assert!(msg.contains("topic 'photos': the en answer is"), "{msg}");
    assert!(msg.contains("over Telegram's 4096"), "{msg}");
}

#[test]
fn a_missing_directory_is_a_clear_error() {
    let err = knowledge::load_dir(Path::new("/nonexistent/inm-bot-knowledge")).unwrap_err();
    assert!(err.to_string().contains("cannot read"), "{err}");
}

#[test]
fn an_empty_directory_has_no_office() {
    let dir = tempfile::tempdir().unwrap();
    let err = knowledge::load_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("no .yaml files"), "{err}");
}

/// The problem whose message contains `needle`.
fn find<'a>(p: &'a Problems, needle: &str) -> &'a knowledge::Problem {
    p.0.iter()
        .find(|x| x.message.contains(needle))
        .unwrap_or_else(|| panic!("no problem with {needle:?} in:\n{p}"))
}

/// The 1-based line where `needle` (which may span lines) first starts in `file`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = fs::read_to_string(file).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {}", file.display()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[..start].matches('\n').count() + 1
}

#[test]
fn every_semantic_problem_names_file_line_and_column() {
    let dir = copy_of_shipped();
    let (office, topics, procedures) = break_semantically(dir.path());
    let p = problems(dir.path());
    let cases: [(&str, &Path, &str, usize); 7] = [
        ("invalid time zone", &office, "time_zone: \"America/Atlantis\"", 3),
        ("inverted", &office, "open: \"15:00\"", 7),
        ("duplicate topic id 'hours'", &topics, "  - id: hours\n", 5),
        ("related topic 'nowhere'", &topics, "related: [address, nowhere]", 24),
        ("missing es translation", &topics, "es: \"\"", 0),
        (
            "checklist item id 'passport_visa' is repeated",
            &procedures,
            "- id: passport_visa\n        en: \"FMM",
            0,
        ),
        ("unknown placeholder {weather}", &procedures, "{weather} A temporary", 0),
    ];
    for (needle, file, text, column) in cases {
        let problem = find(&p, needle);
        assert!(
            problem
                .file
                .ends_with(&file.file_name().unwrap().to_string_lossy().to_string()),
            "{problem}"
        );
        let expected = if needle.starts_with("duplicate") {
            line_of(&shipped_dir().join("topics/office.yaml"), "  - id: parking")
        } else {
            line_of(file, text)
        };
        let line = problem.line.unwrap_or_else(|| panic!("no line in {problem}"));
        // A placeholder is reported at the answer's key, a line or two above the text.
        assert!(
            line == expected || (needle.contains("placeholder") && (expected - 2..expected).contains(&line)),
            "{problem}: expected line {expected}"
        );
        let col = problem.column.unwrap_or_else(|| panic!("no column in {problem}"));
        if column > 0 {
            assert_eq!(col, column, "{problem}");
        }
        assert!(p.to_string().contains(&format!(":{line}:{col}: ")), "{p}");
    }
    // The duplicate points at the first definition too.
    assert!(find(&p, "duplicate topic id").message.contains("office.yaml:"), "{p}");
}

#[test]
fn an_answer_too_long_names_its_file_and_line() {
    let dir = copy_of_shipped();
    let file = dir.path().join("topics/visiting.yaml");
    let long = "Very long answer. ".repeat(300);
    edit(
        &file,
        "        📷 The official sheets ask",
        &format!("        {long}\n        📷 The official sheets ask"),
    );
    let p = problems(dir.path());
    let problem = find(&p, "topic 'photos': the en answer is");
    assert!(problem.file.ends_with("visiting.yaml"), "{problem}");
    let line = problem.line.expect("a line");
    assert!(line < line_of(&file, "Very long answer."), "{problem}");
    assert!(line > line_of(&file, "id: photos"), "{problem}");
}

#[test]
fn non_utf8_and_multi_document_files_are_located() {
    let dir = copy_of_shipped();
    let file = dir.path().join("topics/visiting.yaml");
    let mut bytes = fs::read(&file).unwrap();
    let at = bytes.windows(12).position(|w| w == b"id: photos\n ").unwrap();
    bytes.insert(at + 4, 0xff);
    fs::write(&file, &bytes).unwrap();
    let p = problems(dir.path());
    let problem = find(&p, "not valid UTF-8");
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at + 4 - bytes[..at].iter().rposition(|&b| b == b'\n').unwrap();
    assert_eq!((problem.line, problem.column), (Some(line), Some(column)), "{problem}");

    let dir = copy_of_shipped();
    let file = dir.path().join("topics/visiting.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("{text}\n---\ntopics: []\n")).unwrap();
    let p = problems(dir.path());
    let problem = find(&p, "more than one YAML document");
    assert_eq!(problem.line, Some(text.lines().count() + 2), "{problem}");
}

/// The expansion bomb of issue 12, scaled down: an alias repeated many times. It must be
/// refused at the anchor, before anything is expanded.
#[test]
fn yaml_aliases_are_refused_before_expansion() {
    let dir = copy_of_shipped();
    let s = "x".repeat(100_000);
    let bomb = format!(
        "topics:\n  - id: a\n    keywords:\n      en: [&s \"{s}\", {}]\n",
        vec!["*s"; 5000].join(", ")
    );
    fs::write(dir.path().join("topics/zz.yaml"), bomb).unwrap();
    let start = std::time::Instant::now();
    let p = problems(dir.path());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    let problem = find(&p, "anchors");
    assert!(problem.file.ends_with("zz.yaml"), "{problem}");
    assert_eq!((problem.line, problem.column), (Some(4), Some(12)), "{problem}");
}

#[test]
fn oversized_files_are_refused_unread() {
    let dir = copy_of_shipped();
    let big = format!("# {}\n", "x".repeat(knowledge::source::MAX_FILE_BYTES as usize));
    fs::write(dir.path().join("topics/big.yaml"), big).unwrap();
    let p = problems(dir.path());
    assert!(find(&p, "larger than").file.ends_with("big.yaml"), "{p}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_blocking() {
    let dir = copy_of_shipped();
    let fifo = dir.path().join("topics/zz.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let start = std::time::Instant::now();
    let p = inm_bot::load_within(Some(dir.path()), std::time::Duration::from_secs(5))
        .err()
        .expect("refused");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    let problem = find(&p, "not a regular file");
    assert!(problem.file.ends_with("zz.yaml"), "{problem}");
}

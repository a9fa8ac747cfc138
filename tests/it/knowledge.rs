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

#[test]
fn semantic_problems_are_all_reported_together() {
    let dir = copy_of_shipped();
    let office = dir.path().join("office.yaml");
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
    let topics = dir.path().join("topics/office.yaml");
    edit(&topics, "  - id: parking", "  - id: hours");
    edit(
        &topics,
        "related: [address, neighborhood]",
        "related: [address, nowhere]",
    );
    edit(
        &topics,
        "      es: [celular, celulares, cel, telefono, telefonos, movil, llamadas, usar, uso, permiten, permitido,\n           adentro, dentro, aparato, entrar, meter]",
        "      es: []",
    );
    edit(&topics, "es: \"Copias e impresiones cerca\"", "es: \"\"");
    let procedures = dir.path().join("topics/procedures.yaml");
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

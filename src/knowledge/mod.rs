//! The knowledge base: the YAML schema (`schema`), loading it from disk or from the copy compiled
//! into the binary (`load`), and checking it so that authors get every problem at once, with file,
//! line and column (`validate`).
//!
//! Nothing here knows about matching, rendering or Telegram; other modules read these types.

use std::fmt;

mod load;
mod schema;
pub mod source;
mod validate;

pub use load::{load_dir, load_embedded, load_files};
pub use schema::*;

/// One problem found in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            (Some(l), None) => write!(f, "{}:{}: {}", self.file, l, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found while loading a knowledge base.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the knowledge base has {} problem(s):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_knowledge_loads() {
        let kb = load_embedded().expect("shipped knowledge base must validate");
        assert!(kb.topics.len() >= 19);
        assert_eq!(kb.office.time_zone, "America/Mexico_City");
    }

    #[test]
    fn placeholders_are_found() {
        let v: Vec<_> = placeholders("a {status} b {x} c { d").collect();
        assert_eq!(v, vec!["status", "x"]);
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
    }
}

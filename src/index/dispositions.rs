//! What a run did not index, and why: every input and record left out
//! (skipped), unreadable (failed) or indexed with something unusable
//! (warnings), counted in full but listed only in part, so that an input
//! of ten million bad lines gives a report of bounded size. The full list
//! is what [`Progress::noted`](super::Progress::noted) sees as it happens.

use std::collections::BTreeMap;
use std::path::Path;

/// How many entries of one input a report lists.
pub const LISTED_PER_INPUT: usize = 20;
/// How many entries of one kind a report lists in all.
pub const LISTED: usize = 1000;
/// How many distinct reasons a report counts apart; the rest are counted
/// together under [`OTHER_REASONS`].
const COUNTED_REASONS: usize = 100;
/// The reason under which reasons past [`COUNTED_REASONS`] are counted.
pub const OTHER_REASONS: &str = "(other reasons)";
/// Reasons are counted by their first this many characters, digits and
/// quoted names blanked.
const REASON_CHARS: usize = 80;

/// An input, or a record of one, that was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    /// The input file (or path that could not be walked).
    pub input: String,
    /// Line or record number within it, when the reason is about one record.
    pub record: Option<u64>,
    /// Why, for a person to act on.
    pub reason: String,
}

impl Disposition {
    /// A disposition of `record` of the input at `path` (record 0: the whole input).
    pub fn at(path: &Path, record: u64, reason: String) -> Disposition {
        Disposition {
            input: path.display().to_string(),
            record: (record > 0).then_some(record),
            reason,
        }
    }
}

/// Which list of the report an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispositionKind {
    /// Left out on purpose.
    Skipped,
    /// Could not be read.
    Failed,
    /// Indexed, with something that could not be used.
    Warning,
}

impl DispositionKind {
    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            DispositionKind::Skipped => "skipped",
            DispositionKind::Failed => "failed",
            DispositionKind::Warning => "warning",
        }
    }
}

/// Entries of one kind: all counted, by input and by reason, and the
/// first ones listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dispositions {
    total: u64,
    listed: Vec<Disposition>,
    by_input: BTreeMap<String, u64>,
    by_reason: BTreeMap<String, u64>,
}

impl Dispositions {
    /// Counts `entry`, and lists it while its input and the whole list
    /// are under their caps.
    pub fn push(&mut self, entry: Disposition) {
        self.total += 1;
        let reason = reason_class(&entry.reason);
        let counted =
            self.by_reason.len() < COUNTED_REASONS || self.by_reason.contains_key(&reason);
        let reason = if counted {
            reason
        } else {
            OTHER_REASONS.to_owned()
        };
        *self.by_reason.entry(reason).or_default() += 1;
        let of_input = self.by_input.entry(entry.input.clone()).or_default();
        *of_input += 1;
        if *of_input <= LISTED_PER_INPUT as u64 && self.listed.len() < LISTED {
            self.listed.push(entry);
        }
    }

    /// Entries in all.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The entries listed: the first of each input, up to the caps.
    pub fn listed(&self) -> &[Disposition] {
        &self.listed
    }

    /// Entries counted per input.
    pub fn by_input(&self) -> &BTreeMap<String, u64> {
        &self.by_input
    }

    /// Entries counted per reason, digits and quoted names blanked.
    pub fn by_reason(&self) -> &BTreeMap<String, u64> {
        &self.by_reason
    }
}

impl Extend<Disposition> for Dispositions {
    fn extend<T: IntoIterator<Item = Disposition>>(&mut self, entries: T) {
        for entry in entries {
            self.push(entry);
        }
    }
}

/// A reason with what varies from record to record blanked: numbers
/// become `N`, names between backquotes `…`, and it is cut short.
fn reason_class(reason: &str) -> String {
    let mut class = String::new();
    let mut quoted = false;
    let mut previous_digit = false;
    for c in reason.chars().take(REASON_CHARS) {
        if c == '`' {
            if !quoted {
                class.push_str("`…`");
            }
            quoted = !quoted;
            continue;
        }
        if quoted {
            continue;
        }
        let digit = c.is_ascii_digit();
        if digit && !previous_digit {
            class.push('N');
        } else if !digit {
            class.push(c);
        }
        previous_digit = digit;
    }
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(input: &str, reason: &str) -> Disposition {
        Disposition {
            input: input.to_owned(),
            record: Some(1),
            reason: reason.to_owned(),
        }
    }

    #[test]
    fn everything_is_counted_and_only_the_first_are_listed() {
        let mut list = Dispositions::default();
        for line in 0..100_000 {
            list.push(entry(
                "bad.jsonl",
                &format!("line {line}: invalid JSON at column 1"),
            ));
        }
        list.push(entry("other.jsonl", "line 7: invalid JSON at column 3"));
        assert_eq!(list.len(), 100_001);
        assert_eq!(list.listed().len(), LISTED_PER_INPUT + 1);
        assert_eq!(list.by_input()["bad.jsonl"], 100_000);
        assert_eq!(
            list.by_reason()["line N: invalid JSON at column N"],
            100_001
        );
    }

    #[test]
    fn reasons_are_counted_apart_up_to_a_cap() {
        let mut list = Dispositions::default();
        for n in 0..(COUNTED_REASONS + 50) {
            list.push(entry(
                &format!("f{n}"),
                &format!("reason {}", "x".repeat(n)),
            ));
        }
        assert_eq!(list.by_reason().len(), COUNTED_REASONS + 1);
        assert_eq!(list.by_reason()[OTHER_REASONS], 50);
        assert_eq!(list.listed().len(), COUNTED_REASONS + 50);
    }

    #[test]
    fn reason_classes_blank_numbers_and_quoted_names() {
        assert_eq!(
            reason_class("duplicate of article `a-17` in x.jsonl:12"),
            "duplicate of article `…` in x.jsonl:N"
        );
    }
}

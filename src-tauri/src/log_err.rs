//! One way to drop an error the shell can do nothing about (an event the
//! window may not be listening for, a tray label, a best-effort reply on
//! the instance socket): log it, with what was being done, and go on.

use std::fmt::Display;

use tracing::warn;

/// `result.log_err("what was being done")`: the value, or None after a
/// warning naming the failure.
pub trait LogErr<T> {
    /// Logs the error (if any) as a warning and turns it into None.
    fn log_err(self, doing: &str) -> Option<T>;
}

impl<T, E: Display> LogErr<T> for Result<T, E> {
    fn log_err(self, doing: &str) -> Option<T> {
        match self {
            Ok(v) => Some(v),
            Err(e) => {
                warn!("{doing}: {e}");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LogErr;

    #[test]
    fn passes_a_value_through_and_turns_an_error_into_none() {
        assert_eq!(Ok::<u8, String>(3).log_err("reading"), Some(3));
        assert_eq!(Err::<u8, String>("gone".into()).log_err("reading"), None);
    }
}

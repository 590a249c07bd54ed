//! Reading "when" from the command line: `--at 1h`, `--at tomorrow`,
//! `--at monday`, `--at 2026-12-07T09:30` (my time zone), an RFC 3339
//! instant, or `--at-their-start`.

use chrono::{DateTime, NaiveDateTime, Utc};
use clap::Args;
use tidings::model::schedule::SendAt;
use tidings::{Error, ErrorCode, Result};

/// When to send a post (absent: now).
#[derive(Args, Debug, Default)]
pub struct WhenArgs {
    /// Send later: 1h, tomorrow (at my start), monday (at my start),
    /// YYYY-MM-DDTHH:MM in my time zone, or an RFC 3339 instant.
    #[arg(long, value_name = "WHEN", conflicts_with = "at_their_start")]
    pub at: Option<String>,
    /// Send later: each notified person gets it when their working hours
    /// next start (now, for someone already at work).
    #[arg(long)]
    pub at_their_start: bool,
}

impl WhenArgs {
    /// The chosen time, or None to send now.
    pub fn send_at(&self) -> Result<Option<SendAt>> {
        if self.at_their_start {
            return Ok(Some(SendAt::AtTheirStart));
        }
        self.at.as_deref().map(parse).transpose()
    }
}

/// Parses one `--at` value.
pub fn parse(s: &str) -> Result<SendAt> {
    let t = s.trim().to_lowercase();
    Ok(match t.as_str() {
        "1h" | "in-1h" | "hour" => SendAt::InOneHour,
        "tomorrow" => SendAt::TomorrowAtMyStart,
        "monday" | "mon" => SendAt::MondayAtMyStart,
        _ => {
            if let Ok(at) = DateTime::parse_from_rfc3339(s.trim()) {
                SendAt::Instant(at.with_timezone(&Utc))
            } else if let Ok(local) = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M"))
            {
                SendAt::MyLocal(local)
            } else {
                return Err(Error::new(
                    ErrorCode::InvalidTime,
                    format!("'{s}' is not a time: write 1h, tomorrow, monday, 2026-12-07T09:30 (your time zone) or an RFC 3339 instant"),
                ));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_parses_and_nonsense_is_refused() {
        assert_eq!(parse("1h").unwrap(), SendAt::InOneHour);
        assert_eq!(parse("Tomorrow").unwrap(), SendAt::TomorrowAtMyStart);
        assert_eq!(parse("monday").unwrap(), SendAt::MondayAtMyStart);
        assert!(matches!(
            parse("2026-12-07T09:30").unwrap(),
            SendAt::MyLocal(_)
        ));
        assert!(matches!(
            parse("2026-12-07 09:30").unwrap(),
            SendAt::MyLocal(_)
        ));
        assert!(matches!(
            parse("2026-12-07T09:30:00Z").unwrap(),
            SendAt::Instant(_)
        ));
        assert_eq!(parse("soonish").unwrap_err().code, ErrorCode::InvalidTime);
    }
}

//! The last stage before HTML is written: caps how deep tags nest and
//! writes table cells without `style`.
//!
//! Both are about what reaches ammonia. Its HTML parser (html5ever) is
//! quadratic in nesting depth, so 100 KiB of `>` would take about a minute
//! uncapped; and pulldown-cmark aligns cells with `style`, which the
//! sanitizer refuses outright, so alignment is said with `align` instead.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

/// How deep tags may nest in the output. Real messages stay under ten
/// levels; anything deeper is an accident or an attack, and its content is
/// still shown, only without the extra levels.
pub(super) const MAX_DEPTH: usize = 32;

/// Collects the final events.
#[derive(Default)]
pub(super) struct Output<'a> {
    events: Vec<Event<'a>>,
    /// For each open tag, whether its start was written, so its end is
    /// written (or not) to match and the HTML stays balanced.
    open: Vec<bool>,
    aligns: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl<'a> Output<'a> {
    /// Adds one event, unless it opens or closes a tag beyond
    /// [`MAX_DEPTH`].
    pub(super) fn emit(&mut self, ev: Event<'a>) {
        let written = match &ev {
            Event::Start(_) => {
                let keep = self.open.len() < MAX_DEPTH;
                self.open.push(keep);
                keep
            }
            Event::End(_) => self.open.pop().unwrap_or(false),
            _ => true,
        };
        if !written {
            return;
        }
        // Table state is tracked here, after the cap, so a table dropped
        // for depth drops its cells with it.
        match ev {
            Event::Start(Tag::Table(aligns)) => {
                self.aligns = aligns.clone();
                self.events.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                self.events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                self.events.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                self.events.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let tag = self.cell_tag();
                let align = match self.aligns.get(self.cell) {
                    Some(Alignment::Left) => " align=\"left\"",
                    Some(Alignment::Center) => " align=\"center\"",
                    Some(Alignment::Right) => " align=\"right\"",
                    _ => "",
                };
                self.events
                    .push(Event::InlineHtml(format!("<{tag}{align}>").into()));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = self.cell_tag();
                self.events
                    .push(Event::InlineHtml(format!("</{tag}>").into()));
                self.cell = self.cell.saturating_add(1);
            }
            other => self.events.push(other),
        }
    }

    fn cell_tag(&self) -> &'static str {
        if self.in_head {
            "th"
        } else {
            "td"
        }
    }

    /// The events to write.
    pub(super) fn into_events(self) -> Vec<Event<'a>> {
        self.events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_beyond_the_cap_are_dropped_in_balanced_pairs() {
        let mut out = Output::default();
        for _ in 0..MAX_DEPTH + 5 {
            out.emit(Event::Start(Tag::BlockQuote(None)));
        }
        out.emit(Event::Text("deep".into()));
        for _ in 0..MAX_DEPTH + 5 {
            out.emit(Event::End(TagEnd::BlockQuote(None)));
        }
        let events = out.into_events();
        let starts = events
            .iter()
            .filter(|e| matches!(e, Event::Start(_)))
            .count();
        let ends = events.iter().filter(|e| matches!(e, Event::End(_))).count();
        assert_eq!((starts, ends), (MAX_DEPTH, MAX_DEPTH));
        assert!(events.contains(&Event::Text("deep".into())));
    }

    #[test]
    fn an_unmatched_end_is_dropped_rather_than_panicking() {
        let mut out = Output::default();
        out.emit(Event::End(TagEnd::Paragraph));
        assert!(out.into_events().is_empty());
    }
}

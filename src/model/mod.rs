//! The data model: ids, clocks, profiles, the ops that everything a person
//! does is recorded as, their limits and their signatures.

pub mod away;
pub mod checkin;
pub mod clock;
pub mod ids;
pub mod later;
pub mod limits;
pub mod op;
pub mod profile;
pub mod replyby;
pub mod schedule;
pub mod signed;
pub mod urgent;

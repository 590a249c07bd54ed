//! Tauri commands: one-line adapters over core calls, declared once here
//! and exported to TypeScript (ui/src/lib/bindings.ts) with the events.

pub mod app;
pub mod catchup;
pub mod channels;
pub mod checkins;
pub mod comments;
pub mod later;
pub mod mine;
pub mod people;
pub mod reminders;
pub mod search;
pub mod settings;
pub mod setup;
pub mod storage;
pub mod sync;
pub mod threads;

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::events::{
    Navigate, Progress, ShellNotice, StoreChanged, SyncStatusChanged, UnreadChanged,
};

/// Every command and event the UI may use.
pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::ui_ready,
            app::time_zones,
            app::set_open_thread,
            app::open_external,
            app::set_test_clock,
            setup::create_workspace,
            setup::join_workspace,
            channels::list_channels,
            channels::create_channel,
            channels::rename_channel,
            channels::archive_channel,
            threads::channel_threads,
            threads::get_thread,
            threads::get_thread_at,
            threads::get_thread_before,
            threads::create_thread,
            threads::retitle_thread,
            threads::set_thread_closed,
            comments::add_comment,
            comments::edit_comment,
            comments::delete_comment,
            comments::react,
            comments::preview_markdown,
            later::post_thread,
            later::post_comment,
            later::scheduled_list,
            later::cancel_scheduled,
            later::send_scheduled_now,
            later::edit_scheduled,
            later::recipients_day,
            later::waiting_on_me,
            later::waiting_on_others,
            later::mark_answered,
            later::withdraw_reply,
            later::set_away,
            later::clear_away,
            later::my_away,
            checkins::checkins,
            checkins::create_checkin,
            checkins::edit_checkin,
            checkins::pause_checkin,
            checkins::stop_checkin,
            checkins::answer_checkin,
            checkins::checkin_board,
            checkins::checkin_asks,
            catchup::catch_up,
            catchup::catch_up_seen,
            reminders::remind,
            reminders::reminder_preview,
            reminders::later_list,
            reminders::later_done,
            reminders::later_remove,
            mine::mark_read,
            mine::set_done,
            mine::snooze,
            mine::mute,
            mine::follow,
            mine::inbox,
            mine::done_list,
            mine::unread_counts,
            people::members,
            people::update_profile,
            search::search,
            settings::notification_settings,
            settings::set_notification_settings,
            settings::pause_notifications,
            settings::urgent_settings,
            settings::set_urgent_settings,
            sync::sync_status,
            sync::add_nats_target,
            sync::add_folder_target,
            sync::remove_sync_target,
            sync::invite_code,
            storage::export_workspace,
            storage::reindex_search,
        ])
        .events(collect_events![
            StoreChanged,
            UnreadChanged,
            SyncStatusChanged,
            Navigate,
            Progress,
            ShellNotice
        ])
}

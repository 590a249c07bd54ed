//! Word lists for the generated workspace: names, time zones, channel
//! names, reactions and a software team's vocabulary.

/// Reactions people use.
#[rustfmt::skip]
pub const EMOJI: &[&str] = &[
    "👍", "🎉", "❤️", "👀", "🚀", "😄", "🙏", "✅", ":shipit:", ":+1:",
];

/// First names.
#[rustfmt::skip]
pub const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gustavo", "Hana", "Ivan", "Jia",
    "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Aiko", "Bruno", "Carmen", "Dev",
];

/// Family names.
#[rustfmt::skip]
pub const LAST: &[&str] = &[
    "Souza", "Tanaka", "Martin", "Ivanov", "Okafor", "Haddad", "Pereira", "Kim", "Petrov",
    "Chen", "Mensah", "Weber", "García", "Rahman", "Nilsson", "Sharma", "Dubois", "Rossi",
    "Larsen", "Aziz", "Patel", "Novak", "Li", "López", "Demir", "Müller", "Sato", "Costa",
    "Ortiz", "Gupta",
];

/// IANA time zones of the team.
#[rustfmt::skip]
pub const ZONES: &[&str] = &[
    "Europe/Lisbon", "Asia/Tokyo", "Europe/Paris", "Europe/Berlin", "Africa/Lagos",
    "America/New_York", "America/Sao_Paulo", "Asia/Kolkata", "America/Los_Angeles",
    "Australia/Sydney",
];

/// Channel names (numbered when reused).
#[rustfmt::skip]
pub const CHANNEL_WORDS: &[&str] = &[
    "general", "engineering", "design", "releases", "incidents", "product", "support", "infra",
    "mobile", "web", "data", "security", "hiring", "random", "firmware", "hardware", "qa",
    "docs", "sales", "ops", "research", "billing", "growth", "perf", "planning",
];

/// Vocabulary, most frequent first (sampled with a Zipf curve).
#[rustfmt::skip]
pub const VOCAB: &[&str] = &[
    "the", "to", "we", "a", "and", "is", "it", "of", "in", "for", "that", "this", "on", "i",
    "be", "with", "can", "think", "should", "not", "have", "if", "so", "but", "just", "release",
    "build", "test", "deploy", "review", "change", "issue", "fix", "update", "branch", "server",
    "client", "error", "config", "merge", "design", "team", "query", "cache", "latency",
    "database", "index", "schema", "migration", "rollback", "staging", "production", "customer",
    "feature", "flag", "metrics", "dashboard", "alert", "incident", "timeout", "retry", "queue",
    "worker", "thread", "memory", "leak", "profile", "benchmark", "regression", "crash",
    "stack", "trace", "log", "logging", "tracing", "endpoint", "request", "response", "payload",
    "header", "token", "session", "login", "password", "permission", "role", "admin", "user",
    "account", "billing", "invoice", "payment", "refund", "pricing", "plan", "roadmap",
    "milestone", "sprint", "estimate", "deadline", "priority", "blocker", "ticket", "backlog",
    "standup", "retro", "meeting", "agenda", "notes", "summary", "proposal", "decision",
    "tradeoff", "option", "approach", "prototype", "spike", "experiment", "hypothesis",
    "result", "data", "pipeline", "job", "cron", "schedule", "batch", "stream", "event",
    "message", "notification", "email", "webhook", "integration", "api", "sdk", "library",
    "dependency", "version", "upgrade", "patch", "security", "vulnerability", "audit",
    "compliance", "encryption", "certificate", "firewall", "network", "proxy", "dns", "cluster",
    "node", "pod", "container", "image", "registry", "kubernetes", "terraform", "ansible",
    "docker", "linux", "kernel", "driver", "firmware", "sensor", "motor", "controller",
    "calibration", "voltage", "battery", "charging", "thermal", "vibration", "assembly",
    "supplier", "shipment", "warehouse", "inventory", "order", "tracking", "label", "printer",
    "scanner", "camera", "lidar", "navigation", "mapping", "localization", "planner",
    "obstacle", "gripper", "arm", "joint", "torque", "encoder", "simulation", "physics",
    "render", "shader", "texture", "animation", "layout", "button", "modal", "sidebar", "dark",
    "theme", "font", "icon", "accessibility", "keyboard", "shortcut", "mobile", "android",
    "ios", "tablet", "browser", "safari", "firefox", "chrome", "electron", "tauri", "desktop",
    "offline", "sync", "conflict", "replica", "backup", "restore", "snapshot", "archive",
    "export", "import", "csv", "json", "yaml", "protobuf", "grpc", "graphql", "rest",
    "websocket", "throughput", "bottleneck", "flamegraph", "allocation", "garbage",
    "compaction", "fsync", "durability", "consistency", "transaction", "isolation", "deadlock",
    "mutex", "async", "tokio", "runtime", "scheduler", "executor", "future", "closure",
    "lifetime", "borrow", "trait", "generic", "macro", "compile", "linker", "clippy", "rustfmt",
    "lint", "coverage", "fuzzing", "proptest", "snapshot", "golden", "flaky", "quarantine",
    "bisect", "revert", "hotfix", "changelog", "onboarding", "handbook", "vacation", "offsite",
    "hiring", "interview", "candidate", "feedback", "mentor", "okr", "budget", "forecast",
    "revenue", "churn", "retention", "signup", "funnel", "conversion", "experiment", "cohort",
    "segment", "survey", "interviews", "persona",
];

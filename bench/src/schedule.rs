//! How a load generator schedules its sends, shared by the end-to-end (`e2e`) and Cloud API
//! (`api`) benchmarks, the client loop that carries them out and the report.

use serde::{Deserialize, Serialize};

/// How sends are scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// As fast as acks allow, with `window` unacked sends per client.
    Saturate,
    /// A fixed total rate spread evenly over clients and time.
    Rate,
}

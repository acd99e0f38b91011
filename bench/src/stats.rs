//! Measurement helpers: latency percentiles, and CPU time and resident memory of a process
//! read from `/proc`.

use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};

/// Kernel clock ticks per second for `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
const CLOCK_TICKS: f64 = 100.0;

/// Latency summary in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Latency {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// 99.9th percentile.
    pub p999_ms: f64,
    /// Largest sample.
    pub max_ms: f64,
}

impl Latency {
    /// Summarise samples given in microseconds (sorted in place).
    pub fn from_micros(samples: &mut [u64]) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        samples.sort_unstable();
        let at = |q: f64| {
            let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[i] as f64 / 1000.0
        };
        Latency {
            count: samples.len(),
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p99_ms: at(0.99),
            p999_ms: at(0.999),
            max_ms: samples[samples.len() - 1] as f64 / 1000.0,
        }
    }
}

/// User plus system CPU seconds used so far by process `pid` (all its threads).
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("read /proc/{pid}/stat"))?;
    // The command name may contain spaces; fields after it are space-separated.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow!("unexpected /proc/{pid}/stat"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the name: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    let utime: f64 = fields.get(11).ok_or_else(|| anyhow!("no utime"))?.parse()?;
    let stime: f64 = fields.get(12).ok_or_else(|| anyhow!("no stime"))?.parse()?;
    Ok((utime + stime) / CLOCK_TICKS)
}

/// Resident set size of process `pid` in KiB (`VmRSS` in `/proc/<pid>/status`).
pub fn vm_rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("read /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .ok_or_else(|| anyhow!("no VmRSS for {pid}"))?
        .parse()
        .context("parse VmRSS")
}

/// CPU use of a process between two points, as a fraction of one core.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct CpuShare {
    /// Fraction of one core used by the server (None when not watched).
    pub server: Option<f64>,
    /// Fraction of one core used by this load generator.
    pub generator: f64,
}

/// Samples server and generator CPU time so a share over an interval can be computed.
pub struct CpuMeter {
    server_pid: Option<u32>,
    start: (Option<f64>, f64, std::time::Instant),
}

impl CpuMeter {
    /// Start measuring now.
    pub fn start(server_pid: Option<u32>) -> CpuMeter {
        CpuMeter {
            server_pid,
            start: Self::sample(server_pid),
        }
    }

    fn sample(server_pid: Option<u32>) -> (Option<f64>, f64, std::time::Instant) {
        (
            server_pid.and_then(|p| cpu_seconds(p).ok()),
            cpu_seconds(std::process::id()).unwrap_or(0.0),
            std::time::Instant::now(),
        )
    }

    /// Shares since [`CpuMeter::start`].
    pub fn finish(&self) -> CpuShare {
        let (server, generator, at) = Self::sample(self.server_pid);
        let wall = at.duration_since(self.start.2).as_secs_f64().max(1e-9);
        CpuShare {
            server: match (server, self.start.0) {
                (Some(b), Some(a)) => Some((b - a) / wall),
                _ => None,
            },
            generator: (generator - self.start.1) / wall,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let mut v: Vec<u64> = (1..=1000).map(|i| i * 1000).collect();
        let l = Latency::from_micros(&mut v);
        assert_eq!(l.count, 1000);
        assert_eq!(l.p50_ms, 500.0);
        assert_eq!(l.p99_ms, 990.0);
        assert_eq!(l.max_ms, 1000.0);
    }

    #[test]
    fn reads_own_process() {
        let me = std::process::id();
        assert!(vm_rss_kib(me).unwrap() > 0);
        assert!(cpu_seconds(me).unwrap() >= 0.0);
    }
}

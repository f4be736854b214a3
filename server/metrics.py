"""Counters for /metrics, in the Prometheus text format (no client library needed for a handful of series)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Metrics:
    connections: int = 0
    events: int = 0
    views: int = 0
    commands: dict[tuple[str, str], int] = field(default_factory=dict)
    seconds_sum: float = 0.0
    seconds_count: int = 0

    def command(self, kind: str, outcome: str, seconds: float) -> None:
        key = (kind, outcome)
        self.commands[key] = self.commands.get(key, 0) + 1
        self.seconds_sum += seconds
        self.seconds_count += 1

    def render(self, meetings: int) -> str:
        lines = [
            "# HELP edlib_connections Socket.IO connections open on this process.",
            "# TYPE edlib_connections gauge",
            f"edlib_connections {self.connections}",
            "# HELP edlib_meetings_loaded Meetings held in memory by this process.",
            "# TYPE edlib_meetings_loaded gauge",
            f"edlib_meetings_loaded {meetings}",
            "# HELP edlib_events_total Events recorded by this process.",
            "# TYPE edlib_events_total counter",
            f"edlib_events_total {self.events}",
            "# HELP edlib_views_total View updates pushed by this process.",
            "# TYPE edlib_views_total counter",
            f"edlib_views_total {self.views}",
            "# HELP edlib_commands_total Commands handled, by type and outcome (ok or an error code).",
            "# TYPE edlib_commands_total counter",
        ]
        for (kind, outcome), n in sorted(self.commands.items()):
            lines.append(f'edlib_commands_total{{type="{kind}",outcome="{outcome}"}} {n}')
        lines += [
            "# HELP edlib_command_seconds Time from receipt to acknowledgement.",
            "# TYPE edlib_command_seconds summary",
            f"edlib_command_seconds_sum {self.seconds_sum:.6f}",
            f"edlib_command_seconds_count {self.seconds_count}",
        ]
        return "\n".join(lines) + "\n"

"""Fills a bench/reports/*.sql file for one database and one reader (see README.md).

usage: render.py DIALECT ROLE TEMPLATE OUT KEY=VALUE...   (ROLE: director or manager)
"""
import re
import sys

dialect, role, template, out, *pairs = sys.argv[1:]
values = dict(pair.split("=", 1) for pair in pairs)
MACROS = {
    "postgres": {
        "month": lambda e: f"to_char({e}, 'YYYY-MM')",
        "seconds": lambda a, b: f"extract(epoch from ({a} - {b}))",
        "week": lambda e: f"to_char(date_trunc('week', ({e} AT TIME ZONE 'UTC') + interval '8 hours'), 'YYYY-MM-DD')",
    },
    "sqlite": {
        "month": lambda e: f"substr({e}, 1, 7)",
        "seconds": lambda a, b: f"(julianday({a}) - julianday({b})) * 86400",
        "week": lambda e: f"date({e}, '+8 hours', 'weekday 0', '-6 days')",
    },
}[dialect]

lines = []
for line in open(template, encoding="utf-8"):
    manager_only = "{{OWNERS}}" in line or "{{PATH_PREFIX}}" in line
    if manager_only and role != "manager":
        if line.rstrip().endswith(";"):
            lines.append(";\n")
        continue
    lines.append(line)
text = "".join(lines)
text = re.sub(
    r"\{\{(\w+)\((.*?)\)\}\}",
    lambda m: MACROS[m.group(1)](*[a.strip() for a in m.group(2).split(",")]),
    text,
)
for key, value in values.items():
    text = text.replace("{{" + key + "}}", value)
left = re.findall(r"\{\{\w+\}\}", text)
assert not left, f"unfilled placeholders in {template}: {left}"
open(out, "w", encoding="utf-8").write(text)

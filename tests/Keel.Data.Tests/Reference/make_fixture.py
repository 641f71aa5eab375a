"""Writes the small table the reference values are computed on (run once; output committed)."""
import csv

rows = [
    # id, age, score, name, category, email, created, payload, a, b, x, y, z, seq
    (1, 34, 71.5, "alice", "a", "alice@example.com", "2024-01-05", '{"k": 1}', 5, 3, 1, 2, 7, 1),
    (2, 29, 88.0, "bob", "b", "bob@example", "2024-01-06", '[1, 2]', 4, 4, 3, 3, 4, 2),
    (3, None, 65.25, "carol", "a", "carol@example.org", "2024-13-01", "not json", 2, 6, 5, 1, 4, 2),
    (4, 41, None, "dave", "c", "", "05/01/2024", '"text"', 7, 1, 2, 2, 6, 5),
    (5, 52, 91.0, None, "b", "eve@example.com", "2024-02-29", "null", None, 2, 4, 4, 2, 4),
    (6, 29, 55.5, "frank", None, "frank@@example.com", "2024-03-01", "{bad}", 3, None, 6, 6, 6, 6),
    (7, None, 78.0, "grace", "a", "grace@example.com", "2024-03-15", "3.5", None, None, 1, 8, 1, 7),
    (8, 63, 82.25, "bob", "c", "heidi@example.net", "2024-04-01", '{"a": [1, {"b": null}]}', 9, 9, 2, 5, 3, 9),
    (9, 18, 99.5, "ivan", "a", "ivan@example.com", "2024-04-31", "[", 1, 0, 7, 1, 2, 8),
    (10, 29, 40.0, "judy", "a", "judy@example.com", "2024-05-05", "true", 6, 5, 3, 3, 3, 10),
    (11, 75, 60.0, "alice", "b", "mallory@example.com", "2024-06-10", "", 8, 8, 9, 0, 1, 10),
    (12, 45, 73.75, "oscar", "d", "oscar@example.com", "2024-07-04", "{}", 2, 1, 0, 5, 5, 12),
]
header = ["id", "age", "score", "name", "category", "email", "created", "payload", "a", "b", "x", "y", "z", "seq"]
with open("fixture.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])

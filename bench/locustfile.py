"""The load ``make bench-http`` puts on the served app (run by bench/http.py, not by hand):
an official who traces tags, checks numbers, lists premises and opens the dashboard.

The driver passes what the users need in the environment: BENCH_TOKEN (a province officer's
API token), BENCH_USER and BENCH_PASSWORD (for the dashboard page), BENCH_TAGS (tag numbers
to trace, comma-separated) and BENCH_CHECK (the JSON body of a legitimacy check)."""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

TAGS = os.environ.get("BENCH_TAGS", "").split(",")
CHECK = json.loads(os.environ.get("BENCH_CHECK", "{}"))


class Official(HttpUser):
    wait_time = between(0, 0.01)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"
        form = self.client.get("/login/", name="login").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None, "no CSRF token on the login page"
        self.client.post(
            "/login/",
            {
                "username": os.environ["BENCH_USER"],
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{self.host}/login/", "Authorization": ""},
            name="login",
        )

    @task(4)
    def trace(self) -> None:
        self.client.get(f"/api/v1/tags/{random.choice(TAGS)}/trace", name="tag trace")

    @task(2)
    def check(self) -> None:
        self.client.post("/api/v1/tags/check", json=CHECK, name="legitimacy check")

    @task(2)
    def premises(self) -> None:
        self.client.get("/api/v1/premises?limit=50", name="premises list")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard", headers={"Authorization": ""})

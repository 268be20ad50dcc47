"""Browser tests: each test's report is kept on its item, so fixtures can save a screenshot on failure."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when == "call":
        item.rep_call = outcome.get_result()

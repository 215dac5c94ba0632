"""Makes the integration harness fixtures (`kafka`, `lagwatch`) of tests/integration/conftest.py
available to the status page test without copying them, as tests/dashboards does."""

import importlib.util
import pathlib
import sys

_TESTS = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_TESTS / "integration"))
sys.path.insert(0, str(_TESTS / "harness"))

_spec = importlib.util.spec_from_file_location("lagwatch_integration_conftest",
                                               _TESTS / "integration" / "conftest.py")
_harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_harness)

kafka = _harness.kafka
lagwatch = _harness.lagwatch
pytest_runtest_makereport = _harness.pytest_runtest_makereport

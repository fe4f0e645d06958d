import http.client
import json
import socket
import urllib.request

import pytest

from toolkit.workbook.model_server import (
    MAX_BODY_BYTES,
    ModelServer,
    get_json,
    post_json,
)


def _double_x(records):
    return [2 * record["x"] for record in records]


def _refuse_negative(records):
    if any(record["x"] < 0 for record in records):
        raise ValueError("x must not be negative")
    return [record["x"] for record in records]


def _crash(records):
    raise RuntimeError("disk on fire")


@pytest.fixture
def doubling_server():
    with ModelServer(_double_x, model_version="1.2.3") as server:
        yield server


def test_when_started_then_health_names_the_model_version(doubling_server):
    status, answer = get_json(f"{doubling_server.url}/health")

    assert status == 200
    assert answer["status"] == "ok"
    assert answer["model_version"] == "1.2.3"


def test_when_instances_posted_then_one_prediction_per_instance_and_version(
    doubling_server,
):
    status, answer = post_json(
        f"{doubling_server.url}/predict", {"instances": [{"x": 1}, {"x": 2.5}]}
    )

    assert status == 200
    assert answer == {"model_version": "1.2.3", "predictions": [2, 5.0]}
    assert doubling_server.requests_served == 1


def test_when_body_is_not_json_then_answer_is_400_with_reason(doubling_server):
    request = urllib.request.Request(
        f"{doubling_server.url}/predict", data=b"{not json", method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with pytest.raises(urllib.error.HTTPError) as raised:
        opener.open(request, timeout=5)

    assert raised.value.code == 400
    assert "not JSON" in json.loads(raised.value.read())["error"]


@pytest.mark.parametrize(
    "document", [{"rows": [{"x": 1}]}, {"instances": {"x": 1}}, {"instances": [1]}, []]
)
def test_when_instances_are_missing_or_malformed_then_answer_is_400(
    doubling_server, document
):
    status, answer = post_json(f"{doubling_server.url}/predict", document)

    assert status == 400
    assert "instances" in answer["error"]
    assert doubling_server.requests_served == 0


def test_when_predict_rejects_input_then_answer_is_400_with_its_message():
    with ModelServer(_refuse_negative, model_version="v1") as server:
        status, answer = post_json(f"{server.url}/predict", {"instances": [{"x": -1}]})

    assert status == 400
    assert "x must not be negative" in answer["error"]


def test_when_record_lacks_a_field_then_answer_is_400_naming_it(doubling_server):
    status, answer = post_json(
        f"{doubling_server.url}/predict", {"instances": [{"y": 1}]}
    )

    assert status == 400
    assert "'x'" in answer["error"]


def test_when_predict_crashes_then_answer_is_500_without_internals(caplog):
    with ModelServer(_crash, model_version="v9") as server:
        status, answer = post_json(f"{server.url}/predict", {"instances": [{"x": 1}]})

    assert status == 500
    assert "disk on fire" not in answer["error"]
    assert answer["model_version"] == "v9"
    assert "disk on fire" in caplog.text


def test_when_path_is_unknown_then_answer_is_404(doubling_server):
    get_status, _ = get_json(f"{doubling_server.url}/metrics")
    post_status, _ = post_json(f"{doubling_server.url}/score", {"instances": []})

    assert (get_status, post_status) == (404, 404)


def test_when_body_is_too_large_then_answer_is_413_before_reading_it(
    doubling_server,
):
    host, port = doubling_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.putrequest("POST", "/predict")
    connection.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    connection.endheaders()

    response = connection.getresponse()

    assert response.status == 413
    assert "body over" in json.loads(response.read())["error"]
    connection.close()


def test_when_stopped_then_port_is_released_and_url_is_unavailable():
    server = ModelServer(_double_x, model_version="v1").start()
    port = int(server.url.rsplit(":", 1)[1])

    server.stop()
    server.stop()

    assert not server.running
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_when_started_twice_then_it_keeps_one_port():
    with ModelServer(_double_x, model_version="v1") as server:
        first_url = server.url
        server.start()

        assert server.url == first_url


def test_when_metadata_given_then_health_reports_it():
    with ModelServer(
        _double_x, model_version="v2", metadata={"sha256": "abc"}
    ) as server:
        _, answer = get_json(f"{server.url}/health")

    assert answer["sha256"] == "abc"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_when_host_is_not_loopback_then_server_refuses_to_start(host):
    with pytest.raises(ValueError, match="loopback"):
        ModelServer(_double_x, model_version="v1", host=host)

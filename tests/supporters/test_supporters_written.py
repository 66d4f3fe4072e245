"""« écrit ✓ »: on the campaign page, the officials this browser already wrote to are ticked
(and their boxes left unticked), after a request or a « from my own mailbox » click."""

import re
import uuid

from fastapi.testclient import TestClient
from supporters_support import SLUG, csrf, officials_offered, submit, write_letter


def labels_written(page: str) -> set[str]:
    """Official ids whose <label> carries the « écrit ✓ » mark."""
    marked = set()
    for label in re.findall(r"<label>(.*?)</label>", page, re.S):
        value = re.search(r'name="official" value="(\d+)"', label)
        if value and "écrit ✓" in label:
            marked.add(value.group(1))
    return marked


def test_written_officials_are_ticked(sup_client: TestClient) -> None:
    before = sup_client.get(f"/agir/{SLUG}", params={"q": "35000"}).text
    assert labels_written(before) == set()
    data = write_letter(
        sup_client, SLUG, q="35000", email=f"ecrit.{uuid.uuid4().hex[:8]}@exemple.fr"
    )
    assert submit(sup_client, SLUG, data).status_code == 303
    chosen = set(data["official"])
    page = sup_client.get(f"/agir/{SLUG}", params={"q": "35000"}).text
    assert labels_written(page) == chosen
    _, still_checked = officials_offered(page)
    assert not chosen & set(still_checked)
    # Another browser sees nothing.
    other = TestClient(sup_client.app, base_url="http://127.0.0.1")
    assert labels_written(other.get(f"/agir/{SLUG}", params={"q": "35000"}).text) == set()


def test_a_mailto_click_ticks_too(sup_client: TestClient) -> None:
    page = sup_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    deputies, senators = officials_offered(page)
    official = (deputies or senators)[0]
    clicked = sup_client.post(
        f"/agir/{SLUG}/messagerie/{official}",
        data={"csrf_token": csrf(page), "version": "court"},
        follow_redirects=False,
    )
    assert clicked.status_code == 303 and clicked.headers["location"].startswith("mailto:")
    again = sup_client.get(f"/agir/{SLUG}", params={"q": "29200"}).text
    assert official in labels_written(again)

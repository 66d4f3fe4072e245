"""The access matrix: every route of the app × every role, anonymous included.

RULES gives each route (by name) the least access level that may use it; a route the app serves
without a rule fails the suite, so nobody adds a page or an API without deciding who may use it.
"""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.users.models import Role
from tests.routes import LEVELS, Endpoint, endpoints

RULES: dict[str, str] = {
    # foundation
    "home": "public",
    "login_page": "public",
    "login": "public",
    "logout": "public",
    "login_code_page": "public",
    "login_code": "public",
    # one's own account: every signed-in role
    "account_security_page": "reader",
    "totp_start": "reader",
    "totp_enrol_page": "reader",
    "totp_enrol": "reader",
    "totp_disable": "reader",
    "recovery_codes_renew": "reader",
    "password_change": "reader",
    "logout_everywhere": "reader",
    "users_page": "admin",
    "user_create": "admin",
    "user_update": "admin",
    "totp_reset_page": "admin",
    "totp_reset": "admin",
    "audit_page": "admin",
    # the association's identity: admins set it; its logo is public (letters, public pages)
    "organisation_page": "admin",
    "organisation_update": "admin",
    "organisation_logo_update": "admin",
    "organisation_logo": "public",
    # ministries' postal addresses: staff enter them once
    "ministries_page": "reader",
    "ministry_page": "reader",
    "ministry_update": "staff",
    "api_health": "public",
    "api_live": "public",
    "api_docs": "public",
    "favicon_ico": "public",
    "api_ready": "public",
    "api_demands": "public",
    "api_me": "reader",
    # geography: supporters find their representatives without an account
    "api_lookup": "public",
    "find_my_representative": "public",
    # officials: the directory of public office holders
    "api_officials": "public",
    "api_official": "public",
    "officials_page": "reader",
    "officials_csv": "reader",
    "official_page": "reader",
    # bodies: committees, delegations, groups, ministries and who sits there
    "api_bodies": "public",
    "api_body": "public",
    "bodies_page": "reader",
    "body_page": "reader",
    # replies and chasing
    "api_reply_inbound": "staff",
    "api_letters_to_chase": "reader",
    "replies_page": "reader",
    "reply_new_page": "staff",
    "reply_create": "staff",
    "reply_page": "reader",
    "reply_attach": "staff",
    "reply_official_search": "staff",
    "official_contacts_page": "staff",
    "official_contact_set": "staff",
    "official_contact_remove": "staff",
    "reply_code": "staff",
    "chase_page": "reader",
    "chase_letter": "staff",
    "chase_confirm": "staff",
    "chase_selection": "staff",
    "my_day": "reader",
    # templates: staff write them, everyone signed in reads them and previews the saved text;
    # previewing an unsaved text is staff only (tests/templating/test_template_preview_access.py)
    "api_templates": "reader",
    "api_template": "reader",
    "api_versions": "reader",
    "api_template_preview": "reader",
    "api_template_create": "staff",
    "api_template_update": "staff",
    "templates_page": "reader",
    "template_page": "reader",
    "template_preview": "reader",
    "draft_preview": "reader",
    "template_new": "staff",
    "template_create": "staff",
    "template_update": "staff",
    # campaigns and letters: staff run the outreach, other roles follow it
    "api_campaigns": "reader",
    "api_campaign": "reader",
    "api_campaign_stats": "reader",
    "api_campaign_letters": "reader",
    "api_campaign_create": "staff",
    "api_campaign_update": "staff",
    "api_campaign_pause": "staff",
    "api_campaign_generate": "staff",
    "api_campaign_send": "staff",
    "api_contact": "staff",
    "campaigns_page": "reader",
    "campaign_page": "reader",
    "print": "reader",
    "campaign_new": "staff",
    "campaign_create": "staff",
    "campaign_edit": "staff",
    "campaign_update": "staff",
    "campaign_pause": "staff",
    "campaign_generate": "staff",
    "send_confirm": "staff",
    "campaign_send": "staff",
    "mark_posted": "staff",
    "contact_log": "staff",
    "api_letter": "reader",
    "api_official_letters": "reader",
    "api_letter_status": "staff",
    "api_letter_send": "staff",
    "api_follow_up": "staff",
    "letter_page": "reader",
    "letter_status": "staff",
    "letter_send": "staff",
    # stances: staff propose, directors decide, every signed-in role reads
    "api_stances": "reader",
    "api_stance_create": "staff",
    "api_stance_review": "director",
    "api_official_stances": "reader",
    "stance_queue": "reader",
    "stance_decide": "director",
    "stance_new": "staff",
    "stance_propose": "staff",
    "api_text_demands": "staff",
    "api_batch_undo": "staff",
    # the directors' screen: every signed-in role reads it
    "api_dashboard": "reader",
    "dashboard_page": "reader",
    "dashboard_print": "reader",
    "scorecard_page": "public",  # 404 until PLAIDOYER_PUBLIC_SCORECARD is set
    "stances_csv": "reader",
    "api_hatvp": "reader",
    "hatvp_page": "reader",
    "hatvp_csv": "reader",
    # supporters: the public journey and one's own data (by signed link); identities for admins
    "act": "public",
    "act_campaign": "public",
    "act_letter": "public",
    "act_submit": "public",
    "act_check_email": "public",
    "act_mailto": "public",
    "act_confirm_page": "public",
    "act_confirm": "public",
    "act_survey": "public",
    "act_survey_answer": "public",
    "unsubscribe_page": "public",
    "unsubscribe": "public",
    "my_data": "public",
    "my_data_json": "public",
    "my_data_csv": "public",
    "my_data_erase": "public",
    "privacy": "public",
    "supporters_review": "reader",
    "supporters_review_decide": "staff",
    "supporters_invite": "staff",
    "supporters_admin": "admin",
    "supporter_export_json": "admin",
    "supporter_export_csv": "admin",
    "supporter_erase": "admin",
}

ROLES: list[Role | None] = [None, *Role]
# Sessions live on the server: these end the visitor's, so they are probed after every other.
ENDS_SESSIONS = {"logout", "logout_everywhere"}


def role_name(role: Role | None) -> str:
    return role.value if role else "anonyme"


def call(probe: TestClient, endpoint: Endpoint, visitor) -> object:  # type: ignore[no-untyped-def]
    """One request as this visitor: a Bearer token on the API; on pages the session cookie, and
    forms carry the valid CSRF token so that only authorisation is tested."""
    probe.cookies = visitor.cookies
    if endpoint.is_api:
        return probe.request(endpoint.method, endpoint.url, headers=visitor.api_headers)
    if endpoint.changes_state:
        return probe.request(endpoint.method, endpoint.url, data={"csrf_token": visitor.csrf})
    return probe.request(endpoint.method, endpoint.url)


def problem(endpoint: Endpoint, role: Role | None, response) -> str | None:  # type: ignore[no-untyped-def]
    """What is wrong with this answer, or None."""
    status = response.status_code
    body = response.text
    if status >= 500 or "Traceback" in body:
        return f"{status} (erreur serveur)"
    allowed = role in LEVELS[RULES[endpoint.name]]
    if allowed:
        return f"{status} alors que le rôle est autorisé" if status in (401, 403) else None
    if role is None and endpoint.is_api:
        if status != 401 or "detail" not in response.json():
            return f"{status} au lieu de 401 JSON"
        return None
    if role is None:
        location = response.headers.get("location", "")
        if status != 303 or not location.startswith("/connexion"):
            return f"{status} {location} au lieu d'une redirection vers /connexion"
        return None
    if status != 403:
        return f"{status} au lieu de 403"
    if endpoint.is_api:
        return None if "detail" in response.json() else "403 sans JSON"
    french_page = 'lang="fr"' in body and "Erreur 403" in body
    return None if french_page else "403 sans page d'erreur en français"


def test_every_route_has_an_access_rule(app: FastAPI) -> None:
    missing = sorted({e.name for e in endpoints(app) if e.name not in RULES})
    assert not missing, "\n".join(
        f"ajoutez une règle pour {name} dans RULES (tests/users/test_users_access_matrix.py)"
        for name in missing
    )
    assert set(RULES.values()) <= set(LEVELS)


def test_access_matrix(app: FastAPI, probe: TestClient, visitors) -> None:  # type: ignore[no-untyped-def]
    failures: list[str] = []
    checked = 0
    for endpoint in sorted(endpoints(app), key=lambda e: e.name in ENDS_SESSIONS):
        if endpoint.name not in RULES:
            failures.append(f"ajoutez une règle pour {endpoint.name}")
            continue
        for role in ROLES:
            response = call(probe, endpoint, visitors[role])
            checked += 1
            if (issue := problem(endpoint, role, response)) is not None:
                failures.append(f"{endpoint} en tant que {role_name(role)} : {issue}")
    assert not failures, "\n".join(failures)
    assert checked >= 5 * 11, "the foundation alone serves 11 routes"

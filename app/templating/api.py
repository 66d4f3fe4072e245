from fastapi import APIRouter, Request

from app.templating.schemas import (
    PreviewRead,
    PreviewRequest,
    TemplateCreate,
    TemplateRead,
    TemplateUpdate,
    TemplateVersionRead,
)
from app.templating.service import (
    create_template,
    get_template,
    latest_version,
    list_templates,
    list_versions,
    preview,
    refuse_unsaved_text,
    update_template,
)
from app.users.deps import ReaderUser, SessionDep, StaffUser, actor_for
from app.web.deps import SettingsDep
from app.web.params import Id

router = APIRouter(prefix="/api/templates", tags=["modèles"])


def _read(session: SessionDep, template_id: Id) -> TemplateRead:
    template = get_template(session, template_id=template_id)
    version = latest_version(session, template_id=template_id)
    return TemplateRead(
        id=template.id,
        name=template.name,
        purpose=template.purpose,
        latest=TemplateVersionRead.model_validate(version),
    )


@router.get("", response_model=list[TemplateRead], name="api_templates")
def templates(session: SessionDep, user: ReaderUser) -> list[TemplateRead]:
    return [
        TemplateRead(
            id=s.template.id,
            name=s.template.name,
            purpose=s.template.purpose,
            latest=TemplateVersionRead.model_validate(s.latest),
        )
        for s in list_templates(session)
    ]


@router.post("", response_model=TemplateRead, status_code=201, name="api_template_create")
def template_create(
    request: Request, session: SessionDep, user: StaffUser, data: TemplateCreate
) -> TemplateRead:
    template = create_template(session, **data.model_dump(), actor=actor_for(request, user))
    return _read(session, template.id)


@router.get("/{template_id}", response_model=TemplateRead, name="api_template")
def template(session: SessionDep, user: ReaderUser, template_id: Id) -> TemplateRead:
    return _read(session, template_id)


@router.put("/{template_id}", response_model=TemplateRead, name="api_template_update")
def template_update(
    request: Request, session: SessionDep, user: StaffUser, template_id: Id, data: TemplateUpdate
) -> TemplateRead:
    update_template(
        session, template_id=template_id, **data.model_dump(), actor=actor_for(request, user)
    )
    return _read(session, template_id)


@router.get(
    "/{template_id}/versions", response_model=list[TemplateVersionRead], name="api_versions"
)
def versions(session: SessionDep, user: ReaderUser, template_id: Id) -> list[TemplateVersionRead]:
    return [
        TemplateVersionRead.model_validate(v)
        for v in list_versions(session, template_id=template_id)
    ]


@router.post("/{template_id}/preview", response_model=PreviewRead, name="api_template_preview")
def template_preview(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ReaderUser,
    template_id: Id,
    data: PreviewRequest,
) -> PreviewRead:
    latest = latest_version(session, template_id=template_id)
    subject = latest.subject if data.subject is None else data.subject
    body = latest.body if data.body is None else data.body
    refuse_unsaved_text(role=user.role, latest=latest, subject=subject, body=body)
    subject, body = preview(
        session,
        subject=subject,
        body=body,
        official_id=data.official_id,
        actor=actor_for(request, user),
        settings=settings,
    )
    return PreviewRead(subject=subject, body=body)

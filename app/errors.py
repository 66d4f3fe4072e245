"""Domain errors: services raise them, app/web/errors.py turns them into HTTP answers."""


class AppError(Exception):
    status_code = 400
    default_message = "La demande n'a pas pu être traitée."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class Invalid(AppError):
    status_code = 422
    default_message = "Les données envoyées ne sont pas valides."


class NotFound(AppError):
    status_code = 404
    default_message = "Élément introuvable."


class Conflict(AppError):
    status_code = 409
    default_message = "Cette opération entre en conflit avec l'état actuel des données."


class Unauthorized(AppError):
    status_code = 401
    default_message = "Authentification requise."


class Forbidden(AppError):
    status_code = 403
    default_message = "Vous n'avez pas les droits nécessaires pour cette action."


class TooManyAttempts(AppError):
    status_code = 429
    default_message = "Trop de tentatives. Réessayez dans quelques minutes."


class Unavailable(AppError):
    """The database could not be had in time (burst of writes, lock held elsewhere): retry."""

    status_code = 503
    default_message = (
        "Le serveur est très sollicité et n'a pas pu enregistrer votre demande à temps. "
        "Rien n'a été modifié : réessayez dans quelques secondes."
    )
    retry_after_seconds = 5
